#include "api/bodies.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

TEST_CASE("an object body without kind and apiVersion takes the endpoint's") {
  // The Python client's create body.
  auto decoded = decode_object_body(R"({"metadata": {"name": "py-robot"}})", BodyType::kJson,
                                    model::Kind::kServiceAccount, {});
  REQUIRE(decoded.ok());
  CHECK(model::meta(decoded.value().object).name == "py-robot");
  CHECK(decoded.value().manifest["kind"] == "ServiceAccount");
  CHECK(decoded.value().manifest["apiVersion"] == "v1");
}

TEST_CASE("YAML bodies decode like JSON ones") {
  auto decoded = decode_object_body("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {a: b}\n",
                                    BodyType::kYaml, model::Kind::kSecret, {});
  REQUIRE(decoded.ok());
  CHECK(std::get<model::Secret>(decoded.value().object).data.at("a").bytes() == "b");
}

TEST_CASE("fields the 1.20 apiserver does not know are dropped") {
  auto decoded = decode_object_body(
      R"({"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"x","bogus":1},"automountServiceAccountTokn":true})",
      BodyType::kJson, model::Kind::kServiceAccount, {});
  REQUIRE(decoded.ok());
  CHECK_FALSE(decoded.value().manifest.contains("automountServiceAccountTokn"));
  CHECK_FALSE(decoded.value().manifest["metadata"].contains("bogus"));
  CHECK_FALSE(std::get<model::ServiceAccount>(decoded.value().object).automount_service_account_token.has_value());
}

TEST_CASE("bodies that do not decode get the apiserver's 400") {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {"{\"metadata\": ", "the object provided is unrecognized (must be of type ServiceAccount): couldn't get "
                          "version/kind; json parse error: unexpected end of JSON input ({\"metadata\": )"},
      {"not json", "the object provided is unrecognized (must be of type ServiceAccount): couldn't get version/kind; "
                   "json parse error: invalid character 'o' in literal null (expecting 'u') (6e6f74206a736f6e)"},
      {R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"x"}})",
       "Secret in version \"v1\" cannot be handled as a ServiceAccount: converting (v1.Secret) to "
       "(core.ServiceAccount): unknown conversion"},
      {R"({"kind":"ServiceAccount","apiVersion":"v1","automountServiceAccountToken":"yes"})",
       "ServiceAccount in version \"v1\" cannot be handled as a ServiceAccount: json: cannot unmarshal string into Go "
       "struct field ServiceAccount.automountServiceAccountToken of type bool"},
      {R"({"kind":"ServiceAccount","apiVersion":"apps/v1"})",
       "the API version in the data (apps/v1) does not match the expected API version (v1)"},
  };
  for (const Case& c : cases) {
    INFO(c.body);
    auto decoded = decode_object_body(c.body, BodyType::kJson, model::Kind::kServiceAccount, {});
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == 400);
    CHECK(decoded.error().reason == "BadRequest");
    CHECK(decoded.error().message == c.message);
  }
}

}  // namespace
}  // namespace sasim::api
