#include "model/client/token_bucket.h"

#include <limits>
#include <numeric>

#include "sim/check.h"

namespace sasim::model::client {

TokenBucket::TokenBucket(Rate rate, std::int64_t burst) : rate_(rate), burst_(burst) {
  SIM_CHECK(rate.valid(), "TokenBucket needs a positive rate");
  SIM_CHECK(burst >= 1, "TokenBucket needs a burst of at least 1");
  // Reducing keeps the units small: a whole number of ns per token becomes
  // ns_units_ == 1, so the units are plain nanoseconds.
  const std::int64_t divisor = std::gcd(rate.events, rate.period.ns());
  token_units_ = rate.period.ns() / divisor;
  ns_units_ = rate.events / divisor;
  tokens_ = static_cast<sim::Int128>(burst) * token_units_;
}

TokenBucket TokenBucket::unlimited() {
  TokenBucket bucket;
  bucket.unlimited_ = true;
  return bucket;
}

sim::Int128 TokenBucket::refilled(sim::Time now) const {
  const sim::Int128 full = static_cast<sim::Int128>(burst_) * token_units_;
  // A clock behind `last` refills nothing, as upstream's advance() treats it.
  const std::int64_t elapsed = now > last_ ? (now - last_).ns() : 0;
  // Both factors are below 2^63, so the product fits; comparing before adding
  // keeps the sum in range too.
  const sim::Int128 gained = static_cast<sim::Int128>(elapsed) * ns_units_;
  if (gained >= full - tokens_) return full;
  return tokens_ + gained;
}

std::optional<sim::Duration> TokenBucket::reserve_within(sim::Time now, sim::Duration max_wait) {
  if (unlimited_) return sim::Duration::zero();
  const sim::Int128 after = refilled(now) - token_units_;
  sim::Duration wait = sim::Duration::zero();
  if (after < 0) {
    const sim::Int128 ns = -after / ns_units_;  // truncation, as upstream
    SIM_CHECK(ns <= std::numeric_limits<std::int64_t>::max(), "TokenBucket reservation delay out of range");
    wait = sim::Duration::nanoseconds(static_cast<std::int64_t>(ns));
  }
  if (wait > max_wait) return std::nullopt;
  tokens_ = after;
  last_ = now;
  return wait;
}

sim::Duration TokenBucket::reserve(sim::Time now) { return *reserve_within(now, sim::Duration::max()); }

std::int64_t TokenBucket::tokens_at(sim::Time now) const {
  if (unlimited_) return std::numeric_limits<std::int64_t>::max();
  const sim::Int128 units = refilled(now);
  // Floor division: C++ truncates toward zero, which would round -0.5 up to 0.
  sim::Int128 whole = units / token_units_;
  if (units % token_units_ != 0 && units < 0) --whole;
  return static_cast<std::int64_t>(whole);
}

}  // namespace sasim::model::client
