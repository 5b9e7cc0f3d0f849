#include "scenarios/scalar_resolve.h"

#include <catch2/catch.hpp>

namespace sasim::scenarios {
namespace {

using nlohmann::json;

TEST_CASE("plain scalars resolve as go-yaml v2 reads them") {
  CHECK(resolve_plain_scalar("true") == json(true));
  CHECK(resolve_plain_scalar("yes") == json(true));
  CHECK(resolve_plain_scalar("On") == json(true));
  CHECK(resolve_plain_scalar("n") == json(false));
  CHECK(resolve_plain_scalar("OFF") == json(false));
  CHECK(resolve_plain_scalar("~").is_null());
  CHECK(resolve_plain_scalar("Null").is_null());
  CHECK(resolve_plain_scalar("42") == json(42));
  CHECK(resolve_plain_scalar("-7") == json(-7));
  CHECK(resolve_plain_scalar("1_000") == json(1000));
  CHECK(resolve_plain_scalar("010") == json(8));
  CHECK(resolve_plain_scalar("0x1F") == json(31));
  CHECK(resolve_plain_scalar("0b101") == json(5));
  CHECK(resolve_plain_scalar("0o17") == json(15));
  CHECK(resolve_plain_scalar("18446744073709551615") == json(18446744073709551615ULL));
  CHECK(resolve_plain_scalar("1.5") == json(1.5));
  CHECK(resolve_plain_scalar(".5") == json(0.5));
  CHECK(resolve_plain_scalar("1e3") == json(1000));
}

TEST_CASE("integral floats become integers as Go's JSON writes them") {
  const json one = resolve_plain_scalar("1.0");
  CHECK(one.is_number_integer());
  CHECK(one == json(1));
}

TEST_CASE("what go-yaml keeps as strings stays a string") {
  for (const char* text : {"1.20.3", "2020-01-01T00:00:00Z", ".inf", "-.inf", ".nan", "1e400", "0x", "abc", "+",
                           "1:30", "12abc", "-", "Yes please", "nginx:1.19"}) {
    INFO(text);
    CHECK(resolve_plain_scalar(text) == json(text));
  }
}

TEST_CASE("a signed value beyond int64 is a float as ParseUint takes no sign") {
  CHECK(resolve_plain_scalar("+18446744073709551615").is_number_float());
  CHECK(resolve_plain_scalar("-9223372036854775808") == json(INT64_MIN));
  CHECK(resolve_plain_scalar("-9223372036854775809").is_number_float());
}

TEST_CASE("resolve_integer reads integers only") {
  CHECK(resolve_integer("12") == json(12));
  CHECK(!resolve_integer("1.5").has_value());
  CHECK(!resolve_integer("").has_value());
}

}  // namespace
}  // namespace sasim::scenarios
