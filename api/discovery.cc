#include "api/discovery.h"

#include <nlohmann/json.hpp>

#include "api/status_json.h"

namespace sasim::api {
namespace {

using nlohmann::json;

HttpResponse ok(const json& body) { return HttpResponse{.status = 200, .content_type = std::string(kMediaJson), .body = dump(body)}; }

json resource(const char* name, const char* singular, bool namespaced, const char* kind,
              std::initializer_list<const char*> verbs, std::initializer_list<const char*> short_names = {},
              std::initializer_list<const char*> categories = {}) {
  json out{{"name", name}, {"singularName", singular}, {"namespaced", namespaced}, {"kind", kind}};
  out["verbs"] = json::array();
  for (const char* v : verbs) out["verbs"].push_back(v);
  if (short_names.size() > 0) {
    out["shortNames"] = json::array();
    for (const char* s : short_names) out["shortNames"].push_back(s);
  }
  if (categories.size() > 0) {
    out["categories"] = json::array();
    for (const char* c : categories) out["categories"].push_back(c);
  }
  return out;
}

// A subresource in another group names it: serviceaccounts/token answers
// authentication.k8s.io/v1 TokenRequests.
json token_request_resource() {
  json out = resource("serviceaccounts/token", "", true, "TokenRequest", {"create"});
  out["group"] = "authentication.k8s.io";
  out["version"] = "v1";
  return out;
}

}  // namespace

HttpResponse version_document(const ServerInfo& info) {
  // The minor release is what sasim simulates; there is no patch release,
  // build or commit of a simulator to report.
  const std::string minor = info.version.substr(info.version.find('.') + 1);
  return ok(json{{"major", "1"},
                 {"minor", minor},
                 {"gitVersion", "v" + info.version + ".0"},
                 {"gitCommit", ""},
                 {"gitTreeState", ""},
                 {"buildDate", ""},
                 {"goVersion", ""},
                 {"compiler", ""},
                 {"platform", ""}});
}

HttpResponse api_versions(const ServerInfo& info) {
  return ok(json{{"kind", "APIVersions"},
                 {"versions", {"v1"}},
                 {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", info.address}}}}});
}

namespace {
json auth_group_json() {
  const json version{{"groupVersion", "authentication.k8s.io/v1"}, {"version", "v1"}};
  return json{{"name", "authentication.k8s.io"}, {"versions", {version}}, {"preferredVersion", version}};
}
}  // namespace

HttpResponse api_groups() {
  return ok(json{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", {auth_group_json()}}});
}

HttpResponse auth_group() {
  json group = auth_group_json();
  group["kind"] = "APIGroup";
  group["apiVersion"] = "v1";
  return ok(group);
}

HttpResponse core_resources() {
  // What is served (docs/serve.md): the served kinds' usual verbs, events
  // for list and watch (always empty), and the TokenRequest API
  // (serviceaccounts/token), listed as a 1.20 apiserver lists it.
  json resources = json::array({
      resource("configmaps", "", true, "ConfigMap", {"create", "delete", "get", "list", "patch", "update", "watch"},
               {"cm"}),
      resource("events", "", true, "Event", {"list", "watch"}, {"ev"}),
      resource("namespaces", "", false, "Namespace", {"create", "delete", "get", "list", "patch", "update", "watch"},
               {"ns"}),
      resource("pods", "", true, "Pod", {"create", "delete", "get", "list", "patch", "update", "watch"}, {"po"},
               {"all"}),
      resource("secrets", "", true, "Secret", {"create", "delete", "get", "list", "patch", "update", "watch"}),
      resource("serviceaccounts", "", true, "ServiceAccount",
               {"create", "delete", "get", "list", "patch", "update", "watch"}, {"sa"}),
      token_request_resource(),
  });
  return ok(json{{"kind", "APIResourceList"}, {"groupVersion", "v1"}, {"resources", resources}});
}

HttpResponse auth_resources() {
  return ok(json{{"kind", "APIResourceList"},
                 {"apiVersion", "v1"},
                 {"groupVersion", "authentication.k8s.io/v1"},
                 {"resources", {resource("tokenreviews", "", false, "TokenReview", {"create"})}}});
}

HttpResponse openapi_v2() { return HttpResponse{.status = 200, .content_type = "application/octet-stream", .body = ""}; }

HttpResponse health() { return HttpResponse{.status = 200, .content_type = "text/plain; charset=utf-8", .body = "ok"}; }

}  // namespace sasim::api
