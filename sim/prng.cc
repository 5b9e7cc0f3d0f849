#include "sim/prng.h"

#include <limits>

#include "sim/check.h"
#include "sim/int128.h"

namespace sasim::sim {

Prng::Prng(std::uint64_t seed) {
  SplitMix64 seeder(seed);
  for (auto& word : state_) word = seeder.next();
}

Prng Prng::from_state(const std::array<std::uint64_t, 4>& state) {
  SIM_CHECK(state[0] != 0 || state[1] != 0 || state[2] != 0 || state[3] != 0,
            "xoshiro256** state must not be all zero");
  Prng prng;
  prng.state_ = state;
  return prng;
}

std::uint64_t Prng::below(std::uint64_t bound) {
  SIM_CHECK(bound > 0, "Prng::below needs a positive bound");
  UInt128 product = static_cast<UInt128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = static_cast<UInt128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::int64_t Prng::uniform_int(std::int64_t low, std::int64_t high) {
  SIM_CHECK(low <= high, "Prng::uniform_int needs low <= high");
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t offset = span == std::numeric_limits<std::uint64_t>::max() ? next_u64() : below(span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
}

bool Prng::chance(Ratio ratio) {
  SIM_CHECK(ratio.valid(), "Prng::chance needs 0 <= numerator <= denominator, denominator > 0");
  if (ratio.numerator == 0) return false;
  if (ratio.numerator == ratio.denominator) return true;
  return below(ratio.denominator) < ratio.numerator;
}

Prng Prng::fork() { return Prng(next_u64()); }

}  // namespace sasim::sim
