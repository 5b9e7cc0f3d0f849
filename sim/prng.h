// Prng: the engine's only source of randomness.
//
// The algorithm is fixed and documented so that a seed means the same run on
// every machine and standard library: xoshiro256** (Blackman and Vigna,
// 2018), its 256-bit state filled from the seed by splitmix64. Nothing here
// goes through std::*_distribution, whose output differs between standard
// libraries.
//
// Streams are forked, not shared: the simulator forks one child per actor in
// registration order, so adding randomness to one actor does not shift the
// draws of another. A fork draws one value from its parent and seeds the
// child from it through splitmix64.
#pragma once

#include <array>
#include <cstdint>

#include "sim/ratio.h"

namespace sasim::sim {

// splitmix64 (Steele, Lea and Flood), also usable as a 64-bit mixer.
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t seed) : state_(seed) {}
  constexpr std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

class Prng {
 public:
  explicit Prng(std::uint64_t seed);
  // For golden tests against the reference vectors; the state must not be all zero.
  static Prng from_state(const std::array<std::uint64_t, 4>& state);

  // Next raw 64-bit output of xoshiro256**.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject).
  // bound must be positive.
  std::uint64_t below(std::uint64_t bound);

  // Uniform in [low, high], both inclusive; low <= high.
  std::int64_t uniform_int(std::int64_t low, std::int64_t high);

  // True with probability ratio.numerator / ratio.denominator.
  bool chance(Ratio ratio);

  // Uniform double in [0, 1) with 53 random bits.
  double unit_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // A child stream, independent of this one for all practical purposes.
  Prng fork();

 private:
  Prng() = default;
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<std::uint64_t, 4> state_{};
};

}  // namespace sasim::sim
