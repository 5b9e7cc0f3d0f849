// Civil dates without <ctime>, and RFC 3339 parsing with Go's messages.
#include "model/objects/timestamp.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

TEST_CASE("civil dates convert both ways") {
  struct Case {
    std::int64_t unix_seconds;
    CivilTime civil;
  };
  const Case cases[] = {
      {0, {1970, 1, 1, 0, 0, 0}},
      {1577836800, {2020, 1, 1, 0, 0, 0}},
      {1563692827, {2019, 7, 21, 7, 7, 7}},
      {951782400, {2000, 2, 29, 0, 0, 0}},
      {4107542399, {2100, 2, 28, 23, 59, 59}},
      {-1, {1969, 12, 31, 23, 59, 59}},
      {-62135596800, {1, 1, 1, 0, 0, 0}},
      {253402300799, {9999, 12, 31, 23, 59, 59}},
  };
  for (const Case& c : cases) {
    INFO(c.unix_seconds);
    CHECK(civil_from_unix(c.unix_seconds) == c.civil);
    CHECK(unix_from_civil(c.civil) == c.unix_seconds);
  }
}

TEST_CASE("timestamps format as the API and kubectl describe print them") {
  CHECK(format_rfc3339(1577836800) == "2020-01-01T00:00:00Z");
  CHECK(format_rfc3339(1434413579) == "2015-06-16T00:12:59Z");
  CHECK(format_rfc1123z(1577836800) == "Wed, 01 Jan 2020 00:00:00 +0000");
  CHECK(format_rfc1123z(1563692827) == "Sun, 21 Jul 2019 07:07:07 +0000");
  CHECK(format_rfc1123z(-1) == "Wed, 31 Dec 1969 23:59:59 +0000");
}

TEST_CASE("RFC 3339 parsing accepts what Go accepts") {
  struct Case {
    const char* text;
    UnixInstant instant;
  };
  const Case cases[] = {
      {"2020-01-01T00:00:00Z", {1577836800, 0}},
      {"2019-07-21T07:07:07Z", {1563692827, 0}},
      {"2020-01-01T00:00:00.5Z", {1577836800, 500000000}},
      {"2020-01-01T00:00:00.123456789123Z", {1577836800, 123456789}},
      {"2020-01-01T02:00:00+02:00", {1577836800, 0}},
      {"2019-12-31T19:30:00-04:30", {1577836800, 0}},
      {"2020-01-01T1:00:00Z", {1577840400, 0}},
      {"2000-02-29T00:00:00Z", {951782400, 0}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto parsed = parse_rfc3339(c.text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == c.instant);
  }
}

TEST_CASE("RFC 3339 parse errors use Go's words") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", R"(parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006")"},
      {"yesterday", R"(parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006")"},
      {"2020-1-01T00:00:00Z", R"(parsing time "2020-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01")"},
      {"2020-01-01t00:00:00Z", R"(parsing time "2020-01-01t00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "t00:00:00Z" as "T")"},
      {"2020-01-01T00:00:00", R"(parsing time "2020-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00")"},
      {"2020-01-01T00:00:00+0200", R"(parsing time "2020-01-01T00:00:00+0200" as "2006-01-02T15:04:05Z07:00": cannot parse "+0200" as "Z07:00")"},
      {"2020-13-01T00:00:00Z", R"(parsing time "2020-13-01T00:00:00Z": month out of range)"},
      {"2019-02-29T00:00:00Z", R"(parsing time "2019-02-29T00:00:00Z": day out of range)"},
      {"2020-01-01T24:00:00Z", R"(parsing time "2020-01-01T24:00:00Z": hour out of range)"},
      {"2020-01-01T00:00:00Zjunk", R"(parsing time "2020-01-01T00:00:00Zjunk": extra text: "junk")"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto parsed = parse_rfc3339(c.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error() == c.message);
  }
}

TEST_CASE("wall-clock and simulated instants convert with the epoch") {
  const std::int64_t epoch = kDefaultEpochUnixSeconds;
  CHECK(wall_seconds(sim::Time::zero(), epoch) == epoch);
  CHECK(wall_seconds(sim::Time::from_start(sim::Duration::milliseconds(1999)), epoch) == epoch + 1);
  CHECK(sim_time_from_wall({epoch + 5, 250}, epoch) == sim::Time::from_start(sim::Duration::nanoseconds(5'000'000'250)));
  CHECK(sim_time_from_wall({epoch - 5, 0}, epoch) == sim::Time::zero());
  CHECK(sim_time_from_wall({253402300799, 0}, epoch) == sim::Time::never());
}

}  // namespace
}  // namespace sasim::model
