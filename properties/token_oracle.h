// TokenOracle: what Kubernetes 1.20's apiserver must answer when a legacy
// ServiceAccount token is presented, worked out apart from model/auth so
// that the invariants do not check the authenticator against itself.
// OpenSSL verifies the JWS signature with the cluster's public key (its
// PKIX DER), nlohmann::json reads the header and claims, and the legacy
// validator's checks are written here again from the rules (V1-V6 and the
// legacy validator's steps 1-6 and 7.1-7.6 of docs/rules.md).
//
// Only compact tokens without whitespace are judged: 1.20's go-jose v2
// also strips whitespace and reads the JSON serialization, which the
// oracle leaves to the model (judge() returns nullopt for them).
//
// Tokens of a bound-token issuer (TokenRequest's) are judged when the
// oracle is given the release's BoundRules and the review's context (the
// instant and the pod lookup in ReviewLookup): the audiences (V5), exp and
// nbf with go-jose's 60 s leeway (BV3), then the ServiceAccount, the bound
// Secret and the bound pod: present, not deleted more than 60 s ago, with
// the uid the claims name (BV4), in the era's wording. The claims are read
// here from the JSON payload, not with model/auth's reader; a payload of a
// shape TokenRequest never writes (a claim of the wrong JSON type) is left
// unjudged.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/auth/bound_token.h"
#include "model/auth/legacy_claims.h"
#include "model/objects/data_value.h"
#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::properties {

// The legacy claims of a token whose signature the key verified.
struct VerifiedClaims {
  std::string issuer, subject, ns, secret_name, service_account_name, service_account_uid;
  // The whole payload, for a bound token's claims (null for a lazy legacy
  // token judged from its description).
  std::shared_ptr<const nlohmann::json> payload{};
};

// What a review must answer: authenticated with that user, or rejected
// with `reason` as the client sees it (upstream's validator message once
// the signature verified, otherwise "invalid bearer token").
struct ExpectedReview {
  bool authenticated = false;
  std::string username{};
  std::string uid{};
  std::vector<std::string> groups{};
  // A pod-bound token's user.extra: the pod's name and uid.
  std::map<std::string, std::vector<std::string>> extra{};
  std::string reason{};
  // 1.26+ tracking: a legacy token's use that must leave the Secret's
  // last-used label at `today` (the authenticator's copy of the Secret had
  // neither today's nor tomorrow's date). Set for a success, and for an
  // invalid-since rejection.
  struct LastUsedWrite {
    std::string ns, name, uid, today;
  };
  std::optional<LastUsedWrite> last_used_write{};
};

// The objects the authenticator's lookups would find now: its informer's
// copy, or storage on a miss (upstream's NewGetterFromClient over listers).
struct ReviewLookup {
  std::function<model::ObjectPtr(const std::string& ns, const std::string& name)> secret;
  std::function<model::ObjectPtr(const std::string& ns, const std::string& name)> service_account;
  // For bound tokens: the bound pod, the instant of the review and the
  // audiences it asked for (empty: the apiserver's own). Without `pod` and
  // `now`, bound tokens are not judged.
  std::function<model::ObjectPtr(const std::string& ns, const std::string& name)> pod{};
  std::optional<sim::Time> now{};
  std::vector<std::string> audiences{};
  // The node a node-bound token names (nodes are cluster-scoped). Null:
  // node-bound tokens are not judged.
  std::function<model::ObjectPtr(const std::string& name)> node{};
  // Storage's copy of a Secret, after the review: where a recorded use
  // (the last-used label) must show. Null: not checked.
  std::function<model::ObjectPtr(const std::string& ns, const std::string& name)> stored_secret{};
};

// What the release's apiserver does with bound tokens (from the version
// table and the cluster's flags, not from the authenticator's config).
struct BoundRules {
  std::vector<std::string> issuers;        // --service-account-issuer
  std::vector<std::string> api_audiences;  // --api-audiences (the issuers when not given)
  std::int64_t epoch_unix_seconds = 0;     // the wall clock at simulated time 0
  bool capitalised_messages = true;        // <= 1.22: "Token has expired.", ...
  bool checks_iat = false;                 // go-jose >= 2.6 (1.27+)
  bool uid_before_deletion = false;        // 1.30+
  // Legacy tokens (V7-V8): uses recorded in the last-used label (1.26 with
  // the gate, 1.27+), and the invalid-since label refusing them (1.29+).
  bool legacy_tracking = false;
  bool legacy_invalid_since_check = false;
  // 1.29+ bound tokens (BV5, BV7): a pod-bound token's node reported as
  // extra, node-bound tokens validated, the jti reported as credential-id.
  bool pod_node_info = false;
  bool node_binding_validation = false;
  bool credential_id = false;
};

// "2020-01-01": the UTC day of a Unix second, worked out here (Howard
// Hinnant's days-to-civil), not with the model's tracking code.
std::string oracle_utc_date(std::int64_t unix_seconds);

// The cluster's public key, parsed once (OpenSSL takes a fifth of a
// millisecond to read a P-256 point, more than a small run's other work)
// and shared by the oracles of many runs; immutable once made.
class VerifyingKey {
 public:
  // `der`: the SubjectPublicKeyInfo of the signing key (RSA, or ECDSA
  // P-256). An unreadable key verifies nothing.
  static std::shared_ptr<const VerifyingKey> from_der(std::string_view der);
  ~VerifyingKey();
  VerifyingKey(const VerifyingKey&) = delete;
  VerifyingKey& operator=(const VerifyingKey&) = delete;

