#include "sim/prng.h"

#include <array>
#include <catch2/catch.hpp>
#include <map>
#include <rapidcheck/catch.h>
#include <vector>

namespace sasim::sim {
namespace {

// Reference outputs published with the algorithms (and recomputed by an
// independent implementation): they pin sasim to the documented generators.
TEST_CASE("splitmix64 matches its reference output", "[prng]") {
  SplitMix64 mixer(0);
  CHECK(mixer.next() == 0xe220a8397b1dcdafULL);
  CHECK(mixer.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(mixer.next() == 0x06c45d188009454fULL);
}

TEST_CASE("xoshiro256** matches the reference vectors for state 1 2 3 4", "[prng]") {
  Prng prng = Prng::from_state({1, 2, 3, 4});
  const std::array<std::uint64_t, 10> expected{11520ULL,
                                               0ULL,
                                               1509978240ULL,
                                               1215971899390074240ULL,
                                               1216172134540287360ULL,
                                               607988272756665600ULL,
                                               16172922978634559625ULL,
                                               8476171486693032832ULL,
                                               10595114339597558777ULL,
                                               2904607092377533576ULL};
  for (std::uint64_t value : expected) CHECK(prng.next_u64() == value);
}

TEST_CASE("a seed fills the state through splitmix64", "[prng]") {
  Prng prng(42);
  CHECK(prng.next_u64() == 0x15780b2e0c2ec716ULL);
  CHECK(prng.next_u64() == 0x6104d9866d113a7eULL);
  CHECK(prng.next_u64() == 0xae17533239e499a1ULL);
  CHECK(prng.next_u64() == 0xecb8ad4703b360a1ULL);
  CHECK(prng.next_u64() == 0xfde6dc7fe2ec5e64ULL);
}

TEST_CASE("forks are reproducible and differ from their parent and siblings", "[prng]") {
  Prng a(7), b(7);
  Prng a1 = a.fork(), a2 = a.fork();
  Prng b1 = b.fork();
  const std::uint64_t first = a1.next_u64();
  CHECK(first == b1.next_u64());
  CHECK(first != a2.next_u64());
  // The parent's stream moved on: its next output is neither child's.
  Prng parent(9);
  Prng child = parent.fork();
  CHECK(parent.next_u64() != child.next_u64());
}

TEST_CASE("below() covers its range evenly", "[prng]") {
  Prng prng(1);
  constexpr std::uint64_t kBound = 10;
  constexpr int kDraws = 100'000;
  std::array<int, kBound> counts{};
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t value = prng.below(kBound);
    REQUIRE(value < kBound);
    ++counts[value];
  }
  // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
  double chi2 = 0;
  for (int count : counts) {
    const double diff = count - kDraws / double(kBound);
    chi2 += diff * diff / (kDraws / double(kBound));
  }
  CHECK(chi2 < 27.9);
}

TEST_CASE("uniform_int includes both ends and handles the full range", "[prng]") {
  Prng prng(3);
  std::map<std::int64_t, int> seen;
  for (int i = 0; i < 2000; ++i) ++seen[prng.uniform_int(-2, 2)];
  CHECK(seen.size() == 5);
  CHECK(seen.begin()->first == -2);
  CHECK(seen.rbegin()->first == 2);
  CHECK(prng.uniform_int(5, 5) == 5);
  // The full int64 range must not overflow the span computation.
  (void)prng.uniform_int(INT64_MIN, INT64_MAX);
}

TEST_CASE("chance() follows its ratio", "[prng]") {
  Prng prng(11);
  for (int i = 0; i < 100; ++i) {
    CHECK_FALSE(prng.chance(Ratio::never()));
    CHECK(prng.chance(Ratio::always()));
  }
  int hits = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) hits += prng.chance(Ratio{1, 4}) ? 1 : 0;
  // Binomial(1e5, 0.25): sd is about 137; 6 sd is a comfortable bound.
  CHECK(hits > 25'000 - 822);
  CHECK(hits < 25'000 + 822);
}

TEST_CASE("unit_double stays between 0 inclusive and 1 exclusive", "[prng]") {
  Prng prng(5);
  double low = 1, high = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = prng.unit_double();
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
    low = std::min(low, u);
    high = std::max(high, u);
  }
  CHECK(low < 0.001);
  CHECK(high > 0.999);
}

TEST_CASE("below() and uniform_int() stay in bounds for any arguments", "[prng][property]") {
  rc::prop("below(bound) < bound", [](std::uint64_t seed, std::uint64_t bound) {
    RC_PRE(bound > 0);
    Prng prng(seed);
    for (int i = 0; i < 8; ++i) RC_ASSERT(prng.below(bound) < bound);
  });
  rc::prop("low <= uniform_int(low, high) <= high", [](std::uint64_t seed, std::int64_t a, std::int64_t b) {
    const std::int64_t low = std::min(a, b), high = std::max(a, b);
    Prng prng(seed);
    for (int i = 0; i < 8; ++i) {
      const std::int64_t value = prng.uniform_int(low, high);
      RC_ASSERT(value >= low);
      RC_ASSERT(value <= high);
    }
  });
}

}  // namespace
}  // namespace sasim::sim
