#include "api/media.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

TEST_CASE("kubectl get asks for a v1 Table first") {
  auto format = negotiate_response(
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
  REQUIRE(format);
  CHECK(format->table_version == "meta.k8s.io/v1");
  CHECK(format->encoding == ResponseFormat::Encoding::kJson);
}

TEST_CASE("plain JSON and wildcards and YAML") {
  CHECK(negotiate_response("")->table_version.empty());
  CHECK(negotiate_response("application/json, */*")->table_version.empty());
  CHECK(negotiate_response("*/*")->encoding == ResponseFormat::Encoding::kJson);
  CHECK(negotiate_response("application/yaml")->encoding == ResponseFormat::Encoding::kYaml);
  // kubectl 1.32's describe: protobuf first, JSON accepted.
  CHECK(negotiate_response("application/vnd.kubernetes.protobuf,application/json")->encoding ==
        ResponseFormat::Encoding::kJson);
  // Conversions other than Table fall through to the next range.
  CHECK(negotiate_response("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json")
            ->table_version.empty());
  CHECK_FALSE(negotiate_response("application/vnd.kubernetes.protobuf").has_value());
  CHECK_FALSE(negotiate_response("text/html").has_value());
}

TEST_CASE("body media types ignore case and parameters") {
  CHECK(body_type("") == BodyType::kJson);
  CHECK(body_type("application/json; charset=utf-8") == BodyType::kJson);
  CHECK(body_type("Application/YAML") == BodyType::kYaml);
  CHECK(body_type("application/strategic-merge-patch+json") == BodyType::kStrategicMergePatch);
  CHECK(body_type("application/merge-patch+json") == BodyType::kMergePatch);
  CHECK(body_type("application/json-patch+json") == BodyType::kJsonPatch);
  CHECK(body_type("application/apply-patch+yaml") == BodyType::kApplyPatch);
  CHECK(body_type("application/vnd.kubernetes.protobuf") == BodyType::kProtobuf);
  CHECK(body_type("text/plain") == BodyType::kOther);
}

}  // namespace
}  // namespace sasim::api
