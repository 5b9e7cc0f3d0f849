#include "model/auth/authenticator.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

#include "model/auth/go_text.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/legacy_validator.h"
#include "model/auth/unverified_issuer.h"
#include "sim/check.h"

namespace sasim::model::auth {
namespace {

// go-jose v2 reports every verification failure as this one error.
constexpr std::string_view kCryptoFailure = "square/go-jose: error in cryptographic primitive";

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

}  // namespace

ServiceAccountTokenAuthenticator::ServiceAccountTokenAuthenticator(AuthenticatorConfig config, TokenLookup* lookup)
    : config_(std::move(config)), lookup_(lookup) {
  SIM_CHECK(lookup_ != nullptr || !config_.lookup, "service account lookup is on but no TokenLookup was given");
}

AuthResult ServiceAccountTokenAuthenticator::authenticate(std::string_view token) const {
  return run(token, config_.implicit_audiences);
}

AuthResult ServiceAccountTokenAuthenticator::authenticate(std::string_view token,
                                                          const std::vector<std::string>& requested_audiences) const {
  return run(token, requested_audiences);
}

bool ServiceAccountTokenAuthenticator::accepts_issuer(const std::string& issuer) const {
  return std::find(config_.issuers.begin(), config_.issuers.end(), issuer) != config_.issuers.end();
}

AuthResult ServiceAccountTokenAuthenticator::run(std::string_view token,
                                                 const std::vector<std::string>& requested_audiences) const {
  // V1
  const auto issuer = unverified_issuer(token);
  if (!issuer) return not_handled("not a compact JWT with a readable issuer");
  if (!accepts_issuer(*issuer)) return not_handled("issuer " + go_quote(*issuer) + " is not accepted");

  // V2
  const auto jwt = parse_jwt(token);
  if (!jwt) return not_handled(jwt.error().message);

  // V3
  std::vector<std::string> errors;
  std::optional<LegacyClaims> claims;
  std::vector<std::string> token_audiences;
  for (const PublicKey& key : config_.keys) {
    if (!verify_jwt_signature(jwt.value(), key)) {
      errors.emplace_back(kCryptoFailure);
      continue;
    }
    auto decoded = legacy_claims_from_json(jwt.value().claims, &token_audiences);
    if (!decoded) {
      errors.push_back(decoded.error().message);
      continue;
    }
    claims = std::move(decoded).value();
    break;
  }
  if (!claims) {
    if (errors.empty()) return not_handled("no keys to verify the signature with");
    return rejected(aggregate(errors), false);
  }

  // V4
  if (!accepts_issuer(claims->issuer)) {
    return rejected(fmt::format("token issuer {} is invalid", go_quote(claims->issuer)), true);
  }

  // V5: a token without `aud` is a legacy token and gets the implicit audiences.
  if (token_audiences.empty()) token_audiences = config_.implicit_audiences;
  if (intersect(token_audiences, requested_audiences).empty() && !config_.implicit_audiences.empty()) {
    return rejected(fmt::format("token audiences {} is invalid for the target audiences {}", go_quote(token_audiences),
                                go_quote(requested_audiences)),
                    true);
  }

  // V6
  auto user = validate_legacy_token(token, *claims, config_.lookup ? lookup_ : nullptr,
                                    config_.broken.accept_missing_secrets);
  if (!user) return rejected(user.error().message, true);
  AuthResult result;
  result.outcome = AuthResult::kAuthenticated;
  result.user = std::move(user).value();
  result.signature_verified = true;
  return result;
}

}  // namespace sasim::model::auth
