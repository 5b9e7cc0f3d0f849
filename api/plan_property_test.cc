// No request crashes the translation: random methods, paths, query
// parameters, media types and bodies (near-JSON, YAML, protobuf-like bytes,
// invalid UTF-8) give a plan; an immediate answer is a Status or a document
// with a code the apiserver uses.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <set>

#include "api/plan.h"

namespace sasim::api {
namespace {

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW"};
const std::vector<std::string> kSegments = {
    "api",       "v1",    "apis",    "namespaces", "default",    "serviceaccounts", "secrets", "pods",
    "events",    "token", "status",  "finalize",   "x",          "Bad_Name",        "",        "%2F",
    "version",   "openapi", "v2",    "authentication.k8s.io",    "tokenreviews",    "configmaps"};
const std::vector<std::string> kTypes = {
    "",  "application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
    "application/strategic-merge-patch+json", "application/merge-patch+json", "application/json-patch+json",
    "application/apply-patch+yaml", "text/plain", "application/json; charset=utf-8"};
const std::vector<std::string> kBodies = {
    "", "{}", "[]", "null", "{\"metadata\":{\"name\":\"x\"}}", "{\"kind\":\"Secret\"}", "{\"apiVersion\":1}",
    "[{\"op\":\"remove\",\"path\":\"/a\"}]", "{\"spec\":{\"token\":\"t\"}}", "{\"metadata\":{\"name\":\"\xff\xfe\"}}",
    "metadata:\n  name: [x\n", "k8s\0\n\x0f", "{\"a\":", "\"\\u12\"", "{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\","
    "\"metadata\":{\"name\":\"y\",\"labels\":{\"a\":5}}}"};
const std::set<int> kCodes = {200, 201, 400, 401, 403, 404, 405, 406, 413, 415, 422};

TEST_CASE("any request gives a plan and never an exception", "[property]") {
  rc::prop("plan_request is total", [](std::vector<std::uint8_t> path_parts, std::uint8_t method, std::uint8_t type,
                                       std::uint8_t body, std::string noise, bool watch, bool table) {
    HttpRequest request;
    request.method = kMethods[method % kMethods.size()];
    for (std::uint8_t part : path_parts) request.path += "/" + kSegments[part % kSegments.size()];
    request.content_type = kTypes[type % kTypes.size()];
    request.body = kBodies[body % kBodies.size()] + (body % 3 == 0 ? noise : "");
    if (watch) request.query.emplace_back("watch", "true");
    request.query.emplace_back("fieldSelector", noise);
    request.query.emplace_back("labelSelector", noise);
    request.query.emplace_back("resourceVersion", noise);
    if (table) request.accept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    Context context;
    Plan plan = plan_request(request, body % 2 == 0 ? Identity::admin() : Identity::anonymous(), context);
    if (const auto* response = std::get_if<HttpResponse>(&plan)) {
      RC_ASSERT(kCodes.count(response->status) == 1);
    }
  });
}

}  // namespace
}  // namespace sasim::api
