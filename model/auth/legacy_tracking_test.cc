#include "model/auth/legacy_tracking.h"

#include <catch2/catch.hpp>

namespace sasim::model::auth {
namespace {

constexpr std::int64_t k20261207Noon = 1796644800;  // 2026-12-07T12:00:00Z

TEST_CASE("dates are UTC calendar days written as Go's 2006-01-02", "[legacy_tracking]") {
  CHECK(utc_date(0) == "1970-01-01");
  CHECK(utc_date(k20261207Noon) == "2026-12-07");
  CHECK(utc_date(1582934400) == "2020-02-29");           // a leap day
  CHECK(utc_date(1577836799) == "2019-12-31");           // the last second of a day
  CHECK(parse_utc_date("2020-02-29") == 1582934400);
  CHECK(parse_utc_date("2022-12-20") == 1671494400);
  for (const char* bad : {"", "2022-12-27-1", "2022-13-01", "2021-02-29", "2022-1-01", "20221-2-01", "2022/12/20",
                          "2022-12-20T00:00:00Z", " 2022-12-20", "abcd-ef-gh", "2022-00-10", "2022-04-31"}) {
    INFO(bad);
    CHECK_FALSE(parse_utc_date(bad).has_value());
  }
}

TEST_CASE("the last-used label is written unless it is today or tomorrow", "[legacy_tracking]") {
  CHECK(last_used_needs_update("", k20261207Noon));
  CHECK(last_used_needs_update("2026-12-06", k20261207Noon));
  CHECK_FALSE(last_used_needs_update("2026-12-07", k20261207Noon));
  CHECK_FALSE(last_used_needs_update("2026-12-08", k20261207Noon));  // an apiserver whose clock runs ahead
  CHECK(last_used_needs_update("2026-12-09", k20261207Noon));
  CHECK(last_used_needs_update("garbage", k20261207Noon));
  // Midnight: a second before it the label of that day holds; at it, a new day begins.
  const std::int64_t midnight = 1796688000;  // 2026-12-08T00:00:00Z
  CHECK_FALSE(last_used_needs_update("2026-12-07", midnight - 1));
  CHECK(last_used_needs_update("2026-12-07", midnight));
}

}  // namespace
}  // namespace sasim::model::auth
