// client-go's workqueue rate limiters (k8s.io/client-go/util/workqueue,
// default_rate_limiters.go, as of 1.20), over any key type with operator<.
//
// A rate limiter answers "how long until this key may be retried?" (when),
// and keeps per-key failure counts that forget clears. Controllers combine
// them through DefaultControllerRateLimiter: the max of a per-key exponential
// backoff and one token bucket shared by every key, so a burst of failures
// across many keys is throttled to 10 retries per second overall.
//
// when() takes the current simulated time because the bucket needs it; the
// per-key limiters ignore it. As upstream, MaxOf asks every limiter, so the
// bucket spends a token even when the exponential backoff is the longer wait.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "model/client/token_bucket.h"
#include "sim/check.h"
#include "sim/time.h"

namespace sasim::model::client {

// min(base * 2^exponent, max), saturating at max where the product would
// overflow (upstream computes it in float64 and returns max above MaxInt64).
sim::Duration exponential_backoff(sim::Duration base, std::int64_t exponent, sim::Duration max);

// DefaultControllerRateLimiter's parameters.
inline constexpr sim::Duration kDefaultBaseDelay = sim::Duration::milliseconds(5);
inline constexpr sim::Duration kDefaultMaxDelay = sim::Duration::seconds(1000);
inline constexpr Rate kDefaultBucketRate = Rate::per_second(10);
inline constexpr std::int64_t kDefaultBucketBurst = 100;

template <class Key>
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // How long to wait before `key` is processed again; counts as a failure.
  virtual sim::Duration when(const Key& key, sim::Time now) = 0;
  // Stops tracking `key`: its next when() starts from scratch.
  virtual void forget(const Key& key) = 0;
  // Failures of `key` since the last forget.
  virtual std::int64_t num_requeues(const Key& key) const = 0;
};

// base * 2^failures, capped at max; failures counts when() calls since forget.
template <class Key>
class ItemExponentialFailureRateLimiter final : public RateLimiter<Key> {
 public:
  ItemExponentialFailureRateLimiter(sim::Duration base, sim::Duration max) : base_(base), max_(max) {
    SIM_CHECK(base >= sim::Duration::zero() && max >= sim::Duration::zero(),
              "ItemExponentialFailureRateLimiter needs non-negative delays");
  }

  sim::Duration when(const Key& key, sim::Time /*now*/) override {
    std::int64_t& failures = failures_[key];
    const std::int64_t exponent = failures;
    ++failures;
    return exponential_backoff(base_, exponent, max_);
  }
  void forget(const Key& key) override { failures_.erase(key); }
  std::int64_t num_requeues(const Key& key) const override {
    const auto it = failures_.find(key);
    return it == failures_.end() ? 0 : it->second;
  }

  // Keys with a failure count: what forget has yet to clear (memory in a
  // long run is proportional to it).
  std::size_t tracked() const { return failures_.size(); }

 private:
  sim::Duration base_;
  sim::Duration max_;
  std::map<Key, std::int64_t> failures_;
};

// One token bucket for all keys; keeps no per-key state.
template <class Key>
class BucketRateLimiter final : public RateLimiter<Key> {
 public:
  explicit BucketRateLimiter(TokenBucket bucket) : bucket_(std::move(bucket)) {}

  sim::Duration when(const Key& /*key*/, sim::Time now) override { return bucket_.reserve(now); }
  void forget(const Key& /*key*/) override {}
  std::int64_t num_requeues(const Key& /*key*/) const override { return 0; }

  const TokenBucket& bucket() const { return bucket_; }

 private:
  TokenBucket bucket_;
};

// The longest wait of all its limiters; forget reaches all of them.
template <class Key>
class MaxOfRateLimiter final : public RateLimiter<Key> {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter<Key>>> limiters)
      : limiters_(std::move(limiters)) {
    for (const auto& limiter : limiters_) SIM_CHECK(limiter != nullptr, "MaxOfRateLimiter given a null limiter");
  }

  sim::Duration when(const Key& key, sim::Time now) override {
    sim::Duration longest = sim::Duration::zero();
    for (auto& limiter : limiters_) longest = std::max(longest, limiter->when(key, now));
    return longest;
  }
  void forget(const Key& key) override {
    for (auto& limiter : limiters_) limiter->forget(key);
  }
  std::int64_t num_requeues(const Key& key) const override {
    std::int64_t most = 0;
    for (const auto& limiter : limiters_) most = std::max(most, limiter->num_requeues(key));
    return most;
  }

 private:
  std::vector<std::unique_ptr<RateLimiter<Key>>> limiters_;
};

// workqueue.DefaultControllerRateLimiter(): MaxOf(ItemExponentialFailure(5ms,
// 1000s), Bucket(10 qps, burst 100)).
template <class Key>
std::unique_ptr<RateLimiter<Key>> default_controller_rate_limiter() {
  std::vector<std::unique_ptr<RateLimiter<Key>>> limiters;
  limiters.push_back(std::make_unique<ItemExponentialFailureRateLimiter<Key>>(kDefaultBaseDelay, kDefaultMaxDelay));
  limiters.push_back(std::make_unique<BucketRateLimiter<Key>>(TokenBucket(kDefaultBucketRate, kDefaultBucketBurst)));
  return std::make_unique<MaxOfRateLimiter<Key>>(std::move(limiters));
}

}  // namespace sasim::model::client
