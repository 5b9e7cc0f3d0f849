// Time points and durations that many unit tests write, defined once: test
// files compiled together in one unity batch (CMAKE_UNITY_BUILD, README.md)
// cannot each define their own helper of the same name.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace sasim::sim::testing {

inline Duration ms(std::int64_t n) { return Duration::milliseconds(n); }

// The time point n milliseconds (seconds) after the simulation's start.
inline Time at_ms(std::int64_t n) { return Time::from_start(Duration::milliseconds(n)); }
inline Time at_s(std::int64_t n) { return Time::from_start(Duration::seconds(n)); }

}  // namespace sasim::sim::testing
