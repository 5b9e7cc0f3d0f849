#include "sim/distribution.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace sasim::sim {
namespace {

constexpr int kSamples = 200'000;

std::vector<std::int64_t> draw(const DurationDistribution& distribution, std::uint64_t seed, int n = kSamples) {
  Prng prng(seed);
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(distribution.sample(prng).ns());
  std::sort(out.begin(), out.end());
  return out;
}

double mean_of(const std::vector<std::int64_t>& values) {
  double sum = 0;
  for (std::int64_t v : values) sum += static_cast<double>(v);
  return sum / static_cast<double>(values.size());
}

// Empirical quantile of sorted values.
double quantile(const std::vector<std::int64_t>& sorted, double q) {
  return static_cast<double>(sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))]);
}

const double kMs = 1e6;

TEST_CASE("a constant distribution always gives its value", "[distribution]") {
  const auto constant = DurationDistribution::constant(Duration::milliseconds(5));
  Prng prng(1);
  for (int i = 0; i < 100; ++i) CHECK(constant.sample(prng) == Duration::milliseconds(5));
  CHECK(DurationDistribution().sample(prng) == Duration::zero());
  CHECK(constant.describe() == "5ms");
}

TEST_CASE("uniform samples cover low to high evenly", "[distribution]") {
  const auto uniform = DurationDistribution::uniform(Duration::milliseconds(1), Duration::milliseconds(10)).value();
  const auto samples = draw(uniform, 2);
  CHECK(samples.front() >= Duration::milliseconds(1).ns());
  CHECK(samples.back() <= Duration::milliseconds(10).ns());
  CHECK(mean_of(samples) == Approx(5.5 * kMs).epsilon(0.01));
  CHECK(quantile(samples, 0.1) == Approx(1.9 * kMs).epsilon(0.02));
  CHECK(quantile(samples, 0.9) == Approx(9.1 * kMs).epsilon(0.02));
  CHECK(uniform.describe() == "{uniform: [1ms, 10ms]}");
  // Both ends are reachable when the range is small.
  const auto tiny = DurationDistribution::uniform(Duration::nanoseconds(3), Duration::nanoseconds(4)).value();
  const auto tiny_samples = draw(tiny, 3, 1000);
  CHECK(tiny_samples.front() == 3);
  CHECK(tiny_samples.back() == 4);
}

TEST_CASE("exponential samples have the requested mean and shape", "[distribution]") {
  const auto exponential = DurationDistribution::exponential(Duration::milliseconds(5)).value();
  const auto samples = draw(exponential, 4);
  CHECK(mean_of(samples) == Approx(5 * kMs).epsilon(0.02));
  // Median of an exponential is mean * ln 2; P(X > 3 mean) = e^-3.
  CHECK(quantile(samples, 0.5) == Approx(5 * kMs * std::log(2.0)).epsilon(0.02));
  const auto above = std::count_if(samples.begin(), samples.end(), [](std::int64_t v) { return static_cast<double>(v) > 15 * kMs; });
  CHECK(static_cast<double>(above) / kSamples == Approx(std::exp(-3.0)).epsilon(0.05));
  CHECK(samples.front() >= 0);
  CHECK(exponential.describe() == "{exponential: 5ms}");
}

TEST_CASE("lognormal samples have the requested median and p99", "[distribution]") {
  const auto lognormal = DurationDistribution::lognormal(Duration::milliseconds(5), Duration::milliseconds(80)).value();
  const auto samples = draw(lognormal, 5);
  CHECK(quantile(samples, 0.5) == Approx(5 * kMs).epsilon(0.02));
  CHECK(quantile(samples, 0.99) == Approx(80 * kMs).epsilon(0.05));
  CHECK(samples.front() > 0);
  // The analytic mean exp(mu + sigma^2 / 2) matches the sample mean.
  CHECK(mean_of(samples) == Approx(static_cast<double>(lognormal.mean().ns())).epsilon(0.03));
  CHECK(lognormal.describe() == "{lognormal: {median: 5ms, p99: 80ms}}");
  // p99 == median degenerates to a constant.
  const auto flat = DurationDistribution::lognormal(Duration::milliseconds(2), Duration::milliseconds(2)).value();
  Prng prng(6);
  CHECK(flat.sample(prng) == Duration::milliseconds(2));
}

TEST_CASE("the standard normal deviate has mean 0 and variance 1", "[distribution]") {
  Prng prng(7);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double z = standard_normal(prng);
    sum += z;
    sum_sq += z * z;
  }
  CHECK(std::abs(sum / kSamples) < 0.01);
  CHECK(sum_sq / kSamples == Approx(1.0).epsilon(0.01));
}

TEST_CASE("invalid distribution parameters are errors and not guesses", "[distribution]") {
  CHECK_FALSE(DurationDistribution::uniform(Duration::milliseconds(10), Duration::milliseconds(1)).ok());
  CHECK_FALSE(DurationDistribution::uniform(-Duration::milliseconds(1), Duration::milliseconds(1)).ok());
  CHECK_FALSE(DurationDistribution::exponential(Duration::zero()).ok());
  CHECK_FALSE(DurationDistribution::lognormal(Duration::zero(), Duration::milliseconds(1)).ok());
  const auto inverted = DurationDistribution::lognormal(Duration::milliseconds(80), Duration::milliseconds(5));
  REQUIRE_FALSE(inverted.ok());
  CHECK_THAT(inverted.error().message, Catch::Contains("p99 >= median"));
}

// Golden samples: the continuous shapes go through det_log/det_exp, so these
// exact nanosecond values must come out on every machine. They were checked
// against an independent implementation of the same algorithms on libm's
// log/exp. If this test fails after a change, every recorded trace digest
// changes with it.
TEST_CASE("samples are bit-for-bit reproducible from a seed", "[distribution][golden]") {
  const auto exponential = DurationDistribution::exponential(Duration::milliseconds(5)).value();
  const auto lognormal = DurationDistribution::lognormal(Duration::milliseconds(2), Duration::milliseconds(20)).value();
  Prng prng(2020);
  std::vector<std::int64_t> got;
  for (int i = 0; i < 3; ++i) got.push_back(exponential.sample(prng).ns());
  for (int i = 0; i < 3; ++i) got.push_back(lognormal.sample(prng).ns());
  const std::vector<std::int64_t> expected = {739741, 1651044, 8695818, 1158761, 1824744, 1887389};
  CHECK(got == expected);
}

}  // namespace
}  // namespace sasim::sim
