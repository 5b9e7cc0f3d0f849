#include "sim/time.h"

#include <catch2/catch.hpp>

namespace sasim::sim {
namespace {

TEST_CASE("durations convert between units exactly", "[time]") {
  CHECK(Duration::microseconds(1).ns() == 1'000);
  CHECK(Duration::milliseconds(250).ns() == 250'000'000);
  CHECK(Duration::minutes(1) + Duration::seconds(30) == Duration::seconds(90));
  CHECK(Duration::hours(48) == Duration::minutes(48 * 60));
  CHECK(Duration::seconds(1) / 4 == Duration::milliseconds(250));
  CHECK(Duration::milliseconds(3) * 2 == Duration::milliseconds(6));
  CHECK(-Duration::seconds(1) < Duration::zero());
}

TEST_CASE("instants and durations combine as their types allow", "[time]") {
  const Time t = Time::zero() + Duration::seconds(5);
  CHECK(t.since_start() == Duration::seconds(5));
  CHECK(t - Time::zero() == Duration::seconds(5));
  CHECK(Time::zero() - t == -Duration::seconds(5));
  CHECK(t - Duration::seconds(2) == Time::from_start(Duration::seconds(3)));
  CHECK(Time::zero() < t);
  CHECK(t < Time::never());
}

TEST_CASE("adding to an instant saturates at never() instead of overflowing", "[time]") {
  const Time late = Time::from_start(Duration::max() - Duration::seconds(1));
  CHECK(late + Duration::hours(1) == Time::never());
  CHECK(Time::never() + Duration::nanoseconds(1) == Time::never());
}

}  // namespace
}  // namespace sasim::sim
