// Wall-clock instants as the API writes them: RFC 3339 in UTC with whole
// seconds (metav1.Time), and kubectl's RFC 1123 form for describe.
//
// Dates are computed with integer arithmetic (Howard Hinnant's civil-from-days
// algorithm) rather than <ctime>: gmtime and localtime read global state (TZ,
// a static result buffer), which the determinism contract forbids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/result.h"
#include "sim/time.h"

namespace sasim::model {

// 2020-01-01T00:00:00Z, the scenario format's default cluster.startTime.
inline constexpr std::int64_t kDefaultEpochUnixSeconds = 1577836800;

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool operator==(const CivilTime&) const = default;
};

CivilTime civil_from_unix(std::int64_t unix_seconds);
// Assumes a valid date; the fields are not range-checked.
std::int64_t unix_from_civil(const CivilTime& civil);

struct UnixInstant {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;  // 0..999'999'999
  bool operator==(const UnixInstant&) const = default;
};

// Parses "2020-01-01T00:00:00Z" as Go's time.Parse(time.RFC3339, ...) does:
// fractional seconds and numeric offsets ("+02:00") are accepted. Errors use
// Go's wording: `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot
// parse "x" as "2006"`, `parsing time "...": month out of range`.
sim::Result<UnixInstant, std::string> parse_rfc3339(std::string_view text);

// "2020-01-01T00:00:00Z".
std::string format_rfc3339(std::int64_t unix_seconds);
// "Wed, 01 Jan 2020 00:00:00 +0000" (Go's time.RFC1123Z, in UTC).
std::string format_rfc1123z(std::int64_t unix_seconds);

// The wall-clock second of a simulated instant. Sub-second parts are dropped,
// as the apiserver's metav1.Time keeps whole seconds.
std::int64_t wall_seconds(sim::Time t, std::int64_t epoch_unix_seconds);

// The simulated instant of a wall-clock one. Instants before the epoch clamp
// to time 0: simulated time cannot be negative, and the API ignores the
// timestamps of a manifest on create anyway (a pasted `kubectl get -o yaml`
// with an older creationTimestamp must still be accepted).
sim::Time sim_time_from_wall(const UnixInstant& instant, std::int64_t epoch_unix_seconds);

}  // namespace sasim::model
