#include "api/access.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

Identity account() {
  return Identity{"system:serviceaccount:default:build-robot", "uid-1",
                  {"system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"}};
}

AccessRequest resource(const char* verb, const char* resource, const char* ns, const char* name = "") {
  return AccessRequest{.resource_request = true, .verb = verb, .api_group = "", .resource = resource,
                       .namespace_ = ns, .name = name, .path = ""};
}

AccessRequest path(const char* p) {
  return AccessRequest{.resource_request = false, .verb = "get", .api_group = "", .resource = "", .namespace_ = "",
                       .name = "", .path = p};
}

TEST_CASE("bearer tokens are read from the Authorization header") {
  CHECK(bearer_token("Bearer abc.def") == std::optional<std::string>("abc.def"));
  CHECK(bearer_token("bearer  abc ") == std::optional<std::string>("abc"));
  CHECK_FALSE(bearer_token("Basic dXNlcjpwYXNz").has_value());
  CHECK_FALSE(bearer_token("Bearer ").has_value());
  CHECK_FALSE(bearer_token("").has_value());
}

TEST_CASE("the admin may do everything") {
  CHECK_FALSE(authorize(Identity::admin(), resource("delete", "namespaces", "", "kube-system"),
                        ServiceAccountAccess::kNone));
}

TEST_CASE("a ServiceAccount reads but does not write under read-only") {
  const auto policy = ServiceAccountAccess::kReadOnly;
  CHECK_FALSE(authorize(account(), resource("list", "serviceaccounts", "default"), policy));
  CHECK_FALSE(authorize(account(), resource("watch", "secrets", ""), policy));
  CHECK_FALSE(authorize(account(), path("/api"), policy));
  auto denied = authorize(account(), resource("delete", "serviceaccounts", "default", "default"), policy);
  REQUIRE(denied);
  CHECK(denied->code == 403);
  CHECK(denied->reason == "Forbidden");
  CHECK(denied->message ==
        "serviceaccounts \"default\" is forbidden: User \"system:serviceaccount:default:build-robot\" cannot delete "
        "resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"");
  auto create = authorize(account(), resource("create", "namespaces", ""), policy);
  REQUIRE(create);
  CHECK(create->message ==
        "namespaces is forbidden: User \"system:serviceaccount:default:build-robot\" cannot create resource "
        "\"namespaces\" in API group \"\" at the cluster scope");
}

TEST_CASE("the other ServiceAccount policies") {
  CHECK_FALSE(authorize(account(), resource("delete", "secrets", "default", "x"), ServiceAccountAccess::kAll));
  CHECK(authorize(account(), resource("get", "secrets", "default", "x"), ServiceAccountAccess::kNone));
  CHECK_FALSE(authorize(account(), path("/apis"), ServiceAccountAccess::kNone));
  CHECK(parse_service_account_access("read-only") == ServiceAccountAccess::kReadOnly);
  CHECK_FALSE(parse_service_account_access("write").has_value());
}

TEST_CASE("anonymous requests see only the public information paths") {
  CHECK_FALSE(authorize(Identity::anonymous(), path("/version"), ServiceAccountAccess::kAll));
  auto api = authorize(Identity::anonymous(), path("/api"), ServiceAccountAccess::kAll);
  REQUIRE(api);
  CHECK(api->message == "forbidden: User \"system:anonymous\" cannot get path \"/api\"");
  CHECK(authorize(Identity::anonymous(), resource("list", "serviceaccounts", "default"), ServiceAccountAccess::kAll));
}

}  // namespace
}  // namespace sasim::api
