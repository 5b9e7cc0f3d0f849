#include "model/client/token_bucket.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>
#include <cstdint>

namespace sasim::model::client {
namespace {

using ::sasim::sim::testing::at_ms;

using sim::Duration;
using sim::Time;

TEST_CASE("a client bucket lets the burst through at once then paces at the rate", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 30);  // --kube-api-qps / --kube-api-burst
  for (int i = 0; i < 30; ++i) REQUIRE(bucket.reserve(Time::zero()) == Duration::zero());
  CHECK(bucket.reserve(Time::zero()) == Duration::milliseconds(50));
  // The Nth request made at t=0 may go at (N - 30) / 20 s: 100 requests take 3.5 s.
  for (int n = 32; n <= 100; ++n) REQUIRE(bucket.reserve(Time::zero()) == Duration::milliseconds(50) * (n - 30));
}

TEST_CASE("callers that wait their turn are admitted every 1/rate", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 30);
  Time now = Time::zero();
  for (int i = 0; i < 30; ++i) REQUIRE(bucket.reserve(now) == Duration::zero());
  // A sequential client: each request is made when the previous one was admitted.
  for (int i = 1; i <= 200; ++i) {
    now = now + bucket.reserve(now);
    REQUIRE(now == at_ms(50 * i));
  }
}

TEST_CASE("reservations queue up behind each other and tokens go negative", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 30);
  for (int i = 0; i < 40; ++i) bucket.reserve(Time::zero());
  CHECK(bucket.tokens_at(Time::zero()) == -10);
  CHECK(bucket.tokens_at(at_ms(250)) == -5);
  CHECK(bucket.tokens_at(at_ms(240)) == -6);  // floor: -5.2 tokens
  // Acts at 550 ms = 11 tokens after t=0, behind the 10 queued reservations.
  CHECK(bucket.reserve(at_ms(250)) == Duration::milliseconds(300));
  CHECK(bucket.tokens_at(at_ms(250)) == -6);
  CHECK(bucket.tokens_at(at_ms(550)) == 0);
}

TEST_CASE("an idle bucket refills to its burst and no further", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 30);
  for (int i = 0; i < 30; ++i) bucket.reserve(Time::zero());
  CHECK(bucket.tokens_at(Time::zero()) == 0);
  CHECK(bucket.tokens_at(at_ms(750)) == 15);
  CHECK(bucket.tokens_at(at_ms(1500)) == 30);
  CHECK(bucket.tokens_at(at_ms(1'000'000)) == 30);
  for (int i = 0; i < 30; ++i) REQUIRE(bucket.reserve(at_ms(1'000'000)) == Duration::zero());
  CHECK(bucket.reserve(at_ms(1'000'000)) == Duration::milliseconds(50));
}

TEST_CASE("the workqueue bucket has 100 immediate retries then 10 per second", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(10), 100);
  for (int i = 0; i < 100; ++i) REQUIRE(bucket.reserve(at_ms(7)) == Duration::zero());
  CHECK(bucket.reserve(at_ms(7)) == Duration::milliseconds(100));
  CHECK(bucket.reserve(at_ms(7)) == Duration::milliseconds(200));
}

TEST_CASE("delays truncate to the nanosecond without drifting", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(3), 1);
  CHECK(bucket.reserve(Time::zero()) == Duration::zero());
  CHECK(bucket.reserve(Time::zero()) == Duration::nanoseconds(333'333'333));
  CHECK(bucket.reserve(Time::zero()) == Duration::nanoseconds(666'666'666));
  CHECK(bucket.reserve(Time::zero()) == Duration::seconds(1));
  // Exact units: 3000 reservations later the schedule is still on the exact grid.
  Duration last = Duration::zero();
  for (int i = 5; i <= 3'000; ++i) last = bucket.reserve(Time::zero());
  CHECK(last == Duration::nanoseconds(999'666'666'666));
  CHECK(bucket.reserve(Time::zero()) == Duration::seconds(1000));
}

TEST_CASE("a rate slower than one per second", "[token_bucket]") {
  TokenBucket bucket(Rate::every(Duration::seconds(3)), 2);
  CHECK(bucket.reserve(Time::zero()) == Duration::zero());
  CHECK(bucket.reserve(Time::zero()) == Duration::zero());
  CHECK(bucket.reserve(Time::zero()) == Duration::seconds(3));
  CHECK(bucket.reserve(at_ms(4'000)) == Duration::seconds(2));
  CHECK(bucket.tokens_at(at_ms(100'000)) == 2);
}

TEST_CASE("reserve_within refuses a wait past the deadline and changes nothing", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 1);
  CHECK(bucket.reserve_within(Time::zero(), Duration::zero()) == Duration::zero());
  CHECK_FALSE(bucket.reserve_within(Time::zero(), Duration::milliseconds(49)).has_value());
  CHECK(bucket.tokens_at(Time::zero()) == 0);
  CHECK(bucket.reserve_within(Time::zero(), Duration::milliseconds(50)) == Duration::milliseconds(50));
  CHECK(bucket.tokens_at(Time::zero()) == -1);
}

TEST_CASE("allow takes a token only when one is there", "[token_bucket]") {
  TokenBucket bucket(Rate::per_second(20), 2);
  CHECK(bucket.allow(Time::zero()));
  CHECK(bucket.allow(Time::zero()));
  CHECK_FALSE(bucket.allow(Time::zero()));
  CHECK_FALSE(bucket.allow(at_ms(49)));
  CHECK(bucket.allow(at_ms(50)));
  CHECK_FALSE(bucket.allow(at_ms(50)));
}

TEST_CASE("an unlimited bucket never delays", "[token_bucket]") {
  TokenBucket bucket = TokenBucket::unlimited();
  CHECK(bucket.is_unlimited());
  for (int i = 0; i < 1'000; ++i) REQUIRE(bucket.reserve(Time::zero()) == Duration::zero());
}

TEST_CASE("two buckets given the same calls agree", "[token_bucket]") {
  TokenBucket a(Rate::per_second(7), 5);
  TokenBucket b = a;
  for (int i = 0; i < 50; ++i) {
    const Time now = at_ms(i * 37);
    REQUIRE(a.reserve(now) == b.reserve(now));
  }
}

}  // namespace
}  // namespace sasim::model::client
