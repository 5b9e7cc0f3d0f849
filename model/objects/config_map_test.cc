// v1 ConfigMap: its manifest codec, validation (ValidateConfigMap and
// ValidateConfigMapUpdate with upstream's texts), kubectl get's table and
// kubectl describe.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/equality.h"
#include "model/objects/print.h"
#include "model/objects/validation.h"
#include "model/objects/validation_test_support.h"
#include "sim/testing/time_points.h"

namespace sasim::model {
namespace {

using ::sasim::sim::testing::at_s;

using nlohmann::json;

ConfigMap config_map_named(std::string name) {
  ConfigMap cm;
  cm.metadata.name = std::move(name);
  cm.metadata.namespace_ = "default";
  return cm;
}

TEST_CASE("a ConfigMap as kubectl get configmap -o json shows it decodes and encodes back unchanged") {
  const json manifest = json::parse(R"({
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "kube-root-ca.crt", "namespace": "default", "uid": "u-1", "resourceVersion": "42",
                 "creationTimestamp": "2020-09-13T12:26:40Z",
                 "annotations": {"kubernetes.io/description": "Contains a CA bundle"}},
    "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\n"},
    "binaryData": {"blob": "AAEC"},
    "immutable": false})");
  auto decoded = decode_object(manifest, EncodeOptions{1600000000});
  REQUIRE(decoded.ok());
  const auto& cm = std::get<ConfigMap>(decoded.value());
  CHECK(kind_of(decoded.value()) == Kind::kConfigMap);
  CHECK(cm.data.at("ca.crt") == "-----BEGIN CERTIFICATE-----\n");
  CHECK(cm.binary_data.at("blob") == std::string("\0\1\2", 3));
  CHECK(cm.immutable == false);
  CHECK(encode_object(decoded.value(), EncodeOptions{1600000000}) == manifest);
  // An empty ConfigMap has neither data nor binaryData (omitempty).
  const json empty = encode_object(Object(ConfigMap{}));
  CHECK_FALSE(empty.contains("data"));
  CHECK_FALSE(empty.contains("binaryData"));
  CHECK_FALSE(empty.contains("immutable"));
}

TEST_CASE("a ConfigMap's fields are typed as the API types them") {
  struct Case {
    const char* manifest;
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {R"({"apiVersion":"v1","kind":"ConfigMap","data":{"a":1}})", "/data/a",
       "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"},
      {R"({"apiVersion":"v1","kind":"ConfigMap","binaryData":{"a":"!!"}})", "/binaryData/a",
       "illegal base64 data at input byte 0"},
      {R"({"apiVersion":"v1","kind":"ConfigMap","binaryData":[]})", "/binaryData",
       "json: cannot unmarshal array into Go struct field ConfigMap.binaryData of type map[string][]uint8"},
      {R"({"apiVersion":"v1","kind":"ConfigMap","immutable":"yes"})", "/immutable",
       "json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool"},
  };
  for (const Case& c : cases) {
    INFO(c.manifest);
    auto decoded = decode_object(json::parse(c.manifest));
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().path == c.path);
    CHECK(decoded.error().message == c.message);
  }
  // kind_from_manifest and kubectl's spellings know the kind.
  CHECK(parse_kind("cm") == Kind::kConfigMap);
  CHECK(parse_kind("configmaps") == Kind::kConfigMap);
  CHECK(resource_name(Kind::kConfigMap) == "configmaps");
  CHECK(is_namespaced(Kind::kConfigMap));
}

