#include "model/auth/legacy_validator.h"

#include <fmt/format.h>

#include "model/auth/identity.h"

namespace sasim::model::auth {
namespace {

sim::Result<UserInfo> reject(std::string message) { return sim::unexpected(sim::Error{std::move(message)}); }

}  // namespace

sim::Result<UserInfo> validate_legacy_token(std::string_view token, const LegacyClaims& claims, TokenLookup* lookup,
                                            bool broken_accept_missing_secret) {
  if (claims.subject.empty()) return reject("sub claim is missing");
  if (claims.ns.empty()) return reject("namespace claim is missing");
  if (claims.secret_name.empty()) return reject("secretName claim is missing");
  if (claims.service_account_name.empty()) return reject("serviceAccountName claim is missing");
  if (claims.service_account_uid.empty()) return reject("serviceAccountUID claim is missing");
  const auto subject = split_service_account_username(claims.subject);
  if (!subject || subject->first != claims.ns || subject->second != claims.service_account_name) {
    return reject("sub claim is invalid");
  }

  if (lookup != nullptr) {
    const auto secret = lookup->secret(claims.ns, claims.secret_name);
    if (!(broken_accept_missing_secret && !secret)) {
      if (!secret || secret->being_deleted) return reject("Token has been invalidated");
      if (secret->token != token) return reject("Token does not match server's copy");
    }

    const auto account = lookup->service_account(claims.ns, claims.service_account_name);
    if (!account) return reject(account.error().message);
    if (account.value().being_deleted) {
      return reject(fmt::format("ServiceAccount {}/{} has been deleted", claims.ns, claims.service_account_name));
    }
    if (account.value().uid != claims.service_account_uid) {
      return reject(fmt::format("ServiceAccount UID ({}) does not match claim ({})", account.value().uid,
                                claims.service_account_uid));
    }
  }

  return UserInfo{service_account_username(claims.ns, claims.service_account_name), claims.service_account_uid,
                  service_account_groups(claims.ns), {}};
}

}  // namespace sasim::model::auth
