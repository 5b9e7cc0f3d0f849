// Ratio: an exact probability numerator/denominator, so that "fail half the
// requests" is decided by integer arithmetic and repeats on every machine.
#pragma once

#include <cstdint>

#include "sim/check.h"

namespace sasim::sim {

struct Ratio {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;

  static constexpr Ratio never() { return {0, 1}; }
  static constexpr Ratio always() { return {1, 1}; }

  constexpr bool valid() const { return denominator > 0 && numerator <= denominator; }
};

}  // namespace sasim::sim
