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
namespace authenticator_test {

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

// The authenticator of each era, as the version table will configure it.
enum class Era { k1_20, kLater };

AuthenticatorConfig config(std::vector<PublicKey> keys, bool lookup, Era era = Era::k1_20,
                           std::vector<std::string> issuers = {"kubernetes/serviceaccount", "bar"}) {
  AuthenticatorConfig c;
  c.keys = std::move(keys);
  c.issuers = std::move(issuers);
  c.implicit_audiences = {"api"};
  c.lookup = lookup;
  if (era == Era::kLater) {
    c.parsing = JwsParsing::kCompactOnly;
    c.issuer_checked_after_verification = true;
  }
  return c;
}

// Upstream's generateECDSATokenWithMalformedIss (the later test's "malformed
// iss" input): an ES256 token issued by "panda", in the JWS JSON
// serialization as go-jose's FullSerialize writes it (json.Marshal of a map:
// keys sorted), with an extra member whose dots make the text split into
// three parts around {"iss":"bar"}.
std::string malformed_iss_token(const Fixture& f) {
  LegacyClaims claims = make_legacy_claims("test", "my-service-account", "12345", "my-ecdsa-secret");
  claims.issuer = "panda";
  const std::string compact = sign_jwt(f.ecdsa, to_json(claims), f.entropy);
  const std::size_t dot1 = compact.find('.');
  const std::size_t dot2 = compact.find('.', dot1 + 1);
  return R"({"malformed_iss":".)" + base64url_encode(R"({"iss":"bar"})") + R"(.","payload":")" +
         compact.substr(dot1 + 1, dot2 - dot1 - 1) + R"(","protected":")" + compact.substr(0, dot1) +
         R"(","signature":")" + compact.substr(dot2 + 1) + R"("})";
}

TEST_CASE("tokens carry the key ids of their keys", "[authenticator]") {
  const Fixture f;
  CHECK(parse_jwt(f.rsa_token, JwsParsing::kCompactOnly).value().kid == f.rsa.kid());
  CHECK(parse_jwt(f.ecdsa_token, JwsParsing::kCompactOnly).value().kid == testing::kUpstreamEcKid);
}

struct Case {
  std::string name;
  std::string token;
  std::vector<PublicKey> keys;
  Client client;
  AuthResult::Outcome outcome;
  std::string reason;  // for rejections
};

