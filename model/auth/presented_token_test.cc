// authenticate_presented: a bound token nobody read, judged by its claims and
// signing key, gets exactly what its bytes get from authenticate() (outcome,
// message, user, annotations, whether the signature verified, and the
// coverage probes counted), and stays unsigned. Each case is judged twice,
// from one lazy token and from an identical one whose bytes were read.
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/auth/authenticator.h"
#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/fake_bound_getter.h"
#include "model/auth/fake_token_lookup.h"
#include "model/auth/test_keys.h"
#include "sim/coverage.h"

namespace sasim::model::auth {
namespace presented_token_test {

constexpr std::int64_t kIssuedUnix = 1600000000;
constexpr const char* kIssuer = "https://kubernetes.default.svc.cluster.local";

std::shared_ptr<const SigningKey> load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return std::make_shared<const SigningKey>(key.value());
}

using Getter = testing::FakeBoundGetter;

struct Case {
  std::string name;
  std::string issuer = kIssuer;
  std::vector<std::string> audiences{"api"};
  std::int64_t expiration_seconds = 3607;
  std::int64_t warn_after_seconds = 0;
  bool bound_to_pod = true;
  // The world and the apiserver.
  bool account_exists = true;
  std::string account_uid = "sa-uid";
  std::optional<std::string> pod_uid = "pod-uid";  // nullopt: the pod is gone
  std::vector<std::string> requested{"api"};
  std::int64_t seconds_after_issue = 10;
  enum Keys { kSigner, kOtherThenSigner, kOtherOnly, kNone } keys = kSigner;
  bool bound_issuer_configured = true;
  bool legacy_takes_the_issuer = false;
};

void require_same(const AuthResult& lazy, const AuthResult& bytes) {
  CHECK(lazy.outcome == bytes.outcome);
  CHECK(lazy.reason == bytes.reason);
  CHECK(lazy.signature_verified == bytes.signature_verified);
  CHECK(lazy.user.name == bytes.user.name);
  CHECK(lazy.user.uid == bytes.user.uid);
  CHECK(lazy.user.groups == bytes.user.groups);
  CHECK(lazy.user.extra == bytes.user.extra);
  CHECK(lazy.audit_annotations == bytes.audit_annotations);
  CHECK(lazy.warnings == bytes.warnings);
}

TEST_CASE("a bound token nobody read is answered as its bytes are and stays unsigned") {
  const auto signer = load(builtin_rsa_key_pem());
  const auto other = load(testing::kOtherRsaKeyPem);
  const std::vector<Case> cases = {
      {.name = "accepted"},
      {.name = "accepted by the second key", .keys = Case::kOtherThenSigner},
      {.name = "no key verifies", .keys = Case::kOtherOnly},
      {.name = "no keys at all", .keys = Case::kNone},
      {.name = "another issuer", .issuer = "https://elsewhere.example"},
      {.name = "no bound-token authenticator", .bound_issuer_configured = false},
      {.name = "the legacy authenticator takes the issuer too", .legacy_takes_the_issuer = true},
      {.name = "audience not requested", .requested = {"vault"}},
      {.name = "expired", .seconds_after_issue = 3607 + 61},
      {.name = "within the leeway after exp", .seconds_after_issue = 3607 + 59},
      {.name = "past warnafter (stale-token annotation)", .expiration_seconds = 3600 * 24 * 365,
       .warn_after_seconds = 3607, .seconds_after_issue = 4000},
      {.name = "account gone", .account_exists = false},
      {.name = "account recreated", .account_uid = "other-uid"},
      {.name = "pod gone", .pod_uid = std::nullopt},
      {.name = "pod recreated", .pod_uid = "new-pod-uid"},
      {.name = "not bound to a pod", .bound_to_pod = false},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      BoundObjects bound;
      if (c.bound_to_pod) bound.pod = ClaimRef{"app", "pod-uid"};
      auto claims = make_bound_claims(c.issuer, "ns", ClaimRef{"sa", "sa-uid"}, bound, c.expiration_seconds,
                                      c.warn_after_seconds, c.audiences, kIssuedUnix, ClaimsOptions{});
      REQUIRE(claims.ok());
      const auto lazy = std::make_shared<const BoundToken>(signer, claims.value(), 7);
      const auto read = std::make_shared<const BoundToken>(signer, claims.value(), 7);
      const std::string& bytes = read->bytes();

      Getter getter;
      if (c.account_exists) getter.accounts["sa"] = {c.account_uid, std::nullopt};
      if (c.pod_uid) getter.pods["app"] = {*c.pod_uid, std::nullopt};
      testing::FakeTokenLookup lookup;
      AuthenticatorConfig config;
      switch (c.keys) {
        case Case::kSigner: config.keys = {signer->public_key()}; break;
        case Case::kOtherThenSigner: config.keys = {other->public_key(), signer->public_key()}; break;
        case Case::kOtherOnly: config.keys = {other->public_key()}; break;
        case Case::kNone: break;
      }
      config.implicit_audiences = {"api"};
      if (c.bound_issuer_configured) config.bound_issuers = {kIssuer};
      if (c.legacy_takes_the_issuer) config.issuers.push_back(kIssuer);
      ServiceAccountTokenAuthenticator authn(config, &lookup, &getter);
      const std::int64_t now = (kIssuedUnix + c.seconds_after_issue) * 1'000'000'000LL;

      sim::Coverage by_claims, by_bytes;
      authn.set_coverage(&by_claims);
      const AuthResult from_claims = authn.authenticate_presented(DataValue(lazy), c.requested, now);
      authn.set_coverage(&by_bytes);
      const AuthResult from_bytes = authn.authenticate(bytes, c.requested, now);
      authn.set_coverage(nullptr);

      require_same(from_claims, from_bytes);
      CHECK(by_claims.counts() == by_bytes.counts());
      // Only the fallback (an issuer both authenticators take) reads the bytes.
      CHECK(lazy->computed() == c.legacy_takes_the_issuer);
    }
  }
}

TEST_CASE("a presented token of bytes is judged from its bytes") {
  const auto signer = load(builtin_rsa_key_pem());
  auto claims = make_bound_claims(kIssuer, "ns", ClaimRef{"sa", "sa-uid"}, BoundObjects{}, 3607, 0, {"api"},
                                  kIssuedUnix, ClaimsOptions{});
  REQUIRE(claims.ok());
  const std::string bytes = BoundToken(signer, claims.value(), 7).bytes();
  Getter getter;
  getter.accounts["sa"] = {"sa-uid", std::nullopt};
  testing::FakeTokenLookup lookup;
  AuthenticatorConfig config;
  config.keys = {signer->public_key()};
  config.implicit_audiences = {"api"};
  config.bound_issuers = {kIssuer};
  const ServiceAccountTokenAuthenticator authn(config, &lookup, &getter);
  const std::int64_t now = (kIssuedUnix + 10) * 1'000'000'000LL;
  const AuthResult accepted = authn.authenticate_presented(DataValue(bytes), {"api"}, now);
  CHECK(accepted.outcome == AuthResult::kAuthenticated);
  CHECK(accepted.user.name == "system:serviceaccount:ns:sa");
  // One byte of the signature changed: the bytes are what is judged.
  std::string spoiled = bytes;
  spoiled.back() = spoiled.back() == 'A' ? 'B' : 'A';
  const AuthResult refused = authn.authenticate_presented(DataValue(spoiled), {"api"}, now);
  CHECK(refused.outcome == AuthResult::kRejected);
  CHECK_FALSE(refused.signature_verified);
}

}  // namespace presented_token_test
}  // namespace sasim::model::auth
