// Who is asking and what they may do. Authentication itself is the model's
// (the simulated token authenticator) or the kubeconfig's admin token; this
// file reads the bearer token out of the request and decides what an
// identity may do, with RBAC's wording when it may not.
//
// The policy (docs/serve.md): the admin may do everything. A ServiceAccount
// (a token the simulated authenticator accepts: a pod's, or a token
// Secret's) gets what --serviceaccounts says: read-only (the default: get,
// list and watch anything, change nothing), all, or none (discovery only, as
// a default RBAC cluster gives an account without bindings). An anonymous
// request (no token over HTTPS) may read /version and the health checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/api/status.h"

namespace sasim::api {

inline constexpr std::string_view kAdminUser = "admin";
inline constexpr std::string_view kAnonymousUser = "system:anonymous";

struct Identity {
  std::string user;
  std::string uid;
  std::vector<std::string> groups;

  static Identity admin() { return {std::string(kAdminUser), "", {"system:masters", "system:authenticated"}}; }
  static Identity anonymous() { return {std::string(kAnonymousUser), "", {"system:unauthenticated"}}; }
  bool is_admin() const { return user == kAdminUser; }
  bool is_anonymous() const { return user == kAnonymousUser; }
  bool is_service_account() const { return user.starts_with("system:serviceaccount:"); }
};

enum class ServiceAccountAccess : std::uint8_t { kNone, kReadOnly, kAll };

// "none", "read-only", "all".
std::optional<ServiceAccountAccess> parse_service_account_access(std::string_view text);

// The token of an `Authorization: Bearer TOKEN` header (the scheme is
// case-insensitive); nothing without one.
std::optional<std::string> bearer_token(std::string_view authorization);

// What a request asks, in RBAC's terms.
struct AccessRequest {
  bool resource_request = true;
  std::string verb;       // get, list, watch, create, update, patch, delete
  std::string api_group;  // "" for the core group
  std::string resource;   // "serviceaccounts"
  std::string namespace_;
  std::string name;
  std::string path;  // non-resource requests: "/api"
};

// Nothing when allowed; otherwise the 403 Forbidden as RBAC words it.
std::optional<model::ApiStatus> authorize(const Identity& identity, const AccessRequest& request,
                                          ServiceAccountAccess service_accounts);

}  // namespace sasim::api
