#include "model/auth/base64.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace sasim::model::auth {
namespace {

struct Vector {
  std::string bytes;
  std::string std_text;
  std::string url_text;
};

// RFC 4648 section 10, plus bytes that tell the two alphabets apart.
const std::vector<Vector> kVectors = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
    {"\xfb\xff", "+/8=", "-_8"},
    {std::string("\x00\x10\x83", 3), "ABCD", "ABCD"},
};

TEST_CASE("base64 encodes and decodes the RFC 4648 vectors in both alphabets", "[base64]") {
  for (const Vector& v : kVectors) {
    INFO(v.std_text);
    CHECK(base64_encode(v.bytes) == v.std_text);
    CHECK(base64url_encode(v.bytes) == v.url_text);
    CHECK(base64_decode(v.std_text) == v.bytes);
    CHECK(base64url_decode(v.url_text) == v.bytes);
  }
}

TEST_CASE("base64 round trips every byte value at every tail length", "[base64]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t len = 0; len <= bytes.size(); len += 1) {
    const std::string slice = bytes.substr(bytes.size() - len);
    REQUIRE(base64_decode(base64_encode(slice)) == slice);
    REQUIRE(base64url_decode(base64url_encode(slice)) == slice);
  }
}

TEST_CASE("standard base64 decoding rejects bad padding lengths and characters", "[base64]") {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Z", "Zm9v=", "Zm9vY", "Zg==Zg==", "Zm9v YmFy", "Zm9v\nYmFy",
                          "Zm9v-_8=", "Zg=a", "=Zg=", "===="}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad).has_value());
  }
}

TEST_CASE("base64url decoding rejects padding and the standard alphabet and impossible lengths", "[base64]") {
  for (const char* bad : {"Zg==", "Zg=", "+/8", "Zm9vY", "Z", "Zm9v.", "Zm 9v"}) {
    INFO(bad);
    CHECK_FALSE(base64url_decode(bad).has_value());
  }
}

// Go's non-Strict decoders ignore the unused low bits of the last
// character, and upstream decodes tokens with them.
TEST_CASE("base64 decoding accepts stray bits in the last character as Go does", "[base64]") {
  CHECK(base64_decode("Zh==") == "f");
  CHECK(base64url_decode("Zh") == "f");
  CHECK(base64url_decode("Zm9") == "fo");
}

}  // namespace
}  // namespace sasim::model::auth
