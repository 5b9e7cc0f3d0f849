#include "model/apiserver/json_patch.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

using nlohmann::json;

const json kAccount = json::parse(R"({"metadata":{"name":"default","resourceVersion":"7"},
                                      "automountServiceAccountToken":true,"secrets":[{"name":"a"}]})");

TEST_CASE("a JSON patch applies its operations in order") {
  auto patched = apply_json_patch(kAccount, json::parse(R"([{"op":"remove","path":"/automountServiceAccountToken"}])"));
  REQUIRE(patched.ok());
  CHECK_FALSE(patched.value().contains("automountServiceAccountToken"));

  patched = apply_json_patch(kAccount, json::parse(R"([{"op":"add","path":"/secrets/-","value":{"name":"b"}},
                                                       {"op":"replace","path":"/secrets/0/name","value":"z"},
                                                       {"op":"test","path":"/secrets/1/name","value":"b"}])"));
  REQUIRE(patched.ok());
  CHECK(patched.value()["secrets"] == json::parse(R"([{"name":"z"},{"name":"b"}])"));

  patched = apply_json_patch(kAccount, json::parse(R"([{"op":"copy","from":"/metadata/name","path":"/metadata/generateName"},
                                                       {"op":"move","from":"/secrets","path":"/imagePullSecrets"}])"));
  REQUIRE(patched.ok());
  CHECK(patched.value()["metadata"]["generateName"] == "default");
  CHECK(patched.value()["imagePullSecrets"] == json::parse(R"([{"name":"a"}])"));
  CHECK_FALSE(patched.value().contains("secrets"));
}

TEST_CASE("an operation that does not apply is a 422 naming the operation") {
  auto missing = apply_json_patch(kAccount, json::parse(R"([{"op":"remove","path":"/imagePullSecrets"}])"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == 422);
  CHECK(missing.error().reason == "Invalid");
  REQUIRE(missing.error().details.causes.size() == 1);
  CHECK(missing.error().details.causes[0].message ==
        R"(remove operation does not apply: doc is missing path: "/imagePullSecrets": missing value)");

  auto failed_test = apply_json_patch(kAccount, json::parse(R"([{"op":"test","path":"/secrets/0/name","value":"b"}])"));
  REQUIRE_FALSE(failed_test.ok());
  CHECK(failed_test.error().code == 422);
  CHECK(failed_test.error().details.causes[0].message == "testing value /secrets/0/name failed: test failed");
}

TEST_CASE("a patch that is not a list of well-formed operations is a 400") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"op":"remove","path":"/a"})", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"},
      {R"(["remove"])", "json: cannot unmarshal non-object into Go value of type jsonpatch.Operation"},
      {R"([{"op":"frobnicate","path":"/a"}])", "Unexpected kind: frobnicate"},
      {R"([{"path":"/a"}])", "Unexpected kind: unknown"},
      {R"([{"op":"add","path":"/a"}])", "add operation missing value"},
      {R"([{"op":"move","path":"/a"}])", "move operation missing from"},
      {R"([{"op":"remove"}])", "remove operation missing path"},
  };
  for (const auto& [patch, message] : cases) {
    INFO(patch);
    auto refused = apply_json_patch(kAccount, json::parse(patch));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == 400);
    CHECK(refused.error().reason == "BadRequest");
    CHECK(refused.error().message == message);
  }
}

}  // namespace
}  // namespace sasim::model
