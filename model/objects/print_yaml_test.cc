// `kubectl get -o yaml` rendering: the seed documents' outputs, and go-yaml
// v2's quoting, ordering, indentation and folding rules case by case.
#include <catch2/catch.hpp>

#include "model/objects/constants.h"
#include "model/objects/print.h"

namespace sasim::model {
namespace {

using nlohmann::json;

TEST_CASE("a service account prints as in the seed document") {
  // managing-service-accounts.md, as kubectl 1.20 prints it (no selfLink:
  // the RemoveSelfLink gate is on by default from 1.20).
  ServiceAccount sa;
  sa.metadata.name = "example-automated-thing";
  sa.metadata.namespace_ = "examplens";
  sa.metadata.uid = "f23fd170-66f2-4697-b049-e1e266b7f835";
  sa.metadata.resource_version = 777;
  sa.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] =
      R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"annotations":{},"name":"example-automated-thing","namespace":"examplens"}})"
      "\n";
  sa.secrets = {{"example-automated-thing-token-zyxwv", "", "", "", "", "", ""}};
  const EncodeOptions options{1563692827};  // 2019-07-21T07:07:07Z
  CHECK(to_yaml(encode_object(sa, options)) ==
        R"(apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"annotations":{},"name":"example-automated-thing","namespace":"examplens"}}
  creationTimestamp: "2019-07-21T07:07:07Z"
  name: example-automated-thing
  namespace: examplens
  resourceVersion: "777"
  uid: f23fd170-66f2-4697-b049-e1e266b7f835
secrets:
- name: example-automated-thing-token-zyxwv
)");
}

