// Base64 as Go's StdEncoding: RFC 4648 vectors, and Go's error offsets.
#include "model/objects/base64.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

TEST_CASE("base64 follows the RFC 4648 vectors") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(base64_encode(plain) == encoded);
    auto decoded = base64_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == plain);
  }
  CHECK(base64_encode(std::string("\x00\xff\xfe", 3)) == "AP/+");
}

TEST_CASE("base64 decoding skips line breaks as Go does") {
  auto decoded = base64_decode("Zm9v\r\nYmFy\n");
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == "foobar");
  auto padded = base64_decode("Zg=\n=");
  REQUIRE(padded.ok());
  CHECK(padded.value() == "f");
}

TEST_CASE("base64 errors carry Go's offsets") {
  const std::pair<const char*, std::size_t> cases[] = {
      {"Zm9", 0},         // too short: padding is required
      {"Z", 0},
      {"Zg=", 3},         // not enough padding
      {"Zg==x", 4},       // garbage after the padding
      {"Z===", 1},        // padding too early
      {"Zm9v$mFy", 4},    // a character outside the alphabet
      {"Zm9vYmFy Zg==", 8},
      {"Zm-v", 2},        // URL alphabet is not standard
      {"Zg=x", 2},
  };
  for (const auto& [text, offset] : cases) {
    INFO(text);
    auto decoded = base64_decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().offset == offset);
  }
  CHECK(Base64Error{4}.message() == "illegal base64 data at input byte 4");
}

}  // namespace
}  // namespace sasim::model