TEST_CASE("ConfigMaps follow upstream's rules") {
  struct Case {
    const char* name;
    ConfigMap config_map;
    std::vector<std::string> expected;
  };
  ConfigMap bad_keys = config_map_named("c");
  bad_keys.data = {{"a b", "x"}, {"..", "y"}, {"ok.KEY_1-x", "z"}};
  bad_keys.binary_data = {{"b/c", "x"}};
  ConfigMap both = config_map_named("c");
  both.data = {{"k", "v"}};
  both.binary_data = {{"k", "v"}};
  ConfigMap big = config_map_named("c");
  big.data = {{"a", std::string(512 * 1024, 'a')}};
  big.binary_data = {{"b", std::string(512 * 1024 + 1, 'b')}};
  ConfigMap limit = config_map_named("c");
  limit.data = {{"a", std::string(1024 * 1024, 'a')}};
  const std::string key_msg =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
      "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  const Case cases[] = {
      {"plain", config_map_named("kube-root-ca.crt"), {}},
      {"bad keys", bad_keys,
       {"data[..]: Invalid value: \"..\": must not be '..'", "data[a b]: Invalid value: \"a b\": " + key_msg,
        "binaryData[b/c]: Invalid value: \"b/c\": " + key_msg}},
      {"a key in both maps", both, {"data[k]: Invalid value: \"k\": duplicate of key present in binaryData"}},
      {"over one MiB together", big, {": Too long: must have at most 1048576 bytes"}},
      {"exactly one MiB", limit, {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(texts(validate_config_map(c.config_map)) == c.expected);
  }
  ConfigMap bad_name = config_map_named("Bad_Name");
  CHECK_FALSE(validate_create(Object(bad_name)).empty());
}

TEST_CASE("an immutable ConfigMap keeps its data and its immutability") {
  ConfigMap frozen = config_map_named("c");
  frozen.immutable = true;
  frozen.data = {{"k", "v"}};
  ConfigMap changed = frozen;
  changed.data["k"] = "w";
  changed.binary_data["b"] = "x";
  CHECK(texts(validate_config_map_update(changed, frozen)) ==
        std::vector<std::string>{"data: Forbidden: field is immutable when `immutable` is set",
                                 "binaryData: Forbidden: field is immutable when `immutable` is set"});
  ConfigMap thawed = frozen;
  thawed.immutable = false;
  CHECK(texts(validate_config_map_update(thawed, frozen)) ==
        std::vector<std::string>{"immutable: Forbidden: field is immutable when `immutable` is set"});
  ConfigMap relabelled = frozen;
  relabelled.metadata.labels = {{"a", "b"}};
  CHECK(validate_config_map_update(relabelled, frozen).empty());
  ConfigMap editable = config_map_named("c");
  ConfigMap edited = editable;
  edited.data = {{"k", "v"}};
  CHECK(validate_update(Object(edited), Object(editable)).empty());
}

TEST_CASE("ConfigMaps print as kubectl get configmaps") {
  ConfigMap root_ca = config_map_named("kube-root-ca.crt");
  root_ca.data = {{"ca.crt", "x"}};
  root_ca.metadata.creation_timestamp = at_s(0);
  ConfigMap settings = config_map_named("settings");
  settings.data = {{"a", "1"}, {"b", "2"}};
  settings.binary_data = {{"c", "3"}};
  settings.metadata.creation_timestamp = at_s(86400 - 45);
  auto ptr = [](ConfigMap cm) { return std::make_shared<const Object>(std::move(cm)); };
  CHECK(print_table(Kind::kConfigMap, {ptr(root_ca), ptr(settings)}, at_s(86400)) ==
        "NAME               DATA   AGE\n"
        "kube-root-ca.crt   1      24h\n"
        "settings           3      45s\n");
  CHECK(print_table(Kind::kConfigMap, {}, at_s(0), "team") == "No resources found in team namespace.\n");
}

TEST_CASE("describe of a ConfigMap prints each value in full") {
  ConfigMap cm = config_map_named("kube-root-ca.crt");
  cm.metadata.annotations = {{"kubernetes.io/description", "Contains a CA bundle"}};
  cm.data = {{"ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}, {"mode", "on"}};
  CHECK(describe(cm) == R"(Name:         kube-root-ca.crt
Namespace:    default
Labels:       <none>
Annotations:  kubernetes.io/description: Contains a CA bundle

Data
====
ca.crt:
----
-----BEGIN CERTIFICATE-----
MIIB
-----END CERTIFICATE-----

mode:
----
on
Events:  <none>
)");
}

}  // namespace
}  // namespace sasim::model
