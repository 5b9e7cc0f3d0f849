// Simulated time: integer nanoseconds in two strong types.
//
// Time is an instant (nanoseconds since the simulation started, never
// negative); Duration is a signed span between instants. Keeping them apart
// lets the compiler reject "instant + instant" and unit mix-ups, and integer
// arithmetic keeps every run bit-identical on every machine (no epsilon
// comparisons as with double-based simulators).
//
// Arithmetic that would overflow int64 is a broken invariant (SIM_CHECK),
// except Time + Duration, which saturates at Time::never(): a timer set
// "infinitely far" away must simply never fire.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

#include "sim/check.h"

namespace sasim::sim {

class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration nanoseconds(std::int64_t n) { return Duration(n); }
  static constexpr Duration microseconds(std::int64_t n) { return Duration(scaled(n, 1'000)); }
  static constexpr Duration milliseconds(std::int64_t n) { return Duration(scaled(n, 1'000'000)); }
  static constexpr Duration seconds(std::int64_t n) { return Duration(scaled(n, kNsPerSecond)); }
  static constexpr Duration minutes(std::int64_t n) { return Duration(scaled(n, 60 * kNsPerSecond)); }
  static constexpr Duration hours(std::int64_t n) { return Duration(scaled(n, 3600 * kNsPerSecond)); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t ns() const { return ns_; }

  constexpr auto operator<=>(const Duration&) const = default;

  constexpr Duration operator+(Duration other) const { return Duration(checked_add(ns_, other.ns_)); }
  constexpr Duration operator-(Duration other) const {
    std::int64_t out = 0;
    SIM_CHECK(!__builtin_sub_overflow(ns_, other.ns_, &out), "Duration subtraction overflows");
    return Duration(out);
  }
  constexpr Duration operator-() const { return Duration(0) - *this; }
  constexpr Duration operator*(std::int64_t factor) const { return Duration(scaled(ns_, factor)); }
  constexpr Duration operator/(std::int64_t divisor) const {
    SIM_CHECK(divisor != 0, "Duration divided by zero");
    return Duration(ns_ / divisor);
  }
  constexpr Duration& operator+=(Duration other) { return *this = *this + other; }
  constexpr Duration& operator-=(Duration other) { return *this = *this - other; }

  static constexpr std::int64_t kNsPerSecond = 1'000'000'000;

 private:
  constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}

  static constexpr std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t out = 0;
    SIM_CHECK(!__builtin_add_overflow(a, b, &out), "Duration addition overflows");
    return out;
  }
  static constexpr std::int64_t scaled(std::int64_t n, std::int64_t factor) {
    std::int64_t out = 0;
    SIM_CHECK(!__builtin_mul_overflow(n, factor, &out), "Duration out of range");
    return out;
  }

  std::int64_t ns_ = 0;
};

class Time {
 public:
  constexpr Time() = default;

  static constexpr Time zero() { return Time(0); }
  // An instant after every reachable one: "no deadline", "never fires".
  static constexpr Time never() { return Time(std::numeric_limits<std::int64_t>::max()); }
  static constexpr Time from_start(Duration since_start) {
    SIM_CHECK(since_start.ns() >= 0, "Time before the simulation start");
    return Time(since_start.ns());
  }

  constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }
  constexpr std::int64_t ns() const { return ns_; }

  constexpr auto operator<=>(const Time&) const = default;

  // Saturates at never() instead of overflowing.
  constexpr Time operator+(Duration d) const {
    std::int64_t out = 0;
    if (__builtin_add_overflow(ns_, d.ns(), &out)) {
      SIM_CHECK(d.ns() > 0, "Time moved before the simulation start");
      return never();
    }
    SIM_CHECK(out >= 0, "Time moved before the simulation start");
    return Time(out);
  }
  constexpr Time operator-(Duration d) const { return *this + (-d); }
  constexpr Duration operator-(Time other) const {
    return Duration::nanoseconds(ns_) - Duration::nanoseconds(other.ns_);
  }

 private:
  constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

}  // namespace sasim::sim
