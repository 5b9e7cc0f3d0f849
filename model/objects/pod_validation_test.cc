// Pod validation on create and update, rule by rule, with upstream's text.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/objects/constants.h"
#include "model/objects/validation.h"
#include "model/objects/validation_test_support.h"

namespace sasim::model {
namespace pod_validation_test {

using nlohmann::json;

ExtraFields extra(const char* text) { return std::make_shared<const json>(json::parse(text)); }

Container container(std::string name, std::string image = "nginx") {
  Container c;
  c.name = std::move(name);
  c.image = std::move(image);
  return c;
}

Volume secret_volume(std::string name, std::string secret) {
  Volume v;
  v.name = std::move(name);
  v.secret = SecretVolumeSource{std::move(secret), std::nullopt, std::nullopt, nullptr};
  return v;
}

Pod valid_pod() {
  Pod p;
  p.metadata.name = "my-pod";
  p.metadata.namespace_ = "default";
  p.spec.service_account_name = "default";
  p.spec.containers = {container("app")};
  p.spec.volumes = {secret_volume("default-token-abcde", "default-token-abcde")};
  p.spec.containers[0].volume_mounts = {
      VolumeMount{"default-token-abcde", std::string(kDefaultApiTokenMountPath), true, nullptr}};
  return p;
}

const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

TEST_CASE("pod specs follow upstream's rules") {
  struct Case {
    const char* name;
    Pod pod;
    std::vector<std::string> expected;
  };
  std::vector<Case> cases;
  cases.push_back({"valid", valid_pod(), {}});
  {
    Pod p = valid_pod();
    p.spec.containers.clear();
    cases.push_back({"no containers", p, {"spec.containers: Required value"}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers = {container("app"), container("App_1"), container("app"), container("", "")};
    cases.push_back({"container names",
                     p,
                     {"spec.containers[1].name: Invalid value: \"App_1\": " + kLabelMsg,
                      "spec.containers[2].name: Duplicate value: \"app\"", "spec.containers[3].name: Required value",
                      "spec.containers[3].image: Required value"}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers[0].image = "";
    cases.push_back({"image required", p, {"spec.containers[0].image: Required value"}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers[0].image = " nginx";
    cases.push_back(
        {"image padded", p, {"spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers[0].volume_mounts = {VolumeMount{"x", "/x", false, nullptr}, VolumeMount{"default-token-abcde", "/x", false, nullptr}};
    cases.push_back({"mounts",
                     p,
                     {"spec.containers[0].volumeMounts[0].name: Not found: \"x\"",
                      "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/x\": must be unique"}});
  }
  {
    Pod p = valid_pod();
    p.spec.volumes.push_back(secret_volume("default-token-abcde", "other"));
    cases.push_back({"volume names unique", p, {"spec.volumes[1].name: Duplicate value: \"default-token-abcde\""}});
  }
  {
    Pod p = valid_pod();
    p.spec.volumes = {secret_volume("default-token-abcde", "")};
    p.spec.volumes[0].secret->default_mode = 01000;
    cases.push_back({"secret volume",
                     p,
                     {"spec.volumes[0].secret.secretName: Required value",
                      "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 "
                      "(octal), both inclusive",
                      // The volume failed, so the mount names a volume that is not there.
                      "spec.containers[0].volumeMounts[0].name: Not found: \"default-token-abcde\""}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers[0].volume_mounts.clear();
    Volume none;
    none.name = "none";
    Volume two = secret_volume("two", "s");
    two.other_source = extra(R"({"emptyDir": {}})");
    p.spec.volumes = {none, two};
    cases.push_back({"volume sources",
                     p,
                     {"spec.volumes[0]: Required value: must specify a volume type",
                      "spec.volumes[1].secret: Forbidden: may not specify more than 1 volume type"}});
  }
  {
    Pod p = valid_pod();
    p.spec.service_account_name = "Robot";
    p.spec.node_name = "node_1";
    cases.push_back({"account and node names",
                     p,
                     {"spec.serviceAccountName: Invalid value: \"Robot\": " + kSubdomainMsg,
                      "spec.nodeName: Invalid value: \"node_1\": " + kSubdomainMsg}});
  }
  {
    Pod p = valid_pod();
    p.spec.init_containers = {container("app")};
    cases.push_back({"init container clashes with a container", p, {"spec.initContainers[0].name: Duplicate value: \"app\""}});
  }
  {
    Pod p = valid_pod();
    Container debug = container("debug");
    debug.extra = extra(R"({"targetContainerName": "missing"})");
    p.spec.ephemeral_containers = {debug, container("app", "")};
    cases.push_back({"ephemeral containers",
                     p,
                     {"spec.ephemeralContainers[0].targetContainerName: Not found: \"missing\"",
                      "spec.ephemeralContainers[1][0].image: Required value",
                      "spec.ephemeralContainers[1].name: Duplicate value: \"app\""}});
  }
  {
    Pod p = valid_pod();
    p.spec.extra = extra(R"({"restartPolicy": "Sometimes", "activeDeadlineSeconds": 0, "nodeSelector": {"disk": "s s"}})");
    cases.push_back({"unmodelled fields that are checked",
                     p,
                     {"spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
                      "\"OnFailure\", \"Never\"",
                      "spec.nodeSelector: Invalid value: \"s s\": a valid label must be an empty string or consist of "
                      "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                      "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                      "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                      "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"}});
  }
  {
    Pod p = valid_pod();
    p.spec.containers[0].env = {EnvVar{"1BAD", std::string("x"), std::nullopt, nullptr},
                                EnvVar{"TOKEN", std::nullopt, SecretKeySelector{"db", "", std::nullopt}, nullptr},
                                EnvVar{"BOTH", std::string("v"), SecretKeySelector{"db", "k", std::nullopt}, nullptr}};
    p.spec.containers[0].env_from = {EnvFromSource{"", std::string(""), nullptr}};
    cases.push_back({"environment",
                     p,
                     {"spec.containers[0].env[0].name: Invalid value: \"1BAD\": a valid environment variable name must "
                      "consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit "
                      "(e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
                      "'[-._a-zA-Z][-._a-zA-Z0-9]*')",
                      "spec.containers[0].env[1].valueFrom.secretKeyRef.key: Required value",
                      "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is "
                      "not empty",
                      "spec.containers[0].envFrom[0].secretRef.name: Required value"}});
  }
  {
    Pod p = valid_pod();
    p.spec.service_account_name = "";
    Volume projected;
    projected.name = "kube-api-access";
    projected.other_source = extra(R"({"projected": {"sources": [{"configMap": {"name": "c"}}, {"serviceAccountToken": {"path": "token"}}]}})");
    p.spec.volumes.push_back(projected);
    cases.push_back({"projected token without an account",
                     p,
                     {"spec.volumes[1].projected.sources[1].serviceAccountToken: Forbidden: must not be specified "
                      "when serviceAccountName is not set"}});
  }
  {
    Pod p = valid_pod();
    p.metadata.annotations[std::string(kMirrorPodAnnotation)] = "hash";
    cases.push_back({"mirror pod without a node",
                     p,
                     {"metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"hash\": must set "
                      "spec.nodeName if mirror pod annotation is set"}});
  }
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(texts(validate_pod(c.pod)) == c.expected);
  }
}

TEST_CASE("a pod's service account cannot be changed") {
  const Pod old = valid_pod();
  Pod updated = old;
  updated.spec.service_account_name = "build-robot";
  const std::vector<FieldError> errs = validate_update(updated, old);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].type == "FieldValueForbidden");
  CHECK(errs[0].field == "spec");
  CHECK(upstream_text(errs[0]) ==
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, "
        "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to "
        "existing tolerations)\n- \tserviceAccountName: \"default\"\n+ \tserviceAccountName: \"build-robot\"");
}

TEST_CASE("pod updates may change images deadlines and add tolerations only") {
  Pod old = valid_pod();
  old.spec.extra = extra(R"({"activeDeadlineSeconds": 100,
      "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})");
  struct Case {
    const char* name;
    ExtraFields spec_extra;
    std::string image;
    std::size_t containers;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"unchanged", old.spec.extra, "nginx", 1, {}},
      {"new image", old.spec.extra, "nginx:2", 1, {}},
      {"lower deadline and new toleration seconds and an added toleration",
       extra(R"({"activeDeadlineSeconds": 50, "tolerations": [
           {"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10},
           {"key": "new", "operator": "Exists"}]})"),
       "nginx", 1, {}},
      {"raised deadline",
       extra(R"({"activeDeadlineSeconds": 200, "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})"),
       "nginx", 1, {"spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"}},
      {"removed deadline",
       extra(R"({"tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]})"),
       "nginx", 1, {"spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"}},
      {"modified toleration", extra(R"({"activeDeadlineSeconds": 100, "tolerations": [{"key": "other", "operator": "Exists"}]})"),
       "nginx", 1, {"spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"}},
      {"image removed", old.spec.extra, "", 1, {"spec.containers[0].image: Required value"}},
      {"container added", old.spec.extra, "nginx", 2, {"spec.containers: Forbidden: pod updates may not add or remove containers"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Pod updated = old;
    updated.spec.extra = c.spec_extra;
    updated.spec.containers[0].image = c.image;
    if (c.containers == 2) updated.spec.containers.push_back(container("second"));
    std::vector<std::string> got = texts(validate_pod_update(updated, old));
    CHECK(got == c.expected);
  }
}

TEST_CASE("the mirror pod annotation cannot be added removed or changed") {
  Pod old = valid_pod();
  old.spec.node_name = "node-1";
  Pod added = old;
  added.metadata.annotations[std::string(kMirrorPodAnnotation)] = "x";
  CHECK(texts(validate_pod_update(added, old)) ==
        std::vector<std::string>{"metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation"});
  CHECK(texts(validate_pod_update(old, added)) ==
        std::vector<std::string>{
            "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation"});
}

TEST_CASE("validate_update runs the create checks of the new version too") {
  const Pod old = valid_pod();
  Pod updated = old;
  updated.metadata.labels = {{"bad key", "x"}};
  const std::vector<std::string> got = texts(validate_update(updated, old));
  // Upstream checks the labels twice (ValidatePod and ValidateObjectMetaUpdate).
  REQUIRE(got.size() == 2);
  CHECK(got[0] == got[1]);
}

}  // namespace pod_validation_test
}  // namespace sasim::model
