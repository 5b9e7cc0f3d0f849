#include "api/access.h"

#include <fmt/format.h>

#include "model/objects/ascii.h"

namespace sasim::api {
namespace {

bool read_verb(std::string_view verb) { return verb == "get" || verb == "list" || verb == "watch"; }

// The discovery and information paths (system:discovery,
// system:public-info-viewer).
bool discovery_path(std::string_view path) {
  return path == "/api" || path == "/api/v1" || path == "/apis" || path.starts_with("/apis/") ||
         path == "/openapi/v2" || path == "/version" || path == "/healthz" || path == "/livez" || path == "/readyz";
}

bool public_path(std::string_view path) {
  return path == "/version" || path == "/healthz" || path == "/livez" || path == "/readyz";
}

model::ApiStatus forbidden(const Identity& identity, const AccessRequest& request) {
  model::ApiStatus status;
  status.code = 403;
  status.reason = std::string(model::kReasonForbidden);
  if (!request.resource_request) {
    status.message = fmt::format("forbidden: User \"{}\" cannot {} path \"{}\"", identity.user, request.verb, request.path);
    return status;
  }
  const std::string where = request.namespace_.empty() ? std::string("at the cluster scope")
                                                       : fmt::format("in the namespace \"{}\"", request.namespace_);
  const std::string reason = fmt::format("User \"{}\" cannot {} resource \"{}\" in API group \"{}\" {}", identity.user,
                                         request.verb, request.resource, request.api_group, where);
  const std::string qualified =
      request.api_group.empty() ? request.resource : request.resource + "." + request.api_group;
  status.message = request.name.empty() ? fmt::format("{} is forbidden: {}", qualified, reason)
                                        : fmt::format("{} \"{}\" is forbidden: {}", qualified, request.name, reason);
  status.details.name = request.name;
  status.details.group = request.api_group;
  status.details.kind = request.resource;
  return status;
}

}  // namespace

std::optional<ServiceAccountAccess> parse_service_account_access(std::string_view text) {
  if (text == "none") return ServiceAccountAccess::kNone;
  if (text == "read-only") return ServiceAccountAccess::kReadOnly;
  if (text == "all") return ServiceAccountAccess::kAll;
  return std::nullopt;
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.size() < 7) return std::nullopt;
  if (model::ascii_lower(authorization.substr(0, 7)) != "bearer ") return std::nullopt;
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

std::optional<model::ApiStatus> authorize(const Identity& identity, const AccessRequest& request,
                                          ServiceAccountAccess service_accounts) {
  if (identity.is_admin()) return std::nullopt;
  if (!request.resource_request) {
    const bool allowed = identity.is_anonymous() ? public_path(request.path) : discovery_path(request.path);
    if (allowed && request.verb == "get") return std::nullopt;
    return forbidden(identity, request);
  }
  if (identity.is_service_account()) {
    if (service_accounts == ServiceAccountAccess::kAll) return std::nullopt;
    if (service_accounts == ServiceAccountAccess::kReadOnly && read_verb(request.verb)) return std::nullopt;
  }
  return forbidden(identity, request);
}

}  // namespace sasim::api
