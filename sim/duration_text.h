// Durations as the scenario format writes them: "0s", "250ms", "1m30s",
// "100us", "48h", "1.5s".
//
// parse_duration accepts one or more <number><unit> terms, units strictly
// from largest to smallest (h, m, s, ms, us or µs, ns), each number an
// unsigned decimal with an optional fraction. Everything else is an error
// rather than a guess: a bare number ("5"), a negative sign, unknown units
// ("5min", "1d"), repeated or misordered units ("1s1m"), precision finer than
// a nanosecond, and values beyond the int64 range. The error's offset points
// at the offending byte, so callers can report FILE:LINE:COL.
//
// format_duration prints the shortest exact form that parse_duration reads
// back to the same value: under a second with one unit and a decimal
// fraction ("2.1ms"), otherwise hours, minutes and seconds from the largest
// non-zero unit to the smallest ("48h", "1m30s", "1h0m0.5s").
#pragma once

#include <string>
#include <string_view>

#include "sim/result.h"
#include "sim/time.h"

namespace sasim::sim {

Result<Duration> parse_duration(std::string_view text);

std::string format_duration(Duration duration);

// An instant printed as the duration since the simulation started.
inline std::string format_time(Time time) { return format_duration(time.since_start()); }

}  // namespace sasim::sim
