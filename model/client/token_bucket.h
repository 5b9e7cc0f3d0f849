// TokenBucket: golang.org/x/time/rate's Limiter, as client-go uses it, in
// exact integer arithmetic.
//
// client-go throttles in two places with the same Limiter: every API client
// (flowcontrol's tokenBucketRateLimiter; --kube-api-qps 20, --kube-api-burst
// 30 per controller client) calls Wait before each request, and the workqueue's
// BucketRateLimiter (10 qps, burst 100, shared by all keys) returns
// Reserve().Delay() from When. Both are "reserve one token now, act after the
// reservation's delay": the bucket may go negative, so reservations queue up
// behind each other and each caller learns at once how long it must wait.
//
// The Limiter's state is (tokens, last): tokens refill at `rate` since `last`,
// capped at `burst`; a reservation takes one token (going negative if need be)
// and sets last = now. A new Limiter starts full (upstream starts at zero
// tokens with last at the zero time, which the first refill caps to burst).
//
// Rounding. Upstream keeps tokens as a float64; here they are an exact integer
// in units of 1/events of a token-period, so that one token is `period` units
// and one nanosecond refills `events` units (the fraction reduced by its gcd:
// at 20 qps one unit is one nanosecond's worth and a token is 50,000,000
// units). Refills are exact. A deficit of d units is a delay of floor(d /
// events) ns, as Go's time.Duration(float) conversion truncates; Go's float
// rounding may differ from the exact value by at most a nanosecond on rates
// that are not a whole number of nanoseconds per token. The burst cap is
// applied exactly (upstream's truncated maxElapsed can leave the bucket a
// fraction of a nanosecond's worth short of full, which never changes a delay).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/int128.h"
#include "sim/time.h"

namespace sasim::model::client {

// `events` tokens per `period`; rational so that 20/s and one per 3s are exact.
struct Rate {
  std::int64_t events = 1;
  sim::Duration period = sim::Duration::seconds(1);

  static constexpr Rate per_second(std::int64_t events) { return Rate{events, sim::Duration::seconds(1)}; }
  // rate.Every(interval): one token per interval.
  static constexpr Rate every(sim::Duration interval) { return Rate{1, interval}; }

  constexpr bool valid() const { return events > 0 && period > sim::Duration::zero(); }
};

class TokenBucket {
 public:
  // A full bucket of `burst` tokens (burst >= 1: with 0 upstream refuses every
  // reservation, which no caller configures).
  TokenBucket(Rate rate, std::int64_t burst);
  // rate.Inf: never delays and keeps no state.
  static TokenBucket unlimited();

  // Reserves one token at `now` and returns the delay until the caller may
  // act (zero if a token was available). Always succeeds: the flowcontrol
  // Wait with no context deadline, and the workqueue BucketRateLimiter's When.
  // A `now` behind the last reservation refills nothing, as upstream.
  sim::Duration reserve(sim::Time now);

  // Wait with a context deadline: reserves only if the delay would be at most
  // `max_wait`; otherwise reserves nothing and returns nullopt (upstream's
  // "would exceed context deadline" error).
  std::optional<sim::Duration> reserve_within(sim::Time now, sim::Duration max_wait);

  // AllowN(now, 1): takes a token only if one is available right now.
  bool allow(sim::Time now) { return reserve_within(now, sim::Duration::zero()).has_value(); }

  // Whole tokens available at `now` (floor; negative while reservations are
  // queued), without reserving. For tests and reports.
  std::int64_t tokens_at(sim::Time now) const;

  bool is_unlimited() const { return unlimited_; }
  Rate rate() const { return rate_; }
  std::int64_t burst() const { return burst_; }

 private:
  TokenBucket() = default;
  sim::Int128 refilled(sim::Time now) const;

  bool unlimited_ = false;
  Rate rate_{};
  std::int64_t burst_ = 0;
  // The reduced fraction: one token is token_units_, one ns refills ns_units_.
  std::int64_t token_units_ = 1;
  std::int64_t ns_units_ = 1;
  sim::Int128 tokens_ = 0;  // in units; may be negative
  sim::Time last_ = sim::Time::zero();
};

}  // namespace sasim::model::client
