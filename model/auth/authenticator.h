// The apiserver's ServiceAccount token authenticators, as kube-apiserver
// builds them: two serviceaccount.JWTTokenAuthenticators in a union, one for
// legacy tokens (issuer kubernetes/serviceaccount, the legacy validator of
// legacy_validator.h) and one for bound tokens (the --service-account-issuer
// values, the bound validator of bound_validator.h). Each runs V1-V6 of the
// behaviour reference, section 5.2, on the tokens whose unverified issuer it
// accepts (BV1); the union returns the first success, else every error.
//
// Keys are a plain list, as in 1.20: every key is tried in order, the header
// `kid` is ignored, and the first key that verifies wins (key rotation). With
// no keys at all, nothing is tried and the empty aggregate of errors is nil,
// so the token is not handled, without an error; the `invalid signature, no
// keys found` error of 1.32+ does not exist yet.
//
// How a token is taken apart is a per-era choice (AuthenticatorConfig):
// 1.20's pre-check only splits on dots and decodes the middle part, and
// go-jose v2 then strips whitespace and reads the JWS JSON serialization
// too, so a token with a newline inside, or in the JSON form, gets as far as
// the validator (which, with lookup, finds that it is not the Secret's
// copy). Later releases take the compact form only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/auth/auth_result.h"
#include "model/auth/bound_validator.h"
#include "model/auth/identity.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_tracking.h"
#include "model/auth/public_key.h"
#include "model/auth/token_lookup.h"
#include "model/objects/data_value.h"
#include "sim/coverage.h"

namespace sasim::model::auth {

struct AuthenticatorConfig {
  // --service-account-key-file: any key that verifies the token wins.
  std::vector<PublicKey> keys;
  // Issuers whose tokens this authenticator takes; others pass untouched.
  std::vector<std::string> issuers{std::string(kLegacyIssuer)};
  // --api-audiences: the audiences legacy tokens (which have no `aud`) are
  // taken to have, and the default requested audiences.
  std::vector<std::string> implicit_audiences;
  // --service-account-lookup (legacy tokens only: bound tokens are always looked up).
  bool lookup = true;
  // Legacy-token tracking (1.26+) and the invalid-since check (1.29+);
  // now_unix_seconds is ignored (the authentication's time is used).
  LegacyTrackingOptions legacy_tracking{};
  // How tokens are taken apart (V1, V2): 1.20's go-jose v2 unless the
  // version table says otherwise.
  JwsParsing parsing = JwsParsing::kGoJoseV2;
  // V4: after verification, the token's own issuer must be accepted too.
  // 1.20 does not look again: the unverified pre-check's issuer is all.
  bool issuer_checked_after_verification = false;
  // --service-account-issuer: tokens with one of these issuers go to the
  // bound-token validator. Empty: no bound-token authenticator.
  std::vector<std::string> bound_issuers;
  BoundValidatorOptions bound;
  // V4 for bound tokens (1.32+): after verification an issuer outside the
  // accepted set is an error. Before, nothing checks it again.
  bool bound_post_verification_issuer_check = false;
  // Deliberately broken variants (model/cluster/broken_variants.h).
  struct Broken {
    bool accept_missing_secrets = false;  // a token whose Secret is gone passes the lookup
    bool ignore_bound_pod = false;        // a pod-bound token passes whatever became of its pod
    bool ignore_bound_node = false;       // a node-bound token passes whatever became of its Node
    bool ignore_invalid_since = false;    // a legacy token labelled invalid-since still passes
    bool track_first_use_only = false;    // the last-used label is written once, never updated
  } broken{};
};

class ServiceAccountTokenAuthenticator {
 public:
  // `lookup` and `bound_getter` must outlive the authenticator; `lookup`
  // may be null only when config.lookup is false, `bound_getter` only when
  // there are no bound issuers.
  ServiceAccountTokenAuthenticator(AuthenticatorConfig config, TokenLookup* lookup,
                                   BoundObjectGetter* bound_getter = nullptr);

  // With the implicit audiences as the requested ones. Bound tokens are
  // judged at `now_unix_nanos` (the apiserver's wall clock); legacy tokens
  // have no times.
  AuthResult authenticate(std::string_view token, std::int64_t now_unix_nanos = 0) const;
  AuthResult authenticate(std::string_view token, const std::vector<std::string>& requested_audiences,
                          std::int64_t now_unix_nanos = 0) const;

  // A token as a pod's file holds it. A bound token nobody needed the bytes
  // of (a lazy BoundToken, model/auth/bound_token.h) is judged by what its
  // bytes are a pure function of: its claims and its signing key. Every
  // step is the one authenticate() takes, with the same results, messages
  // and coverage probes, less the signing and the taking apart: V1 reads
  // the claims' issuer; V2-V3 find the first key equal to the signing
  // key's public half (the one key that verifies its signature) and take
  // the claims as decoded; V4-V6 are shared. A kubelet refreshing 10,000
  // pods' tokens about every 48 minutes would otherwise pay an RSA
  // signature and a verification for each. Any other token (bytes, a
  // legacy token, a bound token of an issuer the legacy authenticator also
  // takes) is judged from its bytes.
  AuthResult authenticate_presented(const DataValue& token, const std::vector<std::string>& requested_audiences,
                                    std::int64_t now_unix_nanos) const;

  const AuthenticatorConfig& config() const { return config_; }

  // Where the paths taken (V1-V6) are counted (model/coverage/probes.h):
  // the world's Coverage, set by the apiserver before it authenticates.
  // Null (the default) counts nothing. Not owned.
  void set_coverage(sim::Coverage* coverage) { coverage_ = coverage; }

 private:
  AuthResult run_legacy(std::string_view token, const std::vector<std::string>& requested_audiences,
                        std::int64_t now_unix_nanos) const;
  AuthResult run_bound(std::string_view token, const std::vector<std::string>& requested_audiences,
                       std::int64_t now_unix_nanos) const;
  // V4-V6 of a bound token whose signature verified.
  AuthResult judge_bound(const BoundClaims& claims, const std::vector<std::string>& requested_audiences,
                         std::int64_t now_unix_nanos) const;

  AuthenticatorConfig config_;
  TokenLookup* lookup_;
  BoundObjectGetter* bound_getter_;
  sim::Coverage* coverage_ = nullptr;
};

}  // namespace sasim::model::auth