void check_cases(const Fixture& f, const std::vector<Case>& cases, Era era, std::vector<std::string> issuers) {
  for (const Case& c : cases) {
    INFO(c.name);
    testing::FakeTokenLookup lookup = client(f, c.client);
    const ServiceAccountTokenAuthenticator authn(config(c.keys, c.client != Client::kNone, era, issuers),
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

// Upstream's TestTokenGenerateAndValidate as of Kubernetes 1.20
// (pkg/serviceaccount/jwt_test.go): one issuer, kubernetes/serviceaccount,
// and audiences [api]. ExpectedErr is a rejection, !ExpectedErr && !ExpectedOK
// a token left to other authenticators.
TEST_CASE("TestTokenGenerateAndValidate as of 1.20", "[authenticator]") {
  const Fixture f;
  const PublicKey rsa = f.rsa.public_key();
  const PublicKey ecdsa = f.ecdsa.public_key();
  const PublicKey other = f.other.public_key();
  const std::string crypto(kCryptoFailure);
  const std::vector<Case> cases = {
      {"no keys", f.rsa_token, {}, Client::kNone, AuthResult::kNotHandled, ""},
      {"invalid keys (rsa)", f.rsa_token, {other, ecdsa}, Client::kNone, AuthResult::kRejected, crypto},
      {"invalid keys (ecdsa)", f.ecdsa_token, {other, rsa}, Client::kNone, AuthResult::kRejected, crypto},
      {"valid key (rsa)", f.rsa_token, {rsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"valid key, invalid issuer (rsa)", f.rsa_token_with_issuer("foo"), {rsa}, Client::kNone, AuthResult::kNotHandled, ""},
      {"valid key (ecdsa)", f.ecdsa_token, {ecdsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"rotated keys (rsa)", f.rsa_token, {other, ecdsa, rsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"rotated keys (ecdsa)", f.ecdsa_token, {other, rsa, ecdsa}, Client::kNone, AuthResult::kAuthenticated, ""},
      {"valid lookup", f.rsa_token, {rsa}, Client::kAll, AuthResult::kAuthenticated, ""},
      {"invalid secret lookup", f.rsa_token, {rsa}, Client::kOnlyAccount, AuthResult::kRejected,
       "Token has been invalidated"},
      {"invalid serviceaccount lookup", f.rsa_token, {rsa}, Client::kOnlySecrets, AuthResult::kRejected,
       "serviceaccounts \"my-service-account\" not found"},
  };
  // 1.20's authenticator, and the later one: these cases do not tell them apart.
  check_cases(f, cases, Era::k1_20, {"kubernetes/serviceaccount"});
  check_cases(f, cases, Era::kLater, {"kubernetes/serviceaccount"});
}

// Cases upstream added later, with a second accepted issuer "bar". The
// "malformed iss" input is the JSON serialization: 1.20's pre-check splits
// it on dots and finds "bar", go-jose v2 reads the JSON form and verifies
// its signature, nothing checks the verified issuer ("panda") again, and
// without lookup the token authenticates. Later releases turn it away before
// parsing.
TEST_CASE("the later cases of TestTokenGenerateAndValidate in each era", "[authenticator]") {
  const Fixture f;
  const PublicKey rsa = f.rsa.public_key();
  const PublicKey ecdsa = f.ecdsa.public_key();
  const std::string malformed_iss = malformed_iss_token(f);
  const Case different_issuer{"valid key, different issuer (rsa)", f.rsa_token_with_issuer("bar"), {rsa}, Client::kNone,
                              AuthResult::kAuthenticated, ""};
  check_cases(f,
              {different_issuer,
               {"malformed iss", malformed_iss, {ecdsa}, Client::kNone, AuthResult::kAuthenticated, ""},
               {"malformed iss, with lookup", malformed_iss, {ecdsa}, Client::kAll, AuthResult::kRejected,
                "Token does not match server's copy"}},
              Era::k1_20, {"kubernetes/serviceaccount", "bar"});
  check_cases(f,
              {different_issuer,
               {"malformed iss", malformed_iss, {ecdsa}, Client::kNone, AuthResult::kNotHandled, ""},
               {"malformed iss, with lookup", malformed_iss, {ecdsa}, Client::kAll, AuthResult::kNotHandled, ""}},
              Era::kLater, {"kubernetes/serviceaccount", "bar"});
}

// go-jose v2 strips whitespace from the whole token before parsing it, and
// Go's base64 skips newlines in the pre-check's middle part: 1.20 verifies a
// token with whitespace inside, and (with lookup) then finds it is not the
// Secret's copy. Later releases never get that far.
TEST_CASE("1.20 verifies a token with whitespace inside and later releases do not", "[authenticator]") {
  const Fixture f;
  const std::string& token = f.rsa_token;
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  const std::vector<std::string> spoiled = {
      token.substr(0, 10) + "\n" + token.substr(10),                   // in the header
      token.substr(0, dot1 + 10) + "\r\n" + token.substr(dot1 + 10),  // in the payload
      token.substr(0, dot2 + 10) + "\n" + token.substr(dot2 + 10),     // in the signature
      token + "\n",
      " " + token,
      token.substr(0, dot2 + 5) + " \t\f" + token.substr(dot2 + 5),
  };
  for (const std::string& t : spoiled) {
    INFO(go_quote(t));
    std::vector<Case> lenient = {
        {"without lookup", t, {f.rsa.public_key()}, Client::kNone, AuthResult::kAuthenticated, ""},
        {"with lookup", t, {f.rsa.public_key()}, Client::kAll, AuthResult::kRejected, "Token does not match server's copy"},
    };
    check_cases(f, lenient, Era::k1_20, {"kubernetes/serviceaccount"});
    std::vector<Case> strict = {
        {"without lookup", t, {f.rsa.public_key()}, Client::kNone, AuthResult::kNotHandled, ""},
        {"with lookup", t, {f.rsa.public_key()}, Client::kAll, AuthResult::kNotHandled, ""},
    };
    check_cases(f, strict, Era::kLater, {"kubernetes/serviceaccount"});
  }
  // A vertical tab is Go's unicode space but not regexp's \s: go-jose v2
  // keeps it, and the signature segment does not decode.
  const std::string vtab = token.substr(0, dot2 + 5) + "\v" + token.substr(dot2 + 5);
  check_cases(f, {{"vertical tab", vtab, {f.rsa.public_key()}, Client::kNone, AuthResult::kNotHandled, ""}}, Era::k1_20,
              {"kubernetes/serviceaccount"});
}

// A JWS JSON serialization with two signatures parses, and go-jose refuses
// to verify it: every key fails with its own error.
TEST_CASE("a JSON-serialized token with two signatures is rejected in 1.20", "[authenticator]") {
  const Fixture f;
  const std::string& token = f.rsa_token;
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  const std::string one = R"({"protected":")" + token.substr(0, dot1) + R"(","signature":")" + token.substr(dot2 + 1) + R"("})";
  const std::string json = R"({"payload":")" + token.substr(dot1 + 1, dot2 - dot1 - 1) + R"(","signatures":[)" + one +
                           "," + one + "]}";
  // The pre-check must find the issuer: the JSON text has no dots here, so
  // 1.20 does not handle it at all...
  check_cases(f, {{"two signatures", json, {f.rsa.public_key()}, Client::kNone, AuthResult::kNotHandled, ""}},
              Era::k1_20, {"kubernetes/serviceaccount"});
  // ...unless a member's dots frame an acceptable issuer.
  const std::string framed = json.substr(0, json.size() - 1) + R"(,"x":".)" +
                             base64url_encode(R"({"iss":"kubernetes/serviceaccount"})") + R"(."})";
  check_cases(f,
              {{"two signatures", framed, {f.rsa.public_key()}, Client::kNone, AuthResult::kRejected,
                "square/go-jose: too many signatures in payload; expecting only one"}},
              Era::k1_20, {"kubernetes/serviceaccount"});
  const std::string single = R"({"payload":")" + token.substr(dot1 + 1, dot2 - dot1 - 1) + R"(","signatures":[)" + one +
                             R"(],"x":".)" + base64url_encode(R"({"iss":"kubernetes/serviceaccount"})") + R"(."})";
  check_cases(f, {{"one signature", single, {f.rsa.public_key()}, Client::kNone, AuthResult::kAuthenticated, ""}},
              Era::k1_20, {"kubernetes/serviceaccount"});
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
  struct LookupCase {
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
  LookupCase cases[] = {
      {"secret deleted", secret_deleted, "Token has been invalidated"},
      {"secret replaced", secret_replaced, "Token does not match server's copy"},
      {"account deleted", account_deleted, "ServiceAccount test/my-service-account has been deleted"},
      {"account recreated", account_recreated, "ServiceAccount UID (99999) does not match claim (12345)"},
  };
  for (LookupCase& c : cases) {
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
// token gets past V1 with an issuer its verified claims do not have. 1.20
// never looks at the verified issuer; later releases reject it (V4).
TEST_CASE("an issuer only Go's case folding sees passes in 1.20 and is rejected later", "[authenticator]") {
  const Fixture f;
  nlohmann::json claims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-rsa-secret"));
  claims.erase("iss");
  claims["ISS"] = "kubernetes/serviceaccount";
  const std::string token = sign_jwt(f.rsa, claims, f.entropy);
  const ServiceAccountTokenAuthenticator v1_20(config({f.rsa.public_key()}, false), nullptr);
  CHECK(v1_20.authenticate(token).outcome == AuthResult::kAuthenticated);
  const ServiceAccountTokenAuthenticator later(config({f.rsa.public_key()}, false, Era::kLater), nullptr);
  const AuthResult result = later.authenticate(token);
  CHECK(result.outcome == AuthResult::kRejected);
  CHECK(result.signature_verified);
  CHECK(result.reason == R"(token issuer "" is invalid)");
}

TEST_CASE("the default configuration is 1.20's", "[authenticator]") {
  const AuthenticatorConfig c;
  CHECK(c.parsing == JwsParsing::kGoJoseV2);
  CHECK_FALSE(c.issuer_checked_after_verification);
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

}  // namespace authenticator_test
}  // namespace sasim::model::auth
