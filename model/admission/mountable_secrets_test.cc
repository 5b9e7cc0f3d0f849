// Enforce-mountable-secrets: when it applies, and upstream's message for
// each kind of reference, in upstream's order.
#include "model/admission/mountable_secrets.h"

#include <catch2/catch.hpp>

#include "model/admission/testing/fixtures.h"

namespace sasim::model::admission {
namespace {

using testing::make_container;
using testing::make_sa;
using testing::secret_env;
using testing::secret_env_from;
using testing::secret_volume;

TEST_CASE("enforce_mountable_secrets: the global flag or an annotation that parses true") {
  struct Case {
    bool global;
    const char* annotation;  // null: absent
    bool want;
  };
  const Case cases[] = {
      {false, nullptr, false}, {true, nullptr, true},   {false, "true", true}, {false, "1", true},
      {false, "T", true},      {false, "false", false}, {false, "yes", false}, {false, "", false},
      {true, "false", true},   {true, "garbage", true},
  };
  for (const Case& c : cases) {
    ServiceAccount sa = make_sa("default");
    if (c.annotation != nullptr) {
      sa.metadata.annotations[std::string(kEnforceMountableSecretsAnnotation)] = c.annotation;
    }
    Config config;
    config.limit_secret_references = c.global;
    INFO("global " << c.global << " annotation " << (c.annotation ? c.annotation : "(absent)"));
    CHECK(enforce_mountable_secrets(sa, config) == c.want);
  }
}

struct LimitCase {
  const char* name;
  Pod pod;
  bool env_from_fix;
  const char* want;  // null: allowed
};

std::vector<LimitCase> limit_cases() {
  std::vector<LimitCase> cases;
  auto add = [&](const char* name, bool fix, const char* want, auto build) {
    Pod pod;
    build(pod);
    cases.push_back({name, std::move(pod), fix, want});
  };
  add("referenced secret volume", false, nullptr, [](Pod& p) { p.spec.volumes.push_back(secret_volume("v", "foo")); });
  add("unreferenced secret volume", false,
      "volume with secret.secretName=\"bar\" is not allowed because service account default does not reference that "
      "secret",
      [](Pod& p) { p.spec.volumes.push_back(secret_volume("v", "bar")); });
  add("projected secret is not checked", false, nullptr, [](Pod& p) {
    p.spec.volumes.push_back(testing::json_volume("p", R"({"projected": {"sources": [{"secret": {"name": "bar"}}]}})"));
  });
  add("container env", false,
      "container container-1 with envVar env-1 referencing secret.secretName=\"bar\" is not allowed because service "
      "account default does not reference that secret",
      [](Pod& p) {
        p.spec.containers.push_back(make_container("container-1"));
        p.spec.containers[0].env.push_back(secret_env("env-1", "bar"));
      });
  add("init container env", false,
      "init container container-1 with envVar env-1 referencing secret.secretName=\"bar\" is not allowed because "
      "service account default does not reference that secret",
      [](Pod& p) {
        p.spec.init_containers.push_back(make_container("container-1"));
        p.spec.init_containers[0].env.push_back(secret_env("env-1", "bar"));
      });
  add("container envFrom is not checked in 1.20", false, nullptr, [](Pod& p) {
    p.spec.containers.push_back(make_container("container-1"));
    p.spec.containers[0].env_from.push_back(secret_env_from("bar"));
  });
  add("container envFrom with the CVE-2024-3177 fix", true,
      "container container-1 with envFrom referencing secret.secretName=\"bar\" is not allowed because service "
      "account default does not reference that secret",
      [](Pod& p) {
        p.spec.containers.push_back(make_container("container-1"));
        p.spec.containers[0].env_from.push_back(secret_env_from("bar"));
      });
  add("init container envFrom with the fix", true,
      "init container container-1 with envFrom referencing secret.secretName=\"bar\" is not allowed because service "
      "account default does not reference that secret",
      [](Pod& p) {
        p.spec.init_containers.push_back(make_container("container-1"));
        p.spec.init_containers[0].env_from.push_back(secret_env_from("bar"));
      });
  add("referenced envFrom with the fix", true, nullptr, [](Pod& p) {
    p.spec.containers.push_back(make_container("container-1"));
    p.spec.containers[0].env_from.push_back(secret_env_from("foo"));
  });
  add("pull secrets are checked against imagePullSecrets not secrets", false,
      "imagePullSecrets[1].name=\"foo\" is not allowed because service account default does not reference that "
      "imagePullSecret",
      [](Pod& p) {
        p.spec.image_pull_secrets = {"pull", "foo"};
      });
  add("volumes are checked before containers", false,
      "volume with secret.secretName=\"v-bar\" is not allowed because service account default does not reference "
      "that secret",
      [](Pod& p) {
        p.spec.containers.push_back(make_container("c"));
        p.spec.containers[0].env.push_back(secret_env("e", "c-bar"));
        p.spec.volumes.push_back(secret_volume("v", "v-bar"));
      });
  add("init containers are checked before containers", false,
      "init container i with envVar e referencing secret.secretName=\"i-bar\" is not allowed because service account "
      "default does not reference that secret",
      [](Pod& p) {
        p.spec.containers.push_back(make_container("c"));
        p.spec.containers[0].env.push_back(secret_env("e", "c-bar"));
        p.spec.init_containers.push_back(make_container("i"));
        p.spec.init_containers[0].env.push_back(secret_env("e", "i-bar"));
      });
  add("ephemeral containers are not checked on create", true, nullptr, [](Pod& p) {
    p.spec.ephemeral_containers.push_back(make_container("debug"));
    p.spec.ephemeral_containers[0].env.push_back(secret_env("e", "bar"));
  });
  return cases;
}

TEST_CASE("limit_secret_references reports the first unreferenced secret") {
  ServiceAccount sa = make_sa("default", "", {"foo"});
  sa.image_pull_secrets = {"pull"};
  for (const LimitCase& c : limit_cases()) {
    INFO(c.name);
    Config config;
    config.env_from_fix = c.env_from_fix;
    const std::optional<std::string> got = limit_secret_references(sa, c.pod, config);
    if (c.want == nullptr) {
      CHECK(got == std::nullopt);
    } else {
      CHECK(got == std::optional<std::string>(c.want));
    }
  }
}

TEST_CASE("limit_ephemeral_container_secret_references checks env and with the fix envFrom") {
  const ServiceAccount sa = make_sa("default", "", {"foo"});
  Pod pod;
  pod.spec.ephemeral_containers.push_back(make_container("debug"));
  pod.spec.ephemeral_containers[0].env.push_back(secret_env("env-1", "foo"));
  pod.spec.ephemeral_containers[0].env_from.push_back(secret_env_from("bar"));
  Config config;
  CHECK(limit_ephemeral_container_secret_references(sa, pod, config) == std::nullopt);
  config.env_from_fix = true;
  CHECK(
      limit_ephemeral_container_secret_references(sa, pod, config) ==
      std::optional<std::string>("ephemeral container debug with envFrom referencing secret.secretName=\"bar\" is not "
                                 "allowed because service account default does not reference that secret"));
  pod.spec.ephemeral_containers[0].env.push_back(secret_env("env-2", "baz"));
  CHECK(limit_ephemeral_container_secret_references(sa, pod, config) ==
        std::optional<std::string>("ephemeral container debug with envVar env-2 referencing secret.secretName=\"baz\" "
                                   "is not allowed because service account default does not reference that secret"));
  // Regular containers are the create-time check's business.
  Pod regular;
  regular.spec.containers.push_back(make_container("c"));
  regular.spec.containers[0].env.push_back(secret_env("e", "bar"));
  CHECK(limit_ephemeral_container_secret_references(sa, regular, config) == std::nullopt);
}

}  // namespace
}  // namespace sasim::model::admission
