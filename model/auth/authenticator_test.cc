#include "model/auth/authenticator.h"

#include <catch2/catch.hpp>
#include <optional>

#include "model/auth/base64.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/fake_token_lookup.h"
#include "model/auth/go_text.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace {

SigningKey load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return key.value();
}

const std::vector<std::string> kGroups = {"system:serviceaccounts", "system:serviceaccounts:test"};
constexpr std::string_view kCryptoFailure = "square/go-jose: error in cryptographic primitive";

// The fixtures of upstream's TestTokenGenerateAndValidate: SA
// test/my-service-account uid 12345, one token per key, each in its Secret.
struct Fixture {
  // Nonces of the ES256 signatures (RS256 draws nothing).
  mutable sim::Prng entropy{1};
  SigningKey rsa = load(builtin_rsa_key_pem());
  SigningKey ecdsa = load(testing::kUpstreamEcKeyPem);
  SigningKey other = load(testing::kOtherRsaKeyPem);
  std::string rsa_token = sign_jwt(rsa, to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret")), entropy);
  std::string ecdsa_token =
      sign_jwt(ecdsa, to_json(make_legacy_claims("test", "my-service-account", "12345", "my-ecdsa-secret")), entropy);

  std::string rsa_token_with_issuer(std::string issuer) const {
    LegacyClaims claims = make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret");
    claims.issuer = std::move(issuer);
    return sign_jwt(rsa, to_json(claims), entropy);
  }
};

enum class Client { kNone, kAll, kOnlyAccount, kOnlySecrets };

testing::FakeTokenLookup client(const Fixture& f, Client which) {
  testing::FakeTokenLookup lookup;
  if (which == Client::kAll || which == Client::kOnlyAccount) {
    lookup.add_service_account("test", "my-service-account", {"12345", false});
  }
  if (which == Client::kAll || which == Client::kOnlySecrets) {
    lookup.add_secret("test", "my-rsa-secret", {f.rsa_token, false});
    lookup.add_secret("test", "my-ecdsa-secret", {f.ecdsa_token, false});
  }
  return lookup;
}

AuthenticatorConfig config(std::vector<PublicKey> keys, bool lookup) {
  AuthenticatorConfig c;
  c.keys = std::move(keys);
  c.issuers = {"kubernetes/serviceaccount", "bar"};
  c.implicit_audiences = {"api"};
  c.lookup = lookup;
  return c;
}

TEST_CASE("tokens carry the key ids of their keys", "[authenticator]") {
  const Fixture f;
  CHECK(parse_jwt(f.rsa_token).value().kid == f.rsa.kid());
  CHECK(parse_jwt(f.ecdsa_token).value().kid == testing::kUpstreamEcKid);
}

// Upstream's TestTokenGenerateAndValidate as of Kubernetes 1.20, with the
// later "bar" issuer and "malformed iss" cases. Left out: "secret is marked
// as invalid" (the invalid-since label arrived in 1.29).
TEST_CASE("TestTokenGenerateAndValidate cases", "[authenticator]") {
  const Fixture f;
  const std::string malformed_iss =
      R"({"payload":"e30","protected":"eyJhbGciOiJSUzI1NiJ9","malformed_iss":"a.)" +
      base64url_encode(R"({"iss":"kubernetes/serviceaccount"})") + R"(.b","signature":"c2ln"})";
  struct Case {
    std::string name;
    std::string token;
    std::vector<PublicKey> keys;
    Client client;
    AuthResult::Outcome outcome;
    std::string reason;  // for rejections
  };
  const PublicKey rsa = f.rsa.public_key();
  const PublicKey ecdsa = f.ecdsa.public_key();
  const PublicKey other = f.other.public_key();
  const std::string crypto(kCryptoFailure);
  const Case cases[] = {
      {"no keys", f.rsa_token, {}, Client::kNone, AuthResult::kNotHandled, ""},
      {"invalid keys (rsa)", f.rsa_token, {other, ecdsa}, Client::kNone, AuthResult::kRejected, crypto},
      {"invalid keys (ecdsa)", f.ecdsa_token, {other, rsa}, Client::kNone, AuthResult::kRejected, crypto},
      {"valid key (rsa)", f.rsa_token, {rsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"valid key, invalid issuer (rsa)", f.rsa_token_with_issuer("foo"), {rsa}, Client::kNone, AuthResult::kNotHandled, ""},
      {"valid key, different issuer (rsa)", f.rsa_token_with_issuer("bar"), {rsa}, Client::kNone,
       AuthResult::kAuthenticated, ""},
      {"valid key (ecdsa)", f.ecdsa_token, {ecdsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"rotated keys (rsa)", f.rsa_token, {other, ecdsa, rsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"rotated keys (ecdsa)", f.ecdsa_token, {other, rsa, ecdsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"valid lookup", f.rsa_token, {rsa}, Client::kAll, AuthResult::kAuthenticated, ""},
      {"invalid secret lookup", f.rsa_token, {rsa}, Client::kOnlyAccount, AuthResult::kRejected,
       "Token has been invalidated"},
      {"invalid serviceaccount lookup", f.rsa_token, {rsa}, Client::kOnlySecrets, AuthResult::kRejected,
       "serviceaccounts \"my-service-account\" not found"},
      {"malformed iss", malformed_iss, {rsa}, Client::kNone, AuthResult::kNotHandled, ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    testing::FakeTokenLookup lookup = client(f, c.client);
    const ServiceAccountTokenAuthenticator authn(config(c.keys, c.client != Client::kNone),
                                                 c.client == Client::kNone ? nullptr : &lookup);

    // An invalid, non-JWT token is never handled.
    const AuthResult invalid = authn.authenticate("invalid token", {"api"});
    CHECK(invalid.outcome == AuthResult::kNotHandled);

    const AuthResult result = authn.authenticate(c.token, {"api"});
    CHECK(result.outcome == c.outcome);
    if (c.outcome == AuthResult::kRejected) CHECK(result.reason == c.reason);
    if (c.outcome == AuthResult::kAuthenticated) {
      CHECK(result.user.name == "system:serviceaccount:test:my-service-account");
      CHECK(result.user.uid == "12345");
      CHECK(result.user.groups == kGroups);
      CHECK(result.reason.empty());
    }
  }
}

TEST_CASE("failures the client sees as invalid bearer token", "[authenticator]") {
  const Fixture f;
  const ServiceAccountTokenAuthenticator authn(config({f.other.public_key(), f.ecdsa.public_key()}, false), nullptr);
  const AuthResult bad_signature = authn.authenticate(f.rsa_token);
  CHECK(bad_signature.outcome == AuthResult::kRejected);
  CHECK_FALSE(bad_signature.signature_verified);
  CHECK(client_visible_reason(bad_signature) == "invalid bearer token");
  const AuthResult garbage = authn.authenticate("invalid token");
  CHECK(client_visible_reason(garbage) == "invalid bearer token");
  const AuthResult foreign = authn.authenticate(f.rsa_token_with_issuer("https://elsewhere"));
  CHECK(foreign.outcome == AuthResult::kNotHandled);
  CHECK(client_visible_reason(foreign) == "invalid bearer token");
  const ServiceAccountTokenAuthenticator no_keys(config({}, false), nullptr);
  CHECK(client_visible_reason(no_keys.authenticate(f.rsa_token)) == "invalid bearer token");
}

TEST_CASE("validator rejections reach the client with upstream's message", "[authenticator]") {
  const Fixture f;
  struct Case {
    std::string name;
    testing::FakeTokenLookup lookup;
    std::string reason;
  };
  testing::FakeTokenLookup secret_deleted = client(f, Client::kAll);
  secret_deleted.add_secret("test", "my-rsa-secret", {f.rsa_token, true});
  testing::FakeTokenLookup secret_replaced = client(f, Client::kAll);
  secret_replaced.add_secret("test", "my-rsa-secret", {f.ecdsa_token, false});
  testing::FakeTokenLookup account_deleted = client(f, Client::kAll);
  account_deleted.add_service_account("test", "my-service-account", {"12345", true});
  testing::FakeTokenLookup account_recreated = client(f, Client::kAll);
  account_recreated.add_service_account("test", "my-service-account", {"99999", false});
  Case cases[] = {
      {"secret deleted", secret_deleted, "Token has been invalidated"},
      {"secret replaced", secret_replaced, "Token does not match server's copy"},
      {"account deleted", account_deleted, "ServiceAccount test/my-service-account has been deleted"},
      {"account recreated", account_recreated, "ServiceAccount UID (99999) does not match claim (12345)"},
  };
  for (Case& c : cases) {
    INFO(c.name);
    const ServiceAccountTokenAuthenticator authn(config({f.rsa.public_key()}, true), &c.lookup);
    const AuthResult result = authn.authenticate(f.rsa_token);
    CHECK(result.outcome == AuthResult::kRejected);
    CHECK(result.signature_verified);
    CHECK(result.reason == c.reason);
    CHECK(client_visible_reason(result) == c.reason);
  }
}

TEST_CASE("lookup off accepts tokens of deleted objects", "[authenticator]") {
  const Fixture f;
  testing::FakeTokenLookup empty;
  AuthenticatorConfig c = config({f.rsa.public_key()}, false);
  const ServiceAccountTokenAuthenticator authn(c, &empty);
  const AuthResult result = authn.authenticate(f.rsa_token);
  CHECK(result.outcome == AuthResult::kAuthenticated);
  CHECK(client_visible_reason(result).empty());
  CHECK(empty.secret_reads == 0);
}

TEST_CASE("the default configuration takes only the legacy issuer", "[authenticator]") {
  const Fixture f;
  AuthenticatorConfig c;
  c.keys = {f.rsa.public_key()};
  c.lookup = false;
  const ServiceAccountTokenAuthenticator authn(c, nullptr);
  CHECK(authn.config().issuers == std::vector<std::string>{"kubernetes/serviceaccount"});
  CHECK(authn.authenticate(f.rsa_token).outcome == AuthResult::kAuthenticated);
  CHECK(authn.authenticate(f.rsa_token_with_issuer("bar")).outcome == AuthResult::kNotHandled);
}

TEST_CASE("audiences are checked against the requested ones", "[authenticator]") {
  const Fixture f;
  const ServiceAccountTokenAuthenticator authn(config({f.rsa.public_key()}, false), nullptr);
  const AuthResult wrong = authn.authenticate(f.rsa_token, {"other"});
  CHECK(wrong.outcome == AuthResult::kRejected);
  CHECK(wrong.reason == R"(token audiences ["api"] is invalid for the target audiences ["other"])");

  nlohmann::json claims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret"));
  claims["aud"] = {"vault", "api"};
  const std::string with_aud = sign_jwt(f.rsa, claims, f.entropy);
  CHECK(authn.authenticate(with_aud).outcome == AuthResult::kAuthenticated);
  CHECK(authn.authenticate(with_aud, {"vault"}).outcome == AuthResult::kAuthenticated);

  AuthenticatorConfig no_implicit = config({f.rsa.public_key()}, false);
  no_implicit.implicit_audiences.clear();
  const ServiceAccountTokenAuthenticator open(no_implicit, nullptr);
  CHECK(open.authenticate(f.rsa_token).outcome == AuthResult::kAuthenticated);
  CHECK(open.authenticate(f.rsa_token, {"anything"}).outcome == AuthResult::kAuthenticated);
}

// hasCorrectIssuer matches "iss" case-insensitively, go-jose does not: the
// token gets past V1 and is then rejected by V4.
TEST_CASE("an issuer only Go's case folding sees is rejected after verification", "[authenticator]") {
  const Fixture f;
  nlohmann::json claims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret"));
  claims.erase("iss");
  claims["ISS"] = "kubernetes/serviceaccount";
  const ServiceAccountTokenAuthenticator authn(config({f.rsa.public_key()}, false), nullptr);
  const AuthResult result = authn.authenticate(sign_jwt(f.rsa, claims, f.entropy));
  CHECK(result.outcome == AuthResult::kRejected);
  CHECK(result.signature_verified);
  CHECK(result.reason == R"(token issuer "" is invalid)");
}

TEST_CASE("ill-typed claims of a verified token are rejected like a bad signature", "[authenticator]") {
  const Fixture f;
  nlohmann::json claims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret"));
  claims["sub"] = 42;
  const ServiceAccountTokenAuthenticator authn(config({f.other.public_key(), f.rsa.public_key()}, false), nullptr);
  const AuthResult result = authn.authenticate(sign_jwt(f.rsa, claims, f.entropy));
  CHECK(result.outcome == AuthResult::kRejected);
  CHECK_THAT(result.reason, Catch::StartsWith("[" + std::string(kCryptoFailure) + ", json: cannot unmarshal"));
  CHECK(client_visible_reason(result) == "invalid bearer token");
}

TEST_CASE("a claim check failure names the claim", "[authenticator]") {
  const Fixture f;
  nlohmann::json claims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret"));
  claims.erase(std::string(kServiceAccountUidClaim));
  const ServiceAccountTokenAuthenticator authn(config({f.rsa.public_key()}, false), nullptr);
  const AuthResult result = authn.authenticate(sign_jwt(f.rsa, claims, f.entropy));
  CHECK(result.outcome == AuthResult::kRejected);
  CHECK(client_visible_reason(result) == "serviceAccountUID claim is missing");
}

}  // namespace
}  // namespace sasim::model::auth
