// The token-attack table: tokens an attacker can forge or replay, presented
// to the 1.20 authenticator with --service-account-lookup, each with the
// outcome upstream 1.20 gives it (pkg/serviceaccount/jwt.go with the legacy
// validator, go-jose v2.2.2's ParseSigned). The client-visible reason is
// what the scenario format's `rejected` compares: `invalid bearer token`
// when no authenticator handled the token or no key verified it, the
// validator's own message once the signature has verified.
//
// To extend: add a row to attacks() (a name, the cluster's algorithm, the
// token, the expected outcome and reason), or for a bound token to
// bound_attacks() (with each era's message).
//
// Rows marked kChangesWithGoJoseParsing follow 1.20's go-jose v2 parsing
// (whitespace stripped, the JWS JSON serialization read once the issuer
// pre-check has passed), in a test case of their own: they were written
// from upstream before the model parsed that way, and passed unchanged
// once it did.
#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/auth/authenticator.h"
#include "model/auth/base64.h"
#include "model/auth/bound_claims.h"
#include "model/auth/bound_validator.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/fake_bound_getter.h"
#include "model/auth/fake_token_lookup.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/test_keys.h"
#include "sim/prng.h"

namespace sasim::model::auth {
namespace {

// The attacks need valid signatures, not particular ones: ES256's nonce
// stream is fixed.
std::string sign_jwt(const SigningKey& key, const nlohmann::json& claims) {
  sim::Prng entropy(1);
  return auth::sign_jwt(key, claims, entropy);
}

constexpr std::string_view kInvalidBearerToken = "invalid bearer token";
constexpr std::string_view kCryptoFailure = "square/go-jose: error in cryptographic primitive";

SigningKey load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return key.value();
}

struct Parts {
  std::string header, payload, signature;  // base64url, as in the token
};

Parts split(const std::string& token) {
  const std::size_t first = token.find('.');
  const std::size_t last = token.rfind('.');
  return {token.substr(0, first), token.substr(first + 1, last - first - 1), token.substr(last + 1)};
}

std::string join(const Parts& p) { return p.header + "." + p.payload + "." + p.signature; }

std::string hs256(std::string_view secret, std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

enum class Era { kToday, kChangesWithGoJoseParsing };
enum class ClusterAlg { kRS256, kES256 };

struct Attack {
  std::string name;
  ClusterAlg cluster;
  std::string token;
  AuthResult::Outcome outcome;
  std::string reason;          // the authenticator's (kRejected), "" otherwise
  std::string client_visible;  // client_visible_reason
  Era era = Era::kToday;
};

// The cluster: account default/default (uid-1) whose token Secret
// default-token-abcde holds `rsa_token` (RS256 cluster) or `ec_token`
// (ES256 cluster); account gone/gone was deleted; account again/again was
// recreated (uid-new) after its token was issued for uid-old.
struct World {
  SigningKey rsa = load(builtin_rsa_key_pem());
  SigningKey ec = load(builtin_ec_key_pem());
  SigningKey foreign = load(testing::kOtherRsaKeyPem);
  std::string rsa_token = sign_jwt(rsa, claims("default", "default", "uid-1", "default-token-abcde"));
  std::string ec_token = sign_jwt(ec, claims("default", "default", "uid-1", "default-token-abcde"));

  static nlohmann::json claims(std::string_view ns, std::string_view sa, std::string_view uid, std::string_view secret) {
    return to_json(make_legacy_claims(ns, sa, uid, secret));
  }

  testing::FakeTokenLookup lookup(ClusterAlg alg) const {
    testing::FakeTokenLookup l;
    l.add_service_account("default", "default", {"uid-1", false});
    l.add_secret("default", "default-token-abcde", {alg == ClusterAlg::kRS256 ? rsa_token : ec_token, false});
    // gone/gone: its Secret is still there (the tokens controller has not
    // removed it yet), the account is not.
    l.add_secret("default", "gone-token-abcde", {gone_token(), false});
    // again/again: deleted and created again with the same name.
    l.add_service_account("default", "again", {"uid-new", false});
    l.add_secret("default", "again-token-abcde", {recreated_token(), false});
    // dying/dying: its Secret is being deleted (a finalizer holds it).
    l.add_service_account("default", "dying", {"uid-3", false});
    l.add_secret("default", "dying-token-abcde", {dying_token(), true});
    return l;
  }

  std::string gone_token() const { return sign_jwt(rsa, claims("default", "gone", "uid-2", "gone-token-abcde")); }
  std::string recreated_token() const {
    return sign_jwt(rsa, claims("default", "again", "uid-old", "again-token-abcde"));
  }
  std::string dying_token() const { return sign_jwt(rsa, claims("default", "dying", "uid-3", "dying-token-abcde")); }
};

std::vector<Attack> attacks(const World& w) {
  const Parts rs = split(w.rsa_token);
  const Parts es = split(w.ec_token);
  const std::string none_header = base64url_encode(R"({"alg":"none"})");
  const std::string hs_header = base64url_encode(R"({"alg":"HS256"})");
  const std::string tampered_payload =
      base64url_encode(w.claims("kube-system", "default", "uid-1", "default-token-abcde").dump());
  const std::string crypto(kCryptoFailure);
  const std::string invalid(kInvalidBearerToken);
  const auto rejected_unverified = [&](std::string name, ClusterAlg alg, std::string token) {
    return Attack{std::move(name), alg, std::move(token), AuthResult::kRejected, crypto, invalid};
  };
  const auto not_handled = [&](std::string name, ClusterAlg alg, std::string token) {
    return Attack{std::move(name), alg, std::move(token), AuthResult::kNotHandled, "", invalid};
  };
  const auto validator = [&](std::string name, std::string token, std::string message, Era era = Era::kToday) {
    return Attack{std::move(name), ClusterAlg::kRS256, std::move(token), AuthResult::kRejected, message, message, era};
  };
  // A JWS JSON serialization of the valid token, with a member whose dots
  // make the issuer pre-check (which only splits on dots) read a valid
  // issuer: upstream's "malformed iss" shape, but with a real signature.
  const std::string dotted_json = nlohmann::json{{"protected", rs.header},
                                                 {"payload", rs.payload},
                                                 {"signature", rs.signature},
                                                 {"x", "a." + rs.payload + ".b"}}
                                      .dump();
  const std::string plain_json =
      nlohmann::json{{"protected", rs.header}, {"payload", rs.payload}, {"signature", rs.signature}}.dump();

  std::string huge = w.rsa_token + std::string(1 << 20, 'A');  // a 1 MiB signature segment

  return {
      // The signature is the defence: every forgery fails it.
      rejected_unverified("alg none without a signature", ClusterAlg::kRS256, none_header + "." + rs.payload + "."),
      rejected_unverified("alg none with the RS256 signature kept", ClusterAlg::kRS256,
                          none_header + "." + rs.payload + "." + rs.signature),
      rejected_unverified("HS256 keyed with the public key PEM", ClusterAlg::kRS256,
                          hs_header + "." + rs.payload + "." +
                              base64url_encode(hs256(w.rsa.public_key_pem(), hs_header + "." + rs.payload))),
      rejected_unverified("HS256 keyed with the public key DER", ClusterAlg::kRS256,
                          hs_header + "." + rs.payload + "." +
                              base64url_encode(hs256(w.rsa.public_key_der(), hs_header + "." + rs.payload))),
      rejected_unverified("an RS256 token presented to an ES256 cluster", ClusterAlg::kES256, w.rsa_token),
      rejected_unverified("an ES256 token presented to an RS256 cluster", ClusterAlg::kRS256, w.ec_token),
      rejected_unverified("an ES256 header on an RS256 signature", ClusterAlg::kES256,
                          base64url_encode(R"({"alg":"ES256"})") + "." + rs.payload + "." + rs.signature),
      rejected_unverified("a tampered payload under a valid signature", ClusterAlg::kRS256,
                          rs.header + "." + tampered_payload + "." + rs.signature),
      rejected_unverified("a tampered ES256 payload under a valid signature", ClusterAlg::kES256,
                          es.header + "." + tampered_payload + "." + es.signature),
      rejected_unverified("a signature cut short", ClusterAlg::kRS256, join({rs.header, rs.payload, rs.signature.substr(0, 300)})),
      rejected_unverified("an empty signature", ClusterAlg::kRS256, join({rs.header, rs.payload, ""})),
      rejected_unverified("a token signed by a foreign key", ClusterAlg::kRS256,
                          sign_jwt(w.foreign, w.claims("default", "default", "uid-1", "default-token-abcde"))),
      rejected_unverified("a 1 MiB signature segment", ClusterAlg::kRS256, huge),
      // What the issuer pre-check or the parser turns away: no authenticator.
      not_handled("two segments", ClusterAlg::kRS256, rs.header + "." + rs.payload),
      not_handled("four segments", ClusterAlg::kRS256, w.rsa_token + ".x"),
      not_handled("a payload with base64 padding", ClusterAlg::kRS256, rs.header + "." + rs.payload + "==." + rs.signature),
      not_handled("a signature with base64 padding", ClusterAlg::kRS256, w.rsa_token + "=="),
      not_handled("a signature with a character outside base64url", ClusterAlg::kRS256, w.rsa_token + "*"),
      not_handled("a wrong issuer", ClusterAlg::kRS256, [&] {
        LegacyClaims c = make_legacy_claims("default", "default", "uid-1", "default-token-abcde");
        c.issuer = "https://evil.example";
        return sign_jwt(w.rsa, to_json(c));
      }()),
      not_handled("a payload that is not JSON", ClusterAlg::kRS256, rs.header + "." + base64url_encode("iss") + "." + rs.signature),
      not_handled("the JSON serialization without dots", ClusterAlg::kRS256, plain_json),
      not_handled("1 MiB without a dot", ClusterAlg::kRS256, std::string(1 << 20, 'a')),
      not_handled("the empty string", ClusterAlg::kRS256, ""),
      // Valid signatures, refused by the legacy validator's lookups.
      validator("a deleted Secret's token", sign_jwt(w.rsa, w.claims("default", "default", "uid-1", "deleted-token")),
                "Token has been invalidated"),
      validator("a token whose Secret is being deleted", w.dying_token(), "Token has been invalidated"),
      validator("a deleted ServiceAccount's token", w.gone_token(), "serviceaccounts \"gone\" not found"),
      validator("a token of an account recreated with the same name", w.recreated_token(),
                "ServiceAccount UID (uid-new) does not match claim (uid-old)"),
      validator("another Secret's valid token", sign_jwt(w.rsa, w.claims("default", "default", "uid-1", "gone-token-abcde")),
                "Token does not match server's copy"),
      // go-jose v2.2.2 (1.20) strips whitespace and reads the JSON
      // serialization after the pre-check; the signature then verifies and
      // the validator compares the presented bytes with the Secret's.
      validator("the JSON serialization with a dotted member", dotted_json, "Token does not match server's copy",
                Era::kChangesWithGoJoseParsing),
      validator("a newline inside the signature", rs.header + "." + rs.payload + "." + rs.signature.substr(0, 100) + "\n" +
                    rs.signature.substr(100),
                "Token does not match server's copy", Era::kChangesWithGoJoseParsing),
      validator("a space before the token", " " + w.rsa_token, "Token does not match server's copy",
                Era::kChangesWithGoJoseParsing),
  };
}

void present(const World& w, const Attack& a) {
  INFO(a.name);
  testing::FakeTokenLookup lookup = w.lookup(a.cluster);
  AuthenticatorConfig config;
  config.keys = {a.cluster == ClusterAlg::kRS256 ? w.rsa.public_key() : w.ec.public_key()};
  config.lookup = true;
  const ServiceAccountTokenAuthenticator authn(config, &lookup);
  const AuthResult result = authn.authenticate(a.token);
  CHECK(result.outcome == a.outcome);
  if (a.outcome == AuthResult::kRejected) CHECK(result.reason == a.reason);
  CHECK(client_visible_reason(result) == a.client_visible);
  // A token that does not verify never reaches the lookups.
  if (!result.signature_verified) CHECK(lookup.secret_reads + lookup.account_reads == 0);
}

TEST_CASE("the token-attack table: every forged or replayed token is refused as 1.20 refuses it", "[attacks]") {
  const World w;
  // The untouched tokens authenticate: the table's rejections are not the
  // cluster refusing everything.
  for (ClusterAlg alg : {ClusterAlg::kRS256, ClusterAlg::kES256}) {
    testing::FakeTokenLookup lookup = w.lookup(alg);
    AuthenticatorConfig config;
    config.keys = {alg == ClusterAlg::kRS256 ? w.rsa.public_key() : w.ec.public_key()};
    const ServiceAccountTokenAuthenticator authn(config, &lookup);
    const AuthResult ok = authn.authenticate(alg == ClusterAlg::kRS256 ? w.rsa_token : w.ec_token);
    REQUIRE(ok.outcome == AuthResult::kAuthenticated);
    CHECK(ok.user.name == "system:serviceaccount:default:default");
  }
  for (const Attack& a : attacks(w)) {
    if (a.era == Era::kToday) present(w, a);
  }
}

// Upstream 1.20's answers where go-jose v2 parsing matters.
TEST_CASE("the token-attack table: whitespace and the JSON serialization as go-jose v2 reads them", "[attacks]") {
  const World w;
  for (const Attack& a : attacks(w)) {
    if (a.era == Era::kChangesWithGoJoseParsing) present(w, a);
  }
}

// ---- Bound tokens (TokenRequest, projected volumes) --------------------
//
// The same authenticator with a bound-token issuer: a genuine signature
// and the apiserver's audience, replayed when its time, its objects or its
// audience no longer fit. The validator's answers change with the release
// (CLM-22/CLM-23 and the go-jose and uid-order changes): each row has the
// message of every era, as upstream's validator.Validate words it there.

constexpr std::int64_t kNowUnix = 1'600'000'000;
constexpr std::int64_t kNanos = 1'000'000'000;
constexpr const char* kBoundIssuer = "https://kubernetes.default.svc.cluster.local";

// The releases whose bound-token answers differ, with their validator options.
struct BoundEra {
  std::string name{};
  BoundValidatorOptions options{};
};
const std::vector<BoundEra>& bound_eras() {
  static const std::vector<BoundEra> eras = {
      {"1.20-1.22", {.capitalised_messages = true, .go_jose_checks_iat = false, .uid_before_deletion = false}},
      {"1.23-1.26", {.capitalised_messages = false, .go_jose_checks_iat = false, .uid_before_deletion = false}},
      {"1.27-1.29", {.capitalised_messages = false, .go_jose_checks_iat = true, .uid_before_deletion = false}},
      {"1.30-1.33", {.capitalised_messages = false, .go_jose_checks_iat = true, .uid_before_deletion = true}},
  };
  return eras;
}

using BoundWorld = testing::FakeBoundGetter;

// ns/sa (uid sa-uid) with pod web (pod-uid); what each row changes of it.
void populate(BoundWorld& world) {
  world.accounts = {{"sa", {"sa-uid", std::nullopt}}};
  world.pods = {{"web", {"pod-uid", std::nullopt}}};
}

struct BoundToken {
  std::vector<std::string> audiences{"api"};
  std::int64_t issued_unix = kNowUnix;  // iat and nbf
  std::int64_t lifetime_seconds = 3600;
  std::optional<ClaimRef> pod = ClaimRef{"web", "pod-uid"};
  std::string account_uid = "sa-uid";
};

std::string sign_bound(const SigningKey& key, const BoundToken& t) {
  BoundObjects bound;
  bound.pod = t.pod;
  auto claims = make_bound_claims(kBoundIssuer, "ns", ClaimRef{"sa", t.account_uid}, bound,
                                  t.lifetime_seconds, 0, t.audiences, t.issued_unix, ClaimsOptions{});
  REQUIRE(claims.ok());
  return sign_jwt(key, to_json(claims.value()));
}

struct BoundAttack {
  std::string name{};
  BoundToken token{};
  std::function<void(BoundWorld&)> change = [](BoundWorld&) {};
  std::int64_t now_nanos = kNowUnix * kNanos;
  // One message per era of bound_eras(); "" where the token authenticates.
  std::vector<std::string> messages{};
};

std::vector<BoundAttack> bound_attacks() {
  const std::int64_t now = kNowUnix * kNanos;
  const std::int64_t leeway = kBoundTokenLeewaySeconds * kNanos;
  const auto all = [](const std::string& message) { return std::vector<std::string>(4, message); };
  const std::vector<std::string> expired = {"Token has expired.", "service account token has expired",
                                            "service account token has expired", "service account token has expired"};
  const std::vector<std::string> not_yet = {"Token could not be validated.", "service account token is not valid yet",
                                            "service account token is not valid yet",
                                            "service account token is not valid yet"};
  const std::vector<std::string> invalidated = {
      "Token has been invalidated", "service account token has been invalidated",
      "service account token has been invalidated", "service account token has been invalidated"};
  const std::vector<std::string> recreated = {"ServiceAccount UID (sa-uid-2) does not match claim (sa-uid)",
                                              "service account UID (sa-uid-2) does not match claim (sa-uid)",
                                              "service account UID (sa-uid-2) does not match claim (sa-uid)",
                                              "service account UID (sa-uid-2) does not match claim (sa-uid)"};
  // An hour's token issued at kNowUnix - 3600: it expires at kNowUnix.
  const BoundToken hour_ago{.issued_unix = kNowUnix - 3600};
  return {
      {.name = "a genuine bound token (the control row)", .token = {}, .messages = all("")},
      {.name = "past exp by the 60 s leeway exactly: still accepted", .token = hour_ago, .now_nanos = now + leeway,
       .messages = all("")},
      {.name = "past exp plus leeway", .token = hour_ago, .now_nanos = now + leeway + 1, .messages = expired},
      {.name = "a day past exp", .token = hour_ago, .now_nanos = now + 86400 * kNanos, .messages = expired},
      // nbf = iat = issue time: a token issued 61 s in the future is before
      // its nbf beyond the leeway (a clock skew, or a token minted elsewhere).
      {.name = "before nbf minus leeway", .token = {.issued_unix = kNowUnix + 61}, .messages = not_yet},
      {.name = "before nbf within the leeway: accepted", .token = {.issued_unix = kNowUnix + 60}, .messages = all("")},
      {.name = "of a deleted pod", .token = {}, .change = [](BoundWorld& w) { w.pods.clear(); }, .messages = invalidated},
      {.name = "of a pod deleted (deletionTimestamp) more than a minute ago", .token = {},
       .change = [](BoundWorld& w) { w.pods["web"].deletion_unix_seconds = kNowUnix - 61; }, .messages = invalidated},
      {.name = "of a pod being deleted gracefully: accepted until a minute after its deletionTimestamp", .token = {},
       .change = [](BoundWorld& w) { w.pods["web"].deletion_unix_seconds = kNowUnix - 60; }, .messages = all("")},
      {.name = "of a pod recreated with the same name", .token = {},
       .change = [](BoundWorld& w) { w.pods["web"].uid = "pod-uid-2"; },
       .messages = {"Pod UID (pod-uid-2) does not match claim (pod-uid)",
                    "pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)",
                    "pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)",
                    "pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)"}},
      {.name = "with a wrong audience", .token = {.audiences = {"vault"}},
       .messages = all(R"(token audiences ["vault"] is invalid for the target audiences ["api"])")},
      {.name = "with a wrong audience, expired and of a deleted pod: the audience is judged first",
       .token = {.audiences = {"vault"}, .issued_unix = kNowUnix - 7200},
       .change = [](BoundWorld& w) { w.pods.clear(); },
       .messages = all(R"(token audiences ["vault"] is invalid for the target audiences ["api"])")},
      {.name = "of a deleted account", .token = {}, .change = [](BoundWorld& w) { w.accounts.clear(); },
       .messages = all(R"(serviceaccounts "sa" not found)")},
      {.name = "of an account recreated with the same name", .token = {},
       .change = [](BoundWorld& w) { w.accounts["sa"].uid = "sa-uid-2"; }, .messages = recreated},
      // The recreated account is itself being deleted: 1.30 compares the uid
      // first, earlier releases the deletion.
      {.name = "of an account recreated with the same name and deleted again", .token = {},
       .change =
           [](BoundWorld& w) {
             w.accounts["sa"] = {"sa-uid-2", kNowUnix - 61};
           },
       .messages = {"ServiceAccount ns/sa has been deleted", "service account ns/sa has been deleted",
                    "service account ns/sa has been deleted",
                    "service account UID (sa-uid-2) does not match claim (sa-uid)"}},
  };
}

TEST_CASE("the token-attack table: replayed bound tokens are refused as each release refuses them", "[attacks]") {
  const SigningKey key = load(builtin_rsa_key_pem());
  for (std::size_t era = 0; era < bound_eras().size(); ++era) {
    for (const BoundAttack& a : bound_attacks()) {
      INFO(bound_eras()[era].name << ": " << a.name);
      REQUIRE(a.messages.size() == bound_eras().size());
      BoundWorld world;
      populate(world);
      a.change(world);
      testing::FakeTokenLookup lookup;
      AuthenticatorConfig config;
      config.keys = {key.public_key()};
      config.implicit_audiences = {"api"};
      config.bound_issuers = {kBoundIssuer};
      config.bound = bound_eras()[era].options;
      const ServiceAccountTokenAuthenticator authn(config, &lookup, &world);
      const AuthResult result = authn.authenticate(sign_bound(key, a.token), a.now_nanos);
      const std::string& message = a.messages[era];
      if (message.empty()) {
        CHECK(result.outcome == AuthResult::kAuthenticated);
        CHECK(result.user.name == "system:serviceaccount:ns:sa");
        continue;
      }
      CHECK(result.outcome == AuthResult::kRejected);
      CHECK(result.signature_verified);
      CHECK(result.reason == message);
      // The validator's message is what the client is told.
      CHECK(client_visible_reason(result) == message);
      CHECK(lookup.secret_reads + lookup.account_reads == 0);  // never the legacy lookups
    }
  }
}

}  // namespace
}  // namespace sasim::model::auth