TEST_CASE("a token secret prints with base64 data") {
  Secret s;
  s.metadata.name = "build-robot-secret";
  s.metadata.namespace_ = "default";
  s.metadata.uid = "3f0c0de6-1b7e-4b2a-9d1c-6a8f0b8e2d11";
  s.metadata.resource_version = 12;
  s.metadata.creation_timestamp = sim::Time::from_start(sim::Duration::seconds(5));
  s.metadata.annotations = {{std::string(kServiceAccountNameKey), "build-robot"},
                            {std::string(kServiceAccountUidKey), "da68f9c6-9d26-11e7-b84e-002dc52800da"}};
  s.type = std::string(kSecretTypeServiceAccountToken);
  s.data = {{"ca.crt", "-----BEGIN CERTIFICATE-----\n"}, {"namespace", "default"}, {"token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}};
  CHECK(to_yaml(encode_object(s)) == R"(apiVersion: v1
data:
  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  namespace: ZGVmYXVsdA==
  token: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZTMwLmMybG4=
kind: Secret
metadata:
  annotations:
    kubernetes.io/service-account.name: build-robot
    kubernetes.io/service-account.uid: da68f9c6-9d26-11e7-b84e-002dc52800da
  creationTimestamp: "2020-01-01T00:00:05Z"
  name: build-robot-secret
  namespace: default
  resourceVersion: "12"
  uid: 3f0c0de6-1b7e-4b2a-9d1c-6a8f0b8e2d11
type: kubernetes.io/service-account-token
)");
}

TEST_CASE("strings are quoted only when plain text would read as something else") {
  struct Case {
    const char* value;
    const char* printed;
  };
  const Case cases[] = {
      {"default", "default"},
      {"v1", "v1"},
      {"nginx:1.19", "nginx:1.19"},
      {"-x", "-x"},
      {"it's", "it's"},
      {"a#b", "a#b"},
      {"2019-02-30", "2019-02-30"},
      {"héllo", "héllo"},
      {"272500", "\"272500\""},
      {"-5", "\"-5\""},
      {"0x1F", "\"0x1F\""},
      {"1_000", "\"1_000\""},
      {"1.5", "\"1.5\""},
      {".5", "\".5\""},
      {"1e3", "\"1e3\""},
      {"12:30", "\"12:30\""},
      {"true", "\"true\""},
      {"False", "\"False\""},
      {"yes", "\"yes\""},
      {"y", "\"y\""},
      {"off", "\"off\""},
      {"null", "\"null\""},
      {"~", "\"~\""},
      {"", "\"\""},
      {"2019-07-21T07:07:07Z", "\"2019-07-21T07:07:07Z\""},
      {"2023-01-01", "\"2023-01-01\""},
      {"2020-1-2 3:04:05", "\"2020-1-2 3:04:05\""},
      {"a: b", "'a: b'"},
      {"a #b", "'a #b'"},
      {"*star", "'*star'"},
      {"- x", "'- x'"},
      {"key:", "'key:'"},
      {" lead", "' lead'"},
      {"trail ", "'trail '"},
      {"'q", "'''q'"},
      {"{}", "'{}'"},
      {"---", "'---'"},
      {"tab\there", "\"tab\\there\""},
      {"bell\a", "\"bell\\a\""},
      {"emoji 😀", "\"emoji \\U0001F600\""},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    CHECK(to_yaml(json{{"k", c.value}}) == std::string("k: ") + c.printed + "\n");
  }
}

TEST_CASE("multi-line strings are literal blocks") {
  struct Case {
    const char* value;
    const char* printed;
  };
  const Case cases[] = {
      {"line1\nline2", "k: |-\n  line1\n  line2\n"},
      {"line\n", "k: |\n  line\n"},
      {"a\n\nb\n", "k: |\n  a\n\n  b\n"},
      {" indented\nline", "k: |2-\n   indented\n  line\n"},
      {"trailing space \nx", "k: \"trailing space \\nx\"\n"},
      {"tab\t\nx", "k: \"tab\\t\\nx\"\n"},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    CHECK(to_yaml(json{{"k", c.value}}) == c.printed);
  }
  CHECK(to_yaml(json{{"args", {"a\nb"}}}) == "args:\n- |-\n  a\n  b\n");
  CHECK(to_yaml(json::parse(R"({"a": {"b": "x\ny\n"}})")) == "a:\n  b: |\n    x\n    y\n");
  CHECK(to_yaml(json::parse(R"({"a\nb": 1})")) == "? |-\n  a\n  b\n: 1\n");
}

TEST_CASE("keys sort as go-yaml sorts them") {
  const json value = json::parse(R"({"b": 1, "a10": 1, "a9": 1, "A": 1, "_x": 1, "a-b": 1, "ab": 1})");
  CHECK(to_yaml(value) == "_x: 1\nA: 1\na-b: 1\na9: 1\na10: 1\nab: 1\nb: 1\n");
}

TEST_CASE("containers and scalars of every type print as kubectl shows them") {
  const json value = json::parse(R"({"spec": {
      "containers": [{"name": "a", "args": ["-g", "daemon off;"], "ports": [{"containerPort": 80}], "resources": {}}],
      "volumes": [{"name": "v", "emptyDir": {}}], "tolerations": [], "nested": [[1, 2], []],
      "f": 0.5, "big": 1e21, "small": 0.00001, "n": null, "t": true, "neg": -3}})");
  CHECK(to_yaml(value) == R"(spec:
  big: 1e+21
  containers:
  - args:
    - -g
    - daemon off;
    name: a
    ports:
    - containerPort: 80
    resources: {}
  f: 0.5
  "n": null
  neg: -3
  nested:
  - - 1
    - 2
  - []
  small: 1e-05
  t: true
  tolerations: []
  volumes:
  - emptyDir: {}
    name: v
)");
  // "n" reads as false in YAML 1.1, so even a key is quoted.
  CHECK(to_yaml(json::object()) == "{}\n");
}

TEST_CASE("long lines fold at spaces past column 80 as kubectl 1.20 does") {
  // sigs.k8s.io/yaml's own test of go-yaml v2's folding.
  const std::string text =
      "this is very long line with spaces and it must be longer than 80 so we will repeat that it must be longer that 80";
  CHECK(to_yaml(json{{"t", text}}) ==
        "t: this is very long line with spaces and it must be longer than 80 so we will repeat\n"
        "  that it must be longer that 80\n");
  const std::string token(900, 'x');
  CHECK(to_yaml(json{{"token", token}}) == "token: " + token + "\n");
  CHECK(to_yaml(json{{"q", "a: " + text}}) ==
        "q: 'a: this is very long line with spaces and it must be longer than 80 so we will\n"
        "  repeat that it must be longer that 80'\n");
}

}  // namespace
}  // namespace sasim::model
