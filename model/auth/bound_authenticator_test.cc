// The union of the legacy and bound authenticators (BV1-BV2): which tokens
// go to the bound validator, the audience check before any other, key
// rotation, and legacy tokens keeping their own validator.
#include <catch2/catch.hpp>

#include "sim/prng.h"

#include "model/auth/authenticator.h"
#include "model/auth/bound_claims.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/fake_bound_getter.h"
#include "model/auth/fake_token_lookup.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace bound_authenticator_test {

constexpr std::int64_t kNowUnix = 1600000000;
constexpr std::int64_t kNow = kNowUnix * 1'000'000'000LL;
constexpr const char* kIssuer = "https://kubernetes.default.svc.cluster.local";

SigningKey load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return key.value();
}

using Getter = testing::FakeBoundGetter;

std::string bound_token(const SigningKey& key, std::vector<std::string> audiences, std::int64_t exp_seconds = 3600,
                        std::optional<ClaimRef> pod = std::nullopt, std::string issuer = kIssuer) {
  BoundObjects bound;
  bound.pod = std::move(pod);
  auto claims = make_bound_claims(issuer, "ns", ClaimRef{"sa", "sa-uid"}, bound, exp_seconds, 0, audiences, kNowUnix,
                                  ClaimsOptions{});
  REQUIRE(claims.ok());
  sim::Prng entropy(7);
  return sign_jwt(key, to_json(claims.value()), entropy);
}

AuthenticatorConfig config(std::vector<PublicKey> keys) {
  AuthenticatorConfig c;
  c.keys = std::move(keys);
  c.implicit_audiences = {"api"};
  c.lookup = true;
  c.bound_issuers = {kIssuer};
  return c;
}

TEST_CASE("bound tokens go to the bound validator whatever serviceAccountLookup says") {
  const SigningKey key = load(builtin_rsa_key_pem());
  Getter getter;
  getter.accounts["sa"] = {"sa-uid", std::nullopt};
  testing::FakeTokenLookup lookup;
  AuthenticatorConfig c = config({key.public_key()});
  for (bool legacy_lookup : {true, false}) {
    c.lookup = legacy_lookup;
    const ServiceAccountTokenAuthenticator authn(c, &lookup, &getter);
    const AuthResult result = authn.authenticate(bound_token(key, {"api"}), kNow);
    REQUIRE(result.outcome == AuthResult::kAuthenticated);
    CHECK(result.user.name == "system:serviceaccount:ns:sa");
    CHECK(result.user.uid == "sa-uid");
  }
  CHECK(getter.reads == 2);
  CHECK(lookup.secret_reads == 0);  // the legacy lookup is never consulted
}

TEST_CASE("a token from another issuer is handled by neither authenticator") {
  const SigningKey key = load(builtin_rsa_key_pem());
  Getter getter;
  testing::FakeTokenLookup lookup;
  const ServiceAccountTokenAuthenticator authn(config({key.public_key()}), &lookup, &getter);
  const AuthResult result = authn.authenticate(bound_token(key, {"api"}, 3600, std::nullopt, "https://elsewhere"), kNow);
  CHECK(result.outcome == AuthResult::kNotHandled);
  CHECK(client_visible_reason(result) == "invalid bearer token");
}

TEST_CASE("BV2: the audience check comes before expiry and the objects") {
  const SigningKey key = load(builtin_rsa_key_pem());
  Getter getter;  // no account at all
  testing::FakeTokenLookup lookup;
  const ServiceAccountTokenAuthenticator authn(config({key.public_key()}), &lookup, &getter);
  // Long expired and for another audience: the audience error wins.
  const AuthResult result = authn.authenticate(bound_token(key, {"not-the-api"}, 600), kNow + 3'600'000'000'000LL);
  CHECK(result.outcome == AuthResult::kRejected);
  CHECK(result.reason == R"(token audiences ["not-the-api"] is invalid for the target audiences ["api"])");
  CHECK(getter.reads == 0);
  // A TokenReview that names the token's audience passes that check.
  getter.accounts["sa"] = {"sa-uid", std::nullopt};
  const AuthResult reviewed = authn.authenticate(bound_token(key, {"not-the-api"}), {"not-the-api"}, kNow);
  CHECK(reviewed.outcome == AuthResult::kAuthenticated);
  // One requested audience among the token's is enough.
  CHECK(authn.authenticate(bound_token(key, {"not-the-api", "api"}), kNow).outcome == AuthResult::kAuthenticated);
}

TEST_CASE("verification keys: any configured key that verifies wins") {
  const SigningKey old_key = load(testing::kOtherRsaKeyPem);
  const SigningKey new_key = load(builtin_rsa_key_pem());
  Getter getter;
  getter.accounts["sa"] = {"sa-uid", std::nullopt};
  testing::FakeTokenLookup lookup;
  const ServiceAccountTokenAuthenticator rotated(config({new_key.public_key(), old_key.public_key()}), &lookup, &getter);
  CHECK(rotated.authenticate(bound_token(old_key, {"api"}), kNow).outcome == AuthResult::kAuthenticated);
  const ServiceAccountTokenAuthenticator only_new(config({new_key.public_key()}), &lookup, &getter);
  const AuthResult refused = only_new.authenticate(bound_token(old_key, {"api"}), kNow);
  CHECK(refused.outcome == AuthResult::kRejected);
  CHECK_FALSE(refused.signature_verified);
}

TEST_CASE("legacy tokens keep the legacy validator next to a bound authenticator") {
  const SigningKey key = load(builtin_rsa_key_pem());
  Getter getter;
  testing::FakeTokenLookup lookup;
  sim::Prng entropy(7);
  const std::string legacy =
      sign_jwt(key, to_json(make_legacy_claims("ns", "sa", "sa-uid", "sa-token-abcde")), entropy);
  lookup.add_service_account("ns", "sa", {"sa-uid", false});
  const ServiceAccountTokenAuthenticator authn(config({key.public_key()}), &lookup, &getter);
  const AuthResult gone = authn.authenticate(legacy, kNow);
  CHECK(gone.outcome == AuthResult::kRejected);
  CHECK(gone.reason == "Token has been invalidated");
  lookup.add_secret("ns", "sa-token-abcde", {legacy, false});
  CHECK(authn.authenticate(legacy, kNow).outcome == AuthResult::kAuthenticated);
  CHECK(getter.reads == 0);
}

TEST_CASE("a pod-bound token's user has the pod extra and a deleted pod invalidates it") {
  const SigningKey key = load(builtin_rsa_key_pem());
  Getter getter;
  getter.accounts["sa"] = {"sa-uid", std::nullopt};
  getter.pods["web"] = {"pod-uid", std::nullopt};
  testing::FakeTokenLookup lookup;
  const ServiceAccountTokenAuthenticator authn(config({key.public_key()}), &lookup, &getter);
  const std::string token = bound_token(key, {"api"}, 3600, ClaimRef{"web", "pod-uid"});
  const AuthResult ok = authn.authenticate(token, kNow);
  REQUIRE(ok.outcome == AuthResult::kAuthenticated);
  CHECK(ok.user.extra.at("authentication.kubernetes.io/pod-name") == std::vector<std::string>{"web"});
  getter.pods.clear();
  const AuthResult gone = authn.authenticate(token, kNow);
  CHECK(gone.reason == "service account token has been invalidated");
  CHECK(client_visible_reason(gone) == "service account token has been invalidated");
}

}  // namespace bound_authenticator_test
}  // namespace sasim::model::auth
