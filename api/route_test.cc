#include "api/route.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

TEST_CASE("discovery paths") {
  CHECK(route("/version")->endpoint == Endpoint::kVersion);
  CHECK(route("/api")->endpoint == Endpoint::kApiVersions);
  CHECK(route("/api/")->endpoint == Endpoint::kApiVersions);
  CHECK(route("/apis")->endpoint == Endpoint::kApiGroups);
  CHECK(route("/api/v1")->endpoint == Endpoint::kCoreResources);
  CHECK(route("/apis/authentication.k8s.io")->endpoint == Endpoint::kAuthGroup);
  CHECK(route("/apis/authentication.k8s.io/v1")->endpoint == Endpoint::kAuthResources);
  CHECK(route("/apis/authentication.k8s.io/v1/tokenreviews")->endpoint == Endpoint::kTokenReviews);
  CHECK(route("/openapi/v2")->endpoint == Endpoint::kOpenApiV2);
  CHECK_FALSE(route("/openapi/v3").has_value());
  CHECK_FALSE(route("/apis/apps/v1").has_value());
  CHECK_FALSE(route("/").has_value());
  CHECK_FALSE(route("/examples/secret/serviceaccount/mysecretname.yaml").has_value());
}

TEST_CASE("resource paths in a namespace and across namespaces") {
  auto list = route("/api/v1/namespaces/examplens/serviceaccounts");
  REQUIRE(list);
  CHECK(list->resource.kind == model::Kind::kServiceAccount);
  CHECK(list->namespace_ == "examplens");
  CHECK(list->name.empty());

  auto object = route("/api/v1/namespaces/default/secrets/build-robot-secret");
  REQUIRE(object);
  CHECK(object->resource.kind == model::Kind::kSecret);
  CHECK(object->name == "build-robot-secret");

  auto all = route("/api/v1/serviceaccounts");
  REQUIRE(all);
  CHECK(all->namespace_.empty());

  auto token = route("/api/v1/namespaces/default/serviceaccounts/default/token");
  REQUIRE(token);
  CHECK(token->subresource == "token");

  auto events = route("/api/v1/namespaces/default/events");
  REQUIRE(events);
  CHECK(events->resource.is_events());
}

TEST_CASE("namespaces are cluster-scoped with their own subresources") {
  auto ns = route("/api/v1/namespaces/examplens");
  REQUIRE(ns);
  CHECK(ns->resource.kind == model::Kind::kNamespace);
  CHECK(ns->name == "examplens");
  CHECK(ns->namespace_.empty());
  auto finalize = route("/api/v1/namespaces/examplens/finalize");
  REQUIRE(finalize);
  CHECK(finalize->resource.kind == model::Kind::kNamespace);
  CHECK(finalize->subresource == "finalize");
  CHECK(route("/api/v1/namespaces")->name.empty());
}

TEST_CASE("unknown resources and malformed paths are not found") {
  CHECK_FALSE(route("/api/v1/endpoints").has_value());
  CHECK_FALSE(route("/api/v1/namespaces/default/deployments").has_value());
  CHECK_FALSE(route("/api/v1/namespaces/default/namespaces").has_value());
  CHECK_FALSE(route("/api/v1/secrets/orphan").has_value());  // an object needs its namespace
  CHECK_FALSE(route("/api/v1/namespaces/default/secrets/a/b/c").has_value());
  CHECK_FALSE(route("/api/v2/namespaces").has_value());
}

}  // namespace
}  // namespace sasim::api
