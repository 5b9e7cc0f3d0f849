#include "model/auth/legacy_claims.h"

#include <catch2/catch.hpp>

namespace sasim::model::auth {
namespace {

TEST_CASE("legacy claims are the six J4 claims and nothing else", "[legacy_claims]") {
  const LegacyClaims claims = make_legacy_claims("test", "my-service-account", "12345", "my-secret");
  CHECK(claims.issuer == "kubernetes/serviceaccount");
  CHECK(claims.subject == "system:serviceaccount:test:my-service-account");
  const nlohmann::json expected = {
      {"iss", "kubernetes/serviceaccount"},
      {"sub", "system:serviceaccount:test:my-service-account"},
      {"kubernetes.io/serviceaccount/namespace", "test"},
      {"kubernetes.io/serviceaccount/secret.name", "my-secret"},
      {"kubernetes.io/serviceaccount/service-account.name", "my-service-account"},
      {"kubernetes.io/serviceaccount/service-account.uid", "12345"},
  };
  CHECK(to_json(claims) == expected);
}

TEST_CASE("legacy claims read back from their JSON", "[legacy_claims]") {
  const LegacyClaims claims = make_legacy_claims("ns", "sa", "uid-1", "sa-token-abcde");
  std::vector<std::string> audiences{"untouched"};
  const auto back = legacy_claims_from_json(to_json(claims), &audiences);
  REQUIRE(back.ok());
  CHECK(back.value() == claims);
  CHECK(audiences == std::vector<std::string>{"untouched"});
}

TEST_CASE("missing and null claims read as empty strings", "[legacy_claims]") {
  const auto back = legacy_claims_from_json({{"sub", nullptr}, {"iss", "x"}});
  REQUIRE(back.ok());
  CHECK(back.value() == LegacyClaims{"x", "", "", "", "", ""});
}

TEST_CASE("claims of the wrong JSON type are errors as in go-jose", "[legacy_claims]") {
  const nlohmann::json base = to_json(make_legacy_claims("ns", "sa", "uid", "secret"));
  const std::pair<std::string, nlohmann::json> bad[] = {
      {"sub", 5},
      {"iss", true},
      {"jti", nlohmann::json::array()},
      {"kubernetes.io/serviceaccount/service-account.uid", 12345},
      {"exp", "soon"},
      {"aud", 1},
      {"aud", {"a", 2}},
  };
  for (const auto& [key, value] : bad) {
    INFO(key);
    nlohmann::json payload = base;
    payload[key] = value;
    const auto claims = legacy_claims_from_json(payload);
    REQUIRE_FALSE(claims.ok());
    CHECK_THAT(claims.error().message, Catch::Contains(key));
  }
  CHECK_FALSE(legacy_claims_from_json(nlohmann::json::array()).ok());
}

TEST_CASE("aud reads as a string or a list of strings", "[legacy_claims]") {
  std::vector<std::string> audiences;
  REQUIRE(legacy_claims_from_json({{"aud", "api"}}, &audiences).ok());
  CHECK(audiences == std::vector<std::string>{"api"});
  REQUIRE(legacy_claims_from_json({{"aud", {"a", "b"}}, {"exp", 1.5}}, &audiences).ok());
  CHECK(audiences == std::vector<std::string>{"a", "b"});
}

}  // namespace
}  // namespace sasim::model::auth
