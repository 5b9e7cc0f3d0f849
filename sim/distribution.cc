#include "sim/distribution.h"

#include <cmath>

#include "sim/det_math.h"
#include "sim/duration_text.h"

namespace sasim::sim {
namespace {

// The 99th percentile of the standard normal distribution.
constexpr double kZ99 = 2.3263478740408408;

Duration to_duration(double ns) {
  if (!(ns > 0)) return Duration::zero();  // also catches NaN
  const double cap = static_cast<double>(DurationDistribution::kMaxSample.ns());
  if (ns >= cap) return DurationDistribution::kMaxSample;
  return Duration::nanoseconds(static_cast<std::int64_t>(ns + 0.5));
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces this for aggregates, but clang before 17 does not implement
// that (the sanitizer and fuzzing builds use Debian's clang 14).
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

double standard_normal(Prng& prng) {
  while (true) {
    const double u = 2 * prng.unit_double() - 1;
    const double v = 2 * prng.unit_double() - 1;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * det_log(s) / s);
  }
}

DurationDistribution DurationDistribution::constant(Duration value) {
  SIM_CHECK(value >= Duration::zero(), "a constant delay cannot be negative");
  return DurationDistribution(Constant{value});
}

Result<DurationDistribution> DurationDistribution::uniform(Duration low, Duration high) {
  if (low < Duration::zero()) return unexpected(Error{"uniform bounds cannot be negative"});
  if (high < low) {
    return unexpected(Error{"uniform needs [low, high] with low <= high, got [" + format_duration(low) +
                            ", " + format_duration(high) + "]"});
  }
  return DurationDistribution(Uniform{low, high});
}

Result<DurationDistribution> DurationDistribution::exponential(Duration mean) {
  if (mean <= Duration::zero()) return unexpected(Error{"exponential needs a positive mean"});
  return DurationDistribution(Exponential{mean});
}

Result<DurationDistribution> DurationDistribution::lognormal(Duration median, Duration p99) {
  if (median <= Duration::zero()) return unexpected(Error{"lognormal needs a positive median"});
  if (p99 < median) {
    return unexpected(Error{"lognormal needs p99 >= median, got median " + format_duration(median) +
                            " and p99 " + format_duration(p99)});
  }
  const double sigma =
      (det_log(static_cast<double>(p99.ns())) - det_log(static_cast<double>(median.ns()))) / kZ99;
  return DurationDistribution(LogNormal{median, p99, sigma});
}

Duration DurationDistribution::sample(Prng& prng) const {
  return std::visit(
      Overloaded{
          [](const Constant& c) { return c.value; },
          [&](const Uniform& u) {
            return Duration::nanoseconds(prng.uniform_int(u.low.ns(), u.high.ns()));
          },
          [&](const Exponential& e) {
            // 1 - U lies in (0, 1], so the logarithm is finite.
            return to_duration(-det_log(1 - prng.unit_double()) * static_cast<double>(e.mean.ns()));
          },
          [&](const LogNormal& l) {
            if (l.sigma == 0) return l.median;
            return to_duration(static_cast<double>(l.median.ns()) * det_exp(l.sigma * standard_normal(prng)));
          },
      },
      shape_);
}

std::string DurationDistribution::describe() const {
  return std::visit(Overloaded{
                        [](const Constant& c) { return format_duration(c.value); },
                        [](const Uniform& u) {
                          return "{uniform: [" + format_duration(u.low) + ", " + format_duration(u.high) + "]}";
                        },
                        [](const Exponential& e) { return "{exponential: " + format_duration(e.mean) + "}"; },
                        [](const LogNormal& l) {
                          return "{lognormal: {median: " + format_duration(l.median) +
                                 ", p99: " + format_duration(l.p99) + "}}";
                        },
                    },
                    shape_);
}

Duration DurationDistribution::mean() const {
  return std::visit(Overloaded{
                        [](const Constant& c) { return c.value; },
                        [](const Uniform& u) { return u.low + (u.high - u.low) / 2; },
                        [](const Exponential& e) { return e.mean; },
                        [](const LogNormal& l) {
                          return to_duration(static_cast<double>(l.median.ns()) *
                                             det_exp(l.sigma * l.sigma / 2));
                        },
                    },
                    shape_);
}

}  // namespace sasim::sim
