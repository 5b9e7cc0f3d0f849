#include "model/auth/unverified_issuer.h"

#include <catch2/catch.hpp>

#include "model/auth/base64.h"

namespace sasim::model::auth {
namespace {

std::string token_with_payload(std::string_view payload) {
  return base64url_encode(R"({"alg":"RS256"})") + "." + base64url_encode(payload) + ".c2ln";
}

TEST_CASE("the issuer is read from the unverified payload", "[unverified_issuer]") {
  struct Case {
    std::string payload;
    std::optional<std::string> issuer;
  };
  const Case cases[] = {
      {R"({"iss":"kubernetes/serviceaccount","sub":"x"})", "kubernetes/serviceaccount"},
      {R"({"sub":"x"})", ""},
      {R"({"iss":null})", ""},
      {"null", ""},
      {R"({"iss":5})", std::nullopt},
      {R"(["iss"])", std::nullopt},
      {R"("iss")", std::nullopt},
      {R"({"iss":)", std::nullopt},
      // Go's encoding/json folds case (and U+017F to s); the last match wins.
      {R"({"ISS":"bar"})", "bar"},
      {R"({"iss":"a","Iss":"b"})", "b"},
      {R"({"Iss":"b","iss":"a"})", "a"},
      {"{\"i\xc5\xbf\xc5\xbf\":\"long-s\"}", "long-s"},
      {R"({"issuer":"x","is":"y"})", ""},
  };
  for (const Case& c : cases) {
    INFO(c.payload);
    for (JwsParsing era : {JwsParsing::kGoJoseV2, JwsParsing::kCompactOnly}) {
      CHECK(unverified_issuer(token_with_payload(c.payload), era) == c.issuer);
    }
  }
}

TEST_CASE("tokens that are not three base64url parts have no issuer", "[unverified_issuer]") {
  const std::string payload = base64url_encode(R"({"iss":"kubernetes/serviceaccount"})");
  for (const std::string& token : {std::string("invalid token"), "a." + payload, "a." + payload + ".b.c",
                                   "a." + payload + "=.b", "a.!" + payload + ".b"}) {
    INFO(token);
    CHECK_FALSE(unverified_issuer(token, JwsParsing::kGoJoseV2).has_value());
    CHECK_FALSE(unverified_issuer(token, JwsParsing::kCompactOnly).has_value());
  }
  CHECK(unverified_issuer("." + payload + ".", JwsParsing::kGoJoseV2) == "kubernetes/serviceaccount");
  CHECK(unverified_issuer("." + payload + ".", JwsParsing::kCompactOnly) == "kubernetes/serviceaccount");
}

// The "malformed iss" case of upstream's later TestTokenGenerateAndValidate:
// a JSON-serialized JWS whose text happens to split into three
// dot-separated parts, the middle one an acceptable payload. 1.20's check
// only splits and decodes, so it reads that middle part's issuer; later
// releases turn away anything that starts with '{'.
TEST_CASE("a JSON-serialized token passes 1.20's check when its dots fall right", "[unverified_issuer]") {
  const std::string payload = base64url_encode(R"({"iss":"kubernetes/serviceaccount"})");
  const std::string json = R"({"payload":"e30","malformed_iss":"a.)" + payload + R"(.b","signature":"c2ln"})";
  CHECK(unverified_issuer(json, JwsParsing::kGoJoseV2) == "kubernetes/serviceaccount");
  CHECK_FALSE(unverified_issuer(json, JwsParsing::kCompactOnly).has_value());
  CHECK_FALSE(unverified_issuer("  \t" + json, JwsParsing::kCompactOnly).has_value());
  CHECK(unverified_issuer("x" + json, JwsParsing::kCompactOnly) == "kubernetes/serviceaccount");
}

// Go's base64 decoder skips \r and \n; 1.20's check decodes the middle part
// as it came.
TEST_CASE("newlines in the middle part pass 1.20's check", "[unverified_issuer]") {
  const std::string payload = base64url_encode(R"({"iss":"kubernetes/serviceaccount"})");
  const std::string token = "a." + payload.substr(0, 7) + "\r\n" + payload.substr(7) + "\n.b";
  CHECK(unverified_issuer(token, JwsParsing::kGoJoseV2) == "kubernetes/serviceaccount");
  CHECK_FALSE(unverified_issuer(token, JwsParsing::kCompactOnly).has_value());
  CHECK_FALSE(unverified_issuer("a." + payload.substr(0, 7) + " " + payload.substr(7) + ".b", JwsParsing::kGoJoseV2));
}

}  // namespace
}  // namespace sasim::model::auth
