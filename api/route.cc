#include "api/route.h"

#include <vector>

namespace sasim::api {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < path.size()) {
    while (start < path.size() && path[start] == '/') ++start;
    if (start >= path.size()) break;
    const std::size_t end = path.find('/', start);
    out.push_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end;
  }
  return out;
}

std::optional<Resource> resource_named(std::string_view plural) {
  if (plural == "events") return Resource{};
  for (model::Kind kind : model::kAllKinds) {
    if (model::resource_name(kind) == plural) return Resource{kind};
  }
  return std::nullopt;
}

// /api/v1/<rest>: the resource, its namespace, name and subresource.
std::optional<Route> core(const std::vector<std::string_view>& s) {
  // s[0] = "api", s[1] = "v1"
  Route r;
  r.endpoint = Endpoint::kResource;
  std::size_t i = 2;
  // namespaces/NS/RESOURCE...: a namespaced resource, unless the third part
  // is one of the namespace's own subresources.
  if (s.size() >= 4 && s[2] == "namespaces" && s[3].size() > 0) {
    const bool namespace_subresource = s.size() == 5 && (s[4] == "status" || s[4] == "finalize");
    if (s.size() >= 5 && !namespace_subresource) {
      r.namespace_ = std::string(s[3]);
      i = 4;
    }
  }
  if (i >= s.size()) return std::nullopt;
  auto resource = resource_named(s[i]);
  if (!resource) return std::nullopt;
  // A namespaced resource reached as /api/v1/namespaces/NS/... keeps NS; a
  // cluster-scoped one cannot be under a namespace.
  if (!r.namespace_.empty() && !resource->namespaced()) return std::nullopt;
  r.resource = *resource;
  if (i + 1 < s.size()) r.name = std::string(s[i + 1]);
  if (i + 2 < s.size()) r.subresource = std::string(s[i + 2]);
  if (i + 3 < s.size()) return std::nullopt;
  // An object of a namespaced kind needs its namespace.
  if (resource->namespaced() && r.namespace_.empty() && !r.name.empty()) return std::nullopt;
  return r;
}

}  // namespace

std::optional<Route> route(std::string_view path) {
  const std::vector<std::string_view> s = segments(path);
  if (s.empty()) return std::nullopt;
  auto only = [&](Endpoint e) {
    Route r;
    r.endpoint = e;
    return std::optional<Route>(std::move(r));
  };
  if (s.size() == 1) {
    if (s[0] == "version") return only(Endpoint::kVersion);
    if (s[0] == "api") return only(Endpoint::kApiVersions);
    if (s[0] == "apis") return only(Endpoint::kApiGroups);
    if (s[0] == "healthz" || s[0] == "livez" || s[0] == "readyz") return only(Endpoint::kHealth);
    return std::nullopt;
  }
  if (s.size() == 2 && s[0] == "openapi" && s[1] == "v2") return only(Endpoint::kOpenApiV2);
  if (s[0] == "api" && s[1] == "v1") {
    if (s.size() == 2) return only(Endpoint::kCoreResources);
    return core(s);
  }
  if (s[0] == "apis" && s[1] == "authentication.k8s.io") {
    if (s.size() == 2) return only(Endpoint::kAuthGroup);
    if (s[2] != "v1") return std::nullopt;
    if (s.size() == 3) return only(Endpoint::kAuthResources);
    if (s.size() == 4 && s[3] == "tokenreviews") return only(Endpoint::kTokenReviews);
  }
  return std::nullopt;
}

}  // namespace sasim::api
