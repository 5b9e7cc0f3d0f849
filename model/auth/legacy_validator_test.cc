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

// Steps 7.7-7.9 (legacy.go from 1.26): tracking and invalid-since.
constexpr std::int64_t kNoon = 1796644800;  // 2026-12-07T12:00:00Z

testing::FakeTokenLookup tracked_cluster(std::string last_used, std::string invalid_since, bool listed) {
  testing::FakeTokenLookup lookup;
  TokenLookup::SecretInfo secret{std::string(kToken), false};
  secret.ns = "test";
  secret.name = "my-secret";
  secret.uid = "secret-uid";
  secret.last_used = std::move(last_used);
  secret.invalid_since = std::move(invalid_since);
  lookup.add_secret("test", "my-secret", secret);
  TokenLookup::AccountInfo account{"12345", false};
  if (listed) account.secret_names = {"other", "my-secret"};
  lookup.add_service_account("test", "my-service-account", account);
  return lookup;
}

TEST_CASE("a tracked use of an auto-generated token warns - annotates and writes today's date", "[legacy_validator]") {
  auto lookup = tracked_cluster("", "", true);
  LegacyTokenUse use;
  const auto user = validate_legacy_token(kToken, good_claims(), &lookup, false, {true, false, kNoon}, &use);
  REQUIRE(user.ok());
  CHECK(use.warnings == std::vector<std::string>{std::string(kAutoGeneratedTokenWarning)});
  CHECK(use.audit_annotations == std::map<std::string, std::string>{
                                     {"authentication.k8s.io/legacy-token-autogenerated-secret", "my-secret"}});
  REQUIRE(use.last_used_patch.has_value());
  CHECK(*use.last_used_patch == LastUsedPatch{"test", "my-secret", "secret-uid", "2026-12-07"});
}

TEST_CASE("a manual token is annotated as such - without a warning", "[legacy_validator]") {
  auto lookup = tracked_cluster("2026-11-30", "", false);
  LegacyTokenUse use;
  REQUIRE(validate_legacy_token(kToken, good_claims(), &lookup, false, {true, false, kNoon}, &use).ok());
  CHECK(use.warnings.empty());
  CHECK(use.audit_annotations ==
        std::map<std::string, std::string>{{"authentication.k8s.io/legacy-token-manual-secret", "my-secret"}});
  CHECK(use.last_used_patch.has_value());
}

TEST_CASE("a label of today or tomorrow is not written again", "[legacy_validator]") {
  for (const char* label : {"2026-12-07", "2026-12-08"}) {
    INFO(label);
    auto lookup = tracked_cluster(label, "", true);
    LegacyTokenUse use;
    REQUIRE(validate_legacy_token(kToken, good_claims(), &lookup, false, {true, false, kNoon}, &use).ok());
    CHECK_FALSE(use.last_used_patch.has_value());
  }
}

TEST_CASE("without tracking (before 1.26 - or the gate off) a use leaves nothing", "[legacy_validator]") {
  auto lookup = tracked_cluster("", "2026-01-01", true);
  LegacyTokenUse use;
  REQUIRE(validate_legacy_token(kToken, good_claims(), &lookup, false, {false, false, kNoon}, &use).ok());
  CHECK(use.warnings.empty());
  CHECK(use.audit_annotations.empty());
  CHECK_FALSE(use.last_used_patch.has_value());
}

TEST_CASE("invalid-since rejects with upstream's message and still records the use", "[legacy_validator]") {
  auto lookup = tracked_cluster("2025-01-01", "2026-06-01", true);
  LegacyTokenUse use;
  const auto user = validate_legacy_token(kToken, good_claims(), &lookup, false, {true, true, kNoon}, &use);
  REQUIRE_FALSE(user.ok());
  CHECK(user.error().message ==
        "the token in secret test/my-secret for service account test/my-service-account has been marked invalid. Use "
        "tokens from the TokenRequest API or manually created secret-based tokens, or remove the "
        "'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token");
  CHECK(use.audit_annotations ==
        std::map<std::string, std::string>{{"authentication.k8s.io/legacy-token-invalidated", "my-secret/test"}});
  CHECK(use.warnings.empty());
  REQUIRE(use.last_used_patch.has_value());
  CHECK(use.last_used_patch->date == "2026-12-07");
}

TEST_CASE("invalid-since comes after the account checks and counts only where checked", "[legacy_validator]") {
  SECTION("an account with another uid wins over the label") {
    auto lookup = tracked_cluster("", "2026-06-01", true);
    lookup.add_service_account("test", "my-service-account", {"67890", false});
    LegacyTokenUse use;
    const auto user = validate_legacy_token(kToken, good_claims(), &lookup, false, {true, true, kNoon}, &use);
    CHECK(user.error().message == "ServiceAccount UID (67890) does not match claim (12345)");
    CHECK_FALSE(use.last_used_patch.has_value());
  }
  SECTION("1.26-1.28 (or 1.29 with the clean-up gate off): the label is ignored") {
    auto lookup = tracked_cluster("", "2026-06-01", true);
    CHECK(validate_legacy_token(kToken, good_claims(), &lookup, false, {true, false, kNoon}).ok());
  }
  SECTION("an empty label is no label") {
    auto lookup = tracked_cluster("", "", true);
    CHECK(validate_legacy_token(kToken, good_claims(), &lookup, false, {true, true, kNoon}).ok());
  }
}

}  // namespace
}  // namespace sasim::model::auth
