#include "model/auth/legacy_validator.h"

#include <catch2/catch.hpp>
#include <functional>

#include "model/auth/fake_token_lookup.h"

namespace sasim::model::auth {
namespace {

constexpr std::string_view kToken = "the.token.bytes";

testing::FakeTokenLookup healthy_cluster() {
  testing::FakeTokenLookup lookup;
  lookup.add_secret("test", "my-secret", {std::string(kToken), false});
  lookup.add_service_account("test", "my-service-account", {"12345", false});
  return lookup;
}

LegacyClaims good_claims() { return make_legacy_claims("test", "my-service-account", "12345", "my-secret"); }

TEST_CASE("valid claims with matching objects give the account's user", "[legacy_validator]") {
  auto lookup = healthy_cluster();
  const auto user = validate_legacy_token(kToken, good_claims(), &lookup);
  REQUIRE(user.ok());
  CHECK(user.value() == UserInfo{"system:serviceaccount:test:my-service-account", "12345",
                                 {"system:serviceaccounts", "system:serviceaccounts:test"}});
}

// Each rejection of pkg/serviceaccount/legacy.go (1.14–1.25), first failure wins.
TEST_CASE("each legacy validator rejection has upstream's message", "[legacy_validator]") {
  struct Case {
    std::string name;
    std::function<void(LegacyClaims&, testing::FakeTokenLookup&)> breaks;
    std::string message;
  };
  const Case cases[] = {
      {"no sub", [](LegacyClaims& c, auto&) { c.subject.clear(); }, "sub claim is missing"},
      {"no namespace", [](LegacyClaims& c, auto&) { c.ns.clear(); }, "namespace claim is missing"},
      {"no secret name", [](LegacyClaims& c, auto&) { c.secret_name.clear(); }, "secretName claim is missing"},
      {"no account name", [](LegacyClaims& c, auto&) { c.service_account_name.clear(); },
       "serviceAccountName claim is missing"},
      {"no account uid", [](LegacyClaims& c, auto&) { c.service_account_uid.clear(); },
       "serviceAccountUID claim is missing"},
      {"claims checked in order", [](LegacyClaims& c, auto&) { c.ns.clear();
         c.service_account_uid.clear(); },
       "namespace claim is missing"},
      {"sub of another namespace", [](LegacyClaims& c, auto&) { c.subject = "system:serviceaccount:other:my-service-account"; },
       "sub claim is invalid"},
      {"sub of another account", [](LegacyClaims& c, auto&) { c.subject = "system:serviceaccount:test:other"; },
       "sub claim is invalid"},
      {"sub not an account", [](LegacyClaims& c, auto&) { c.subject = "admin"; }, "sub claim is invalid"},
      {"secret gone", [](LegacyClaims& c, auto&) { c.secret_name = "gone"; }, "Token has been invalidated"},
      {"secret being deleted",
       [](LegacyClaims&, testing::FakeTokenLookup& l) { l.add_secret("test", "my-secret", {std::string(kToken), true}); },
       "Token has been invalidated"},
      {"secret holds another token",
       [](LegacyClaims&, testing::FakeTokenLookup& l) { l.add_secret("test", "my-secret", {"other", false}); },
       "Token does not match server's copy"},
      {"secret holds no token",
       [](LegacyClaims&, testing::FakeTokenLookup& l) { l.add_secret("test", "my-secret", {"", false}); },
       "Token does not match server's copy"},
      {"account gone",
       [](LegacyClaims& c, testing::FakeTokenLookup& l) {
         c.service_account_name = "gone";
         c.subject = "system:serviceaccount:test:gone";
         (void)l;
       },
       "serviceaccounts \"gone\" not found"},
      {"account being deleted",
       [](LegacyClaims&, testing::FakeTokenLookup& l) { l.add_service_account("test", "my-service-account", {"12345", true}); },
       "ServiceAccount test/my-service-account has been deleted"},
      {"account recreated",
       [](LegacyClaims&, testing::FakeTokenLookup& l) { l.add_service_account("test", "my-service-account", {"67890", false}); },
       "ServiceAccount UID (67890) does not match claim (12345)"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto lookup = healthy_cluster();
    LegacyClaims claims = good_claims();
    c.breaks(claims, lookup);
    const auto user = validate_legacy_token(kToken, claims, &lookup);
    REQUIRE_FALSE(user.ok());
    CHECK(user.error().message == c.message);
  }
}

TEST_CASE("without lookup only the claims are checked", "[legacy_validator]") {
  LegacyClaims claims = good_claims();
  claims.secret_name = "long-deleted";
  const auto user = validate_legacy_token("any bytes", claims, nullptr);
  REQUIRE(user.ok());
  CHECK(user.value().uid == "12345");
  claims.subject.clear();
  CHECK(validate_legacy_token("any bytes", claims, nullptr).error().message == "sub claim is missing");
}

TEST_CASE("claim failures come before any lookup", "[legacy_validator]") {
  auto lookup = healthy_cluster();
  LegacyClaims claims = good_claims();
  claims.subject = "system:serviceaccount:test:other";
  CHECK_FALSE(validate_legacy_token(kToken, claims, &lookup).ok());
  CHECK(lookup.secret_reads == 0);
  CHECK(lookup.account_reads == 0);
}

}  // namespace
}  // namespace sasim::model::auth
