#include "model/auth/authenticator.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/auth/go_text.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/legacy_validator.h"
#include "model/auth/unverified_issuer.h"
#include "model/coverage/probes.h"
#include "sim/check.h"

namespace sasim::model::auth {
namespace {

using coverage::Probe;

// go-jose v2 reports every verification failure as this one error.
constexpr std::string_view kCryptoFailure = "square/go-jose: error in cryptographic primitive";
// ...except a JWS with several signatures (JSONWebSignature.DetachedVerify).
constexpr std::string_view kTooManySignatures = "square/go-jose: too many signatures in payload; expecting only one";

AuthResult not_handled(std::string why) {
  AuthResult result;
  result.outcome = AuthResult::kNotHandled;
  result.reason = std::move(why);
  return result;
}

AuthResult rejected(std::string reason, bool signature_verified) {
  AuthResult result;
  result.outcome = AuthResult::kRejected;
  result.reason = std::move(reason);
  result.signature_verified = signature_verified;
  return result;
}

// utilerrors.NewAggregate(errs).Error(): one message as it is, several
// distinct ones (duplicates dropped) as "[a, b]".
std::string aggregate(const std::vector<std::string>& errors) {
  std::vector<std::string> distinct;
  for (const std::string& e : errors) {
    if (std::find(distinct.begin(), distinct.end(), e) == distinct.end()) distinct.push_back(e);
  }
  if (distinct.size() == 1) return distinct.front();
  return "[" + fmt::format("{}", fmt::join(distinct, ", ")) + "]";
}

// authenticator.Audiences.Intersect: the token's audiences, in order, that
// were requested.
std::vector<std::string> intersect(const std::vector<std::string>& token, const std::vector<std::string>& requested) {
  std::vector<std::string> out;
  for (const std::string& a : token) {
    if (std::find(requested.begin(), requested.end(), a) != requested.end()) out.push_back(a);
  }
  return out;
}

// V2-V3: the JWS parsed, and its claims read with the first key that
// verifies the signature. `decode` reads the claims as go-jose unmarshals
// them into the validator's structs; a decoding error counts against that key.
template <class Claims>
struct Verified {
  std::optional<Claims> claims;
  std::optional<AuthResult> outcome;  // set when verification ended the run
};

template <class Claims, class Decode>
Verified<Claims> verify(std::string_view token, JwsParsing parsing, const std::vector<PublicKey>& keys, Decode decode) {
  Verified<Claims> out;
  const auto jwt = parse_jwt(token, parsing);
  if (!jwt) {
    out.outcome = not_handled(jwt.error().message);
    return out;
  }
  std::vector<std::string> errors;
  for (const PublicKey& key : keys) {
    if (!verify_jwt_signature(jwt.value(), key)) {
      errors.emplace_back(jwt.value().signature_count == 1 ? kCryptoFailure : kTooManySignatures);
      continue;
    }
    auto decoded = decode(jwt.value().claims);
    if (!decoded) {
      errors.push_back(decoded.error().message);
      continue;
    }
    out.claims = std::move(decoded).value();
    return out;
  }
  out.outcome = errors.empty() ? not_handled("no keys to verify the signature with") : rejected(aggregate(errors), false);
  return out;
}

// Whole seconds, rounded down (the date of an instant just before midnight
// is that day's).
std::int64_t floor_seconds(std::int64_t nanos) {
  constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
  return nanos >= 0 ? nanos / kNanosPerSecond : -((-nanos + kNanosPerSecond - 1) / kNanosPerSecond);
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// V5: a token without `aud` is a legacy token and gets the implicit
// audiences; the token's audiences must meet the requested ones when the
// apiserver has implicit audiences at all.
std::optional<AuthResult> check_audiences(std::vector<std::string> token_audiences,
                                          const std::vector<std::string>& requested,
                                          const std::vector<std::string>& implicit) {
  if (token_audiences.empty()) token_audiences = implicit;
  if (intersect(token_audiences, requested).empty() && !implicit.empty()) {
    return rejected(fmt::format("token audiences {} is invalid for the target audiences {}", go_quote(token_audiences),
                                go_quote(requested)),
                    true);
  }
  return std::nullopt;
}

}  // namespace

ServiceAccountTokenAuthenticator::ServiceAccountTokenAuthenticator(AuthenticatorConfig config, TokenLookup* lookup,
                                                                   BoundObjectGetter* bound_getter)
    : config_(std::move(config)), lookup_(lookup), bound_getter_(bound_getter) {
  SIM_CHECK(lookup_ != nullptr || !config_.lookup, "service account lookup is on but no TokenLookup was given");
  SIM_CHECK(bound_getter_ != nullptr || config_.bound_issuers.empty(),
            "bound-token issuers are configured but no BoundObjectGetter was given");
}

AuthResult ServiceAccountTokenAuthenticator::authenticate(std::string_view token, std::int64_t now_unix_nanos) const {
  return authenticate(token, config_.implicit_audiences, now_unix_nanos);
}

AuthResult ServiceAccountTokenAuthenticator::authenticate(std::string_view token,
                                                          const std::vector<std::string>& requested_audiences,
                                                          std::int64_t now_unix_nanos) const {
  // The union (tokenunion): the legacy authenticator first, then the bound
  // one; the first success wins, otherwise the errors of those that had one.
  AuthResult legacy = run_legacy(token, requested_audiences, now_unix_nanos);
  if (legacy.outcome == AuthResult::kAuthenticated || config_.bound_issuers.empty()) return legacy;
  AuthResult bound = run_bound(token, requested_audiences, now_unix_nanos);
  if (bound.outcome == AuthResult::kAuthenticated || legacy.outcome == AuthResult::kNotHandled) return bound;
  if (bound.outcome == AuthResult::kNotHandled) return legacy;
  AuthResult both = legacy;
  both.reason = aggregate({legacy.reason, bound.reason});
  both.signature_verified = legacy.signature_verified || bound.signature_verified;
  return both;
}

AuthResult ServiceAccountTokenAuthenticator::run_legacy(std::string_view token,
                                                        const std::vector<std::string>& requested_audiences,
                                                        std::int64_t now_unix_nanos) const {
  // V1
  const auto issuer = unverified_issuer(token, config_.parsing);
  if (!issuer || !contains(config_.issuers, *issuer)) coverage::probe(coverage_, Probe::kV1NotHandled);
  if (!issuer) return not_handled("not a compact JWT with a readable issuer");
  if (!contains(config_.issuers, *issuer)) return not_handled("issuer " + go_quote(*issuer) + " is not accepted");

  // V2-V3
  std::vector<std::string> token_audiences;
  auto verified = verify<LegacyClaims>(token, config_.parsing, config_.keys, [&](const nlohmann::json& payload) {
    return legacy_claims_from_json(payload, &token_audiences);
  });
  if (verified.outcome) {
    coverage::probe(coverage_, verified.outcome->outcome == AuthResult::kNotHandled ? Probe::kV2Unparseable
                                                                                     : Probe::kV3NoKeyVerifies);
    return *verified.outcome;
  }
  const LegacyClaims& claims = *verified.claims;

  // V4 (later releases only; 1.20 trusts the unverified pre-check's issuer)
  if (config_.issuer_checked_after_verification && !contains(config_.issuers, claims.issuer)) {
    coverage::probe(coverage_, Probe::kV4IssuerRejected);
    return rejected(fmt::format("token issuer {} is invalid", go_quote(claims.issuer)), true);
  }

  // V5
  if (auto refused = check_audiences(token_audiences, requested_audiences, config_.implicit_audiences)) {
    coverage::probe(coverage_, Probe::kV5AudienceRejected);
    return *refused;
  }

  // V6
  LegacyTrackingOptions tracking = config_.legacy_tracking;
  tracking.now_unix_seconds = floor_seconds(now_unix_nanos);
  if (config_.broken.ignore_invalid_since) tracking.invalid_since_check = false;
  tracking.broken_first_use_only = config_.broken.track_first_use_only;
  LegacyTokenUse use;
  auto user = validate_legacy_token(token, claims, config_.lookup ? lookup_ : nullptr,
                                    config_.broken.accept_missing_secrets, tracking, &use);
  coverage::probe(coverage_, user ? Probe::kV6Authenticated : Probe::kV6Rejected);
  if (use.audit_annotations.count(std::string(kInvalidatedAnnotation)) != 0) {
    coverage::probe(coverage_, Probe::kLegacyTokenInvalidSinceRejected);
  }
  if (use.last_used_patch) coverage::probe(coverage_, Probe::kLegacyTokenLastUsedWritten);
  AuthResult result;
  result.audit_annotations = std::move(use.audit_annotations);
  result.warnings = std::move(use.warnings);
  result.last_used_patch = std::move(use.last_used_patch);
  if (!user) {
    AuthResult refused = rejected(user.error().message, true);
    refused.audit_annotations = std::move(result.audit_annotations);
    refused.last_used_patch = std::move(result.last_used_patch);
    return refused;
  }
  result.outcome = AuthResult::kAuthenticated;
  result.user = std::move(user).value();
  result.signature_verified = true;
  return result;
}

AuthResult ServiceAccountTokenAuthenticator::run_bound(std::string_view token,
                                                       const std::vector<std::string>& requested_audiences,
                                                       std::int64_t now_unix_nanos) const {
  // V1 (BV1): the --service-account-issuer values. Both authenticators
  // take tokens apart with the same JOSE library, so in the same way.
  const auto issuer = unverified_issuer(token, config_.parsing);
  if (!issuer || !contains(config_.bound_issuers, *issuer)) coverage::probe(coverage_, Probe::kV1NotHandled);
  if (!issuer) return not_handled("not a compact JWT with a readable issuer");
  if (!contains(config_.bound_issuers, *issuer)) return not_handled("issuer " + go_quote(*issuer) + " is not accepted");

  // V2-V3
  auto verified = verify<BoundClaims>(token, config_.parsing, config_.keys,
                                      [](const nlohmann::json& payload) { return bound_claims_from_json(payload); });
  if (verified.outcome) {
    coverage::probe(coverage_, verified.outcome->outcome == AuthResult::kNotHandled ? Probe::kV2Unparseable
                                                                                     : Probe::kV3NoKeyVerifies);
    return *verified.outcome;
  }
  return judge_bound(*verified.claims, requested_audiences, now_unix_nanos);
}

AuthResult ServiceAccountTokenAuthenticator::judge_bound(const BoundClaims& claims,
                                                         const std::vector<std::string>& requested_audiences,
                                                         std::int64_t now_unix_nanos) const {
  // V4 exists for bound tokens from 1.32 only.
  if (config_.bound_post_verification_issuer_check && !contains(config_.bound_issuers, claims.issuer)) {
    coverage::probe(coverage_, Probe::kV4IssuerRejected);
    return rejected(fmt::format("token issuer {} is invalid", go_quote(claims.issuer)), true);
  }

  // V5 (BV2): before any time or object check.
  if (auto refused = check_audiences(claims.audiences, requested_audiences, config_.implicit_audiences)) {
    coverage::probe(coverage_, Probe::kV5AudienceRejected);
    return *refused;
  }

  // V6: the bound validator (BV3-BV7).
  AuthResult result;
  BoundValidatorOptions options = config_.bound;
  options.broken_ignore_pod = config_.broken.ignore_bound_pod;
  options.broken_ignore_node = config_.broken.ignore_bound_node;
  if (claims.node && !claims.pod && options.node_binding_validation) {
    coverage::probe(coverage_, Probe::kNodeBoundTokenChecked);
  }
  auto user = validate_bound_token(claims, *bound_getter_, now_unix_nanos, options, &result.audit_annotations);
  coverage::probe(coverage_, user ? Probe::kV6Authenticated : Probe::kV6Rejected);
  if (!user) return rejected(user.error().message, true);
  result.outcome = AuthResult::kAuthenticated;
  result.user = std::move(user).value();
  result.signature_verified = true;
  return result;
}

AuthResult ServiceAccountTokenAuthenticator::authenticate_presented(const DataValue& token,
                                                                    const std::vector<std::string>& requested_audiences,
                                                                    std::int64_t now_unix_nanos) const {
  const auto* bound = dynamic_cast<const BoundToken*>(token.lazy());
  if (bound == nullptr || contains(config_.issuers, bound->claims().issuer)) {
    return authenticate(token.bytes(), requested_audiences, now_unix_nanos);
  }
  const BoundClaims& claims = bound->claims();
  // The union: the legacy authenticator does not take the issuer (its V1),
  // so the bound one's answer is the answer.
  coverage::probe(coverage_, Probe::kV1NotHandled);
  AuthResult legacy = not_handled("issuer " + go_quote(claims.issuer) + " is not accepted");
  if (config_.bound_issuers.empty()) return legacy;
  // V1 (BV1)
  if (!contains(config_.bound_issuers, claims.issuer)) {
    coverage::probe(coverage_, Probe::kV1NotHandled);
    return not_handled("issuer " + go_quote(claims.issuer) + " is not accepted");
  }
  // V2-V3: no keys, nothing tried; otherwise the first key that verifies,
  // which is the signing key's public half, or go-jose's one error for
  // every key that does not.
  if (config_.keys.empty()) {
    coverage::probe(coverage_, Probe::kV2Unparseable);
    return not_handled("no keys to verify the signature with");
  }
  const PublicKey& signer = bound->key().public_key();
  if (std::find(config_.keys.begin(), config_.keys.end(), signer) == config_.keys.end()) {
    coverage::probe(coverage_, Probe::kV3NoKeyVerifies);
    return rejected(std::string(kCryptoFailure), false);
  }
  return judge_bound(claims, requested_audiences, now_unix_nanos);
}

}  // namespace sasim::model::auth
