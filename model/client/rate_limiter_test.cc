#include "model/client/rate_limiter.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace sasim::model::client {
namespace {

using ::sasim::sim::testing::at_ms;

using sim::Duration;
using sim::Time;

TEST_CASE("item exponential backoff doubles from 5 ms per failure", "[rate_limiter]") {
  ItemExponentialFailureRateLimiter<std::string> limiter(kDefaultBaseDelay, kDefaultMaxDelay);
  // The tokens controller's whole retry schedule (maxRetries 10).
  const std::int64_t expected_ms[] = {5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560};
  std::int64_t requeues = 0;
  for (const std::int64_t ms : expected_ms) {
    REQUIRE(limiter.num_requeues("a") == requeues);
    REQUIRE(limiter.when("a", Time::zero()) == Duration::milliseconds(ms));
    ++requeues;
  }
  CHECK(limiter.num_requeues("a") == 10);
}

TEST_CASE("item exponential backoff caps at 1000 s and keeps counting", "[rate_limiter]") {
  ItemExponentialFailureRateLimiter<int> limiter(kDefaultBaseDelay, kDefaultMaxDelay);
  for (int i = 0; i < 18; ++i) limiter.when(1, Time::zero());
  CHECK(limiter.num_requeues(1) == 18);
  // 5 ms * 2^17 = 655.36 s is the last uncapped delay; 2^18 would be 1310.72 s.
  CHECK(exponential_backoff(kDefaultBaseDelay, 17, kDefaultMaxDelay) == Duration::milliseconds(655'360));
  for (int i = 0; i < 200; ++i) REQUIRE(limiter.when(1, Time::zero()) == Duration::seconds(1000));
  CHECK(limiter.num_requeues(1) == 218);
}

TEST_CASE("forget resets one key and leaves the others", "[rate_limiter]") {
  ItemExponentialFailureRateLimiter<int> limiter(kDefaultBaseDelay, kDefaultMaxDelay);
  limiter.when(1, Time::zero());
  limiter.when(1, Time::zero());
  limiter.when(2, Time::zero());
  CHECK(limiter.tracked() == 2);
  limiter.forget(1);
  CHECK(limiter.num_requeues(1) == 0);
  CHECK(limiter.num_requeues(2) == 1);
  CHECK(limiter.tracked() == 1);
  CHECK(limiter.when(1, Time::zero()) == Duration::milliseconds(5));
  CHECK(limiter.when(2, Time::zero()) == Duration::milliseconds(10));
}

TEST_CASE("exponential backoff saturates instead of overflowing", "[rate_limiter]") {
  const Duration max = Duration::max();
  CHECK(exponential_backoff(Duration::nanoseconds(1), 62, max) == Duration::nanoseconds(std::int64_t{1} << 62));
  CHECK(exponential_backoff(Duration::nanoseconds(1), 63, max) == max);
  CHECK(exponential_backoff(Duration::nanoseconds(3), 62, max) == max);
  CHECK(exponential_backoff(Duration::milliseconds(5), 1'000'000, Duration::seconds(1)) == Duration::seconds(1));
  CHECK(exponential_backoff(Duration::zero(), 1'000, Duration::seconds(1)) == Duration::zero());
  CHECK(exponential_backoff(Duration::milliseconds(5), 0, Duration::milliseconds(1)) == Duration::milliseconds(1));
}

TEST_CASE("the bucket limiter keeps no per-key state", "[rate_limiter]") {
  BucketRateLimiter<int> limiter(TokenBucket(Rate::per_second(10), 2));
  CHECK(limiter.when(1, Time::zero()) == Duration::zero());
  CHECK(limiter.when(1, Time::zero()) == Duration::zero());
  CHECK(limiter.when(2, Time::zero()) == Duration::milliseconds(100));
  CHECK(limiter.num_requeues(1) == 0);
  limiter.forget(1);  // does not refund
  CHECK(limiter.when(1, Time::zero()) == Duration::milliseconds(200));
}

TEST_CASE("the default limiter is per-key backoff until the shared burst of 100 is spent", "[rate_limiter]") {
  auto limiter = default_controller_rate_limiter<int>();
  for (int key = 0; key < 100; ++key) REQUIRE(limiter->when(key, Time::zero()) == Duration::milliseconds(5));
  // The bucket now dominates: 10 per second for everyone.
  CHECK(limiter->when(100, Time::zero()) == Duration::milliseconds(100));
  CHECK(limiter->when(101, Time::zero()) == Duration::milliseconds(200));
  // Key 0's second failure wants 10 ms, the bucket 300 ms.
  CHECK(limiter->when(0, Time::zero()) == Duration::milliseconds(300));
  CHECK(limiter->num_requeues(0) == 2);
  CHECK(limiter->num_requeues(100) == 1);
  CHECK(limiter->num_requeues(500) == 0);
}

TEST_CASE("the default limiter asks the bucket even when the backoff is longer", "[rate_limiter]") {
  auto limiter = default_controller_rate_limiter<int>();
  for (int i = 0; i < 12; ++i) limiter->when(-1, Time::zero());  // backoff reaches 5 ms * 2^11 = 10.24 s
  // 12 tokens spent: 88 left for other keys.
  for (int key = 0; key < 88; ++key) REQUIRE(limiter->when(key, Time::zero()) == Duration::milliseconds(5));
  CHECK(limiter->when(88, Time::zero()) == Duration::milliseconds(100));
  CHECK(limiter->when(-1, Time::zero()) == Duration::milliseconds(20'480));
}

TEST_CASE("the default limiter forgets in every part and refills with time", "[rate_limiter]") {
  auto limiter = default_controller_rate_limiter<int>();
  for (int i = 0; i < 5; ++i) limiter->when(1, at_ms(0));
  CHECK(limiter->num_requeues(1) == 5);
  limiter->forget(1);
  CHECK(limiter->num_requeues(1) == 0);
  CHECK(limiter->when(1, at_ms(0)) == Duration::milliseconds(5));
  for (int key = 0; key < 200; ++key) limiter->when(key + 10, at_ms(0));
  // 206 tokens reserved at t=0, 100 of them from the burst: the 207th is due
  // at 10.7 s, 10.1 s after it is asked for.
  CHECK(limiter->when(2, at_ms(600)) == Duration::milliseconds(10'100));
}

}  // namespace
}  // namespace sasim::model::client
