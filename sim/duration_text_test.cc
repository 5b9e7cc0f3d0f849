#include "sim/duration_text.h"

#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

namespace sasim::sim {
namespace {

TEST_CASE("well-formed durations parse exactly", "[duration]") {
  struct Case {
    const char* text;
    Duration expected;
  };
  const Case cases[] = {
      {"0s", Duration::zero()},
      {"250ms", Duration::milliseconds(250)},
      {"2s", Duration::seconds(2)},
      {"1m30s", Duration::seconds(90)},
      {"1h", Duration::hours(1)},
      {"48h", Duration::hours(48)},
      {"100us", Duration::microseconds(100)},
      {"100\xC2\xB5s", Duration::microseconds(100)},
      {"7ns", Duration::nanoseconds(7)},
      {"1.5s", Duration::milliseconds(1500)},
      {"2.1ms", Duration::microseconds(2100)},
      {"0.000000001s", Duration::nanoseconds(1)},
      {"1.50000s", Duration::milliseconds(1500)},
      {"1h2m3.5s", Duration::hours(1) + Duration::minutes(2) + Duration::milliseconds(3500)},
      {"1h0m5s", Duration::hours(1) + Duration::seconds(5)},
      {"2562047h47m16.854775807s", Duration::max()},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto parsed = parse_duration(c.text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == c.expected);
  }
}

TEST_CASE("malformed durations are errors that point at the problem", "[duration]") {
  struct Case {
    const char* text;
    const char* message_part;
    std::size_t offset;
  };
  const Case cases[] = {
      {"", "empty", 0},
      {"5", "needs a unit", 1},
      {"0", "needs a unit", 1},
      {"1.5", "needs a unit", 3},
      {"1m30", "missing unit", 4},
      {"-5s", "negative", 0},
      {"+5s", "expected a number", 0},
      {"5min", "unknown unit \"min\"", 1},
      {"1d", "unknown unit \"d\"", 1},
      {"5S", "unknown unit \"S\"", 1},
      {"1s1m", "largest to smallest", 3},
      {"1m1m", "largest to smallest", 3},
      {" 5s", "expected a number", 0},
      {"5s ", "expected a number", 2},
      {"5 s", "missing unit", 1},
      {".5s", "expected a number", 0},
      {"5.s", "digits after '.'", 2},
      {"0.5ns", "finer than 1ns", 0},
      {"1.0000000001s", "finer than 1ns", 0},
      {"2562047h47m16.854775808s", "out of range", 11},
      {"99999999999999999999s", "out of range", 0},
      {"3000000h", "out of range", 0},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto parsed = parse_duration(c.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message, Catch::Contains(c.message_part));
    CHECK(parsed.error().offset == c.offset);
  }
}

TEST_CASE("durations print in the scenario format's style", "[duration]") {
  CHECK(format_duration(Duration::zero()) == "0s");
  CHECK(format_duration(Duration::nanoseconds(7)) == "7ns");
  CHECK(format_duration(Duration::microseconds(100)) == "100us");
  CHECK(format_duration(Duration::microseconds(2100)) == "2.1ms");
  CHECK(format_duration(Duration::milliseconds(250)) == "250ms");
  CHECK(format_duration(Duration::milliseconds(12'500)) == "12.5s");
  CHECK(format_duration(Duration::seconds(90)) == "1m30s");
  CHECK(format_duration(Duration::hours(48)) == "48h");
  CHECK(format_duration(Duration::hours(1) + Duration::seconds(5)) == "1h0m5s");
  CHECK(format_duration(Duration::minutes(2) + Duration::nanoseconds(1)) == "2m0.000000001s");
  CHECK(format_duration(-Duration::milliseconds(5)) == "-5ms");
  CHECK(format_duration(Duration::nanoseconds(INT64_MIN)) == "-2562047h47m16.854775808s");
  CHECK(format_time(Time::from_start(Duration::seconds(3))) == "3s");
}

TEST_CASE("every non-negative duration survives format then parse", "[duration][property]") {
  rc::prop("parse(format(d)) == d", [](std::int64_t raw) {
    const Duration d = Duration::nanoseconds(raw == INT64_MIN ? 0 : (raw < 0 ? -raw : raw));
    const auto parsed = parse_duration(format_duration(d));
    RC_ASSERT(parsed.ok());
    RC_ASSERT(parsed.value() == d);
  });
  rc::prop("small durations too (rapidcheck's int64s are mostly huge)", [](std::uint32_t small) {
    const Duration d = Duration::nanoseconds(small);
    RC_ASSERT(parse_duration(format_duration(d)).value() == d);
  });
}

}  // namespace
}  // namespace sasim::sim