 private:
  VerifyingKey() = default;
  friend class TokenOracle;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class TokenOracle {
 public:
  // `bound_issuers`: the apiserver's --service-account-issuer values, whose
  // tokens the bound-token validator takes (and this oracle leaves alone).
  explicit TokenOracle(std::shared_ptr<const VerifyingKey> key, std::vector<std::string> bound_issuers = {});
  // Judges bound tokens too, by `rules`.
  TokenOracle(std::shared_ptr<const VerifyingKey> key, BoundRules rules);
  ~TokenOracle();
  // The bound-token rules of another release (the apiserver was upgraded).
  void set_bound_rules(BoundRules rules) { bound_rules_ = std::move(rules); }
  TokenOracle(const TokenOracle&) = delete;
  TokenOracle& operator=(const TokenOracle&) = delete;

  // The claims, if `token` is header.payload.signature in base64url with a
  // header whose alg fits the key (RS256 for RSA, ES256 for P-256), no
  // `crit`, and a signature the key verifies; nullopt otherwise (and for a
  // claim of the wrong JSON type, which go-jose fails to decode).
  std::optional<VerifiedClaims> verify(std::string_view token) const;
  // The same for a Secret's data value. A legacy token the model has not
  // yet serialized (a lazy value nobody read) is judged by what its bytes
  // are a pure function of: its claims, and a signing key whose public half
  // is this oracle's key. Signing it only to verify the signature again
  // would cost an RS256 signature per account (the JWS signing and
  // verifying themselves are tested against an independent JWT library);
  // a token that has been serialized is verified from its bytes.
  std::optional<VerifiedClaims> verify_stored(const model::DataValue& token) const;
  // The claims verify_stored judges a legacy token nobody read by, without
  // copying them (valid while `token` lives); null when it would verify bytes.
  const model::auth::LegacyClaims* unread_claims(const model::DataValue& token) const;
  // The same for a presented token (model::TokenReview::token): a bound
  // token nobody read, signed by a key whose public half is this oracle's,
  // is judged by its claims as its payload will hold them (the JSON that
  // would be encoded, not parsed back; signing and verifying are tested
  // elsewhere against an independent JWT library). Any other token as
  // verify_stored does (a legacy token nobody read), or from its bytes.
  std::optional<VerifiedClaims> verify_presented(const model::DataValue& token) const;

  // The answer 1.20 gives for `token`, with `lookup` on or off
  // (--service-account-lookup); nullopt for tokens it does not judge.
  std::optional<ExpectedReview> judge(std::string_view token, bool lookup, const ReviewLookup& objects) const;
  // The same for a token as a Secret holds it (see verify_stored).
  std::optional<ExpectedReview> judge_stored(const model::DataValue& token, bool lookup, const ReviewLookup& objects) const;
  // The same for a presented token (see verify_presented): a bound token
  // nobody read is judged by its claims, any other token by its bytes, as
  // judge() does.
  std::optional<ExpectedReview> judge_presented(const model::DataValue& token, bool lookup,
                                                const ReviewLookup& objects) const;
  // The claims of a bound token nobody read whose signing key's public half
  // is this oracle's key: what its payload will hold once signed (the
  // claims verify_presented verifies). Null for any other token.
  const model::auth::BoundClaims* unread_bound_claims(const model::DataValue& token) const;

 private:
  std::optional<VerifiedClaims> verify_uncached(std::string_view token) const;
  // The lazy bound token `token` holds, if nobody read it and this
  // oracle's key is the public half of its signing key; null otherwise.
  const model::auth::BoundToken* unread_bound(const model::DataValue& token) const;
  // judge() once the signature is settled: `claims` as verified, and
  // whether the server's stored copy is the presented token.
  // `claims`: VerifiedClaims, or the LegacyClaims of a token nobody read
  // (the same fields, no payload), judged without copying them; null: the
  // token did not verify.
  template <typename Claims>
  std::optional<ExpectedReview> judge_claims(const Claims* claims, bool lookup,
                                             const ReviewLookup& objects,
                                             const std::function<bool(const model::DataValue&)>& matches) const;
  // The user a legacy token authenticates as.
  template <typename Claims>
  static ExpectedReview accepted(const Claims& claims);
  // A verified token of a bound issuer.
  std::optional<ExpectedReview> judge_bound(const VerifiedClaims& claims, const ReviewLookup& objects) const;
  struct Context;
  std::shared_ptr<const VerifyingKey> key_;
  std::vector<std::string> bound_issuers_;
  std::optional<BoundRules> bound_rules_;
  std::unique_ptr<Context> context_;
  // Verification is a pure function of the token: each distinct token is
  // verified once per run (a pod presents the same one every few seconds).
  mutable std::map<std::string, std::optional<VerifiedClaims>, std::less<>> verified_;
  // The same for bound tokens nobody read, by identity: the entry holds the
  // token, so that its address is not reused while it is cached.
  struct Presented {
    model::DataValue token;
    std::optional<VerifiedClaims> claims;
  };
  mutable std::map<const model::LazyValue*, Presented> presented_;
};

}  // namespace sasim::properties
