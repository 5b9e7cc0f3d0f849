// Request paths to what they name, as the apiserver's RequestInfoFactory
// reads them: discovery documents, or a resource (collection or object, in a
// namespace or across all of them, with an optional subresource).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/objects/object.h"

namespace sasim::api {

enum class Endpoint : std::uint8_t {
  kVersion,         // /version
  kApiVersions,     // /api
  kApiGroups,       // /apis
  kCoreResources,   // /api/v1
  kAuthGroup,       // /apis/authentication.k8s.io
  kAuthResources,   // /apis/authentication.k8s.io/v1
  kOpenApiV2,       // /openapi/v2
  kHealth,          // /healthz, /livez, /readyz
  kResource,        // /api/v1/...
  kTokenReviews,    // /apis/authentication.k8s.io/v1/tokenreviews
};

// The resources under /api/v1 that sasim serves: the simulated kinds, and
// events (always empty: nothing in the simulation records events).
struct Resource {
  std::optional<model::Kind> kind;  // none: events
  bool is_events() const { return !kind.has_value(); }
  bool namespaced() const { return !kind || model::is_namespaced(*kind); }
  // "serviceaccounts", ..., "events"
  std::string_view plural() const { return kind ? model::resource_name(*kind) : std::string_view("events"); }
};

struct Route {
  Endpoint endpoint = Endpoint::kVersion;
  Resource resource;
  // The request's namespace: empty for cluster-scoped kinds and for a
  // collection across all namespaces (/api/v1/serviceaccounts).
  std::string namespace_;
  std::string name;         // empty: the collection
  std::string subresource;  // "status", "finalize", "token", ...
};

// Nothing when the path names nothing the server knows (404). A known path
// with an unknown resource under /api/v1 is also nothing.
std::optional<Route> route(std::string_view path);

}  // namespace sasim::api
