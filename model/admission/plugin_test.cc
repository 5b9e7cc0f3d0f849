// The plugin through the apiserver's chain (mutate, then validate), case by
// case as upstream's admission_test.go: ADMT-20 (1.20-1.21, in both gate
// phases where upstream runs both) and ADMT-new with the later fixes on, for
// what the plugin ignores, mirror pods, the account lookup and mounting;
// plus the automount precedence scenarios upstream never tested.
#include "model/admission/plugin.h"

#include <catch2/catch.hpp>

#include "model/admission/testing/admit.h"
#include "model/admission/testing/fake_env.h"
#include "model/admission/testing/fixtures.h"
#include "model/admission/testing/run_sync.h"
#include "model/admission/token_volume.h"

namespace sasim::model::admission {
namespace {

using testing::admit_pod;
using testing::admit_twice;
using testing::create_attributes;
using testing::describe;
using testing::FakeEnv;
using testing::gate;
using testing::kPhases;
using testing::make_container;
using testing::make_sa;
using testing::make_token;
using testing::message_of;
using testing::no_token_required;
using testing::pod_with;
using testing::run_sync;
using testing::secret_volume;
using testing::token_mount;
using testing::with_fixes;

// ---- R1, R2: what the plugin leaves alone -------------------------------

TEST_CASE("TestIgnoresNonCreate: Delete and Connect are not handled and Update only after the CVE fix") {
  const Config v120;
  CHECK(handles(Operation::kCreate, v120));
  CHECK_FALSE(handles(Operation::kUpdate, v120));
  CHECK_FALSE(handles(Operation::kDelete, v120));
  CHECK_FALSE(handles(Operation::kConnect, v120));
  const Config fixed = with_fixes(Config{});
  CHECK(handles(Operation::kUpdate, fixed));
  CHECK_FALSE(handles(Operation::kDelete, fixed));
  CHECK_FALSE(handles(Operation::kConnect, fixed));

  for (Operation op : {Operation::kUpdate, Operation::kDelete, Operation::kConnect}) {
    for (const Config& config : {v120, fixed}) {
      FakeEnv env;
      Pod pod = pod_with(0, 1);
      Attributes attributes = create_attributes();
      attributes.operation = op;
      CHECK_FALSE(admit_pod(env, pod, config, attributes).has_value());
      CHECK(describe(pod) == describe(pod_with(0, 1)));
      CHECK(env.live_gets.empty());
    }
  }
}

TEST_CASE("TestIgnoresNonPodResource and ignored subresources") {
  for (const char* resource : {"CustomResource", "pods"}) {
    for (const char* subresource : {"", "status", "binding", "ephemeralcontainers"}) {
      const bool ignored = std::string(resource) != "pods" || std::string(subresource) != "";
      if (!ignored) continue;
      INFO(resource << "/" << subresource);
      FakeEnv env;
      Pod pod;
      Attributes attributes = create_attributes(subresource);
      attributes.resource = resource;
      CHECK_FALSE(admit_pod(env, pod, Config{}, attributes).has_value());
      CHECK(pod.spec.service_account_name.empty());
      CHECK(env.live_gets.empty());
    }
  }
}

TEST_CASE("TestIgnoresNilObject and TestIgnoresNonPodObject") {
  FakeEnv env;
  CHECK_FALSE(run_sync(admit(create_attributes(), static_cast<Pod*>(nullptr), nullptr, env, Config{})).has_value());
  CHECK_FALSE(run_sync(admit(create_attributes(), static_cast<Object*>(nullptr), nullptr, env, Config{})).has_value());
  Object ns = Namespace{};
  CHECK_FALSE(run_sync(admit(create_attributes(), &ns, nullptr, env, Config{})).has_value());
  CHECK(env.live_gets.empty());
}

TEST_CASE("an Object holding a Pod is admitted like the Pod") {
  FakeEnv env;
  env.cache(make_sa("default"));
  Object object = pod_with(0, 1);
  CHECK_FALSE(run_sync(admit(create_attributes(), &object, nullptr, env, no_token_required())).has_value());
  CHECK(std::get<Pod>(object).spec.service_account_name == "default");
}

// ---- R8: mirror pods -------------------------------------------------------

TEST_CASE("TestIgnoresMirrorPod: admitted without mutation or lookups") {
  FakeEnv env;
  Pod pod = testing::mirror_pod();
  pod.spec.volumes.push_back(Volume{});
  pod.spec.containers.push_back(make_container("c"));
  const std::string before = describe(pod);
  CHECK_FALSE(admit_twice(env, pod, Config{}).has_value());
  CHECK(describe(pod) == before);
  CHECK(env.live_gets.empty());
}

TEST_CASE("TestRejectsMirrorPod: with a service account or secret volume or token projection") {
  struct Case {
    const char* name;
    void (*build)(Pod&);
    const char* want;
  };
  const Case cases[] = {
      {"TestRejectsMirrorPodWithServiceAccount", [](Pod& p) { p.spec.service_account_name = "default"; },
       "pods \"Unknown\" is forbidden: a mirror pod may not reference service accounts"},
      {"TestRejectsMirrorPodWithSecretVolumes", [](Pod& p) { p.spec.volumes.push_back(secret_volume("", "")); },
       "pods \"Unknown\" is forbidden: a mirror pod may not reference secrets"},
      {"TestRejectsMirrorPodWithServiceAccountTokenVolumeProjections",
       [](Pod& p) {
         p.spec.volumes.push_back(
             testing::json_volume("", R"({"projected": {"sources": [{"serviceAccountToken": {}}]}})"));
       },
       "pods \"Unknown\" is forbidden: a mirror pod may not use ServiceAccountToken volume projections"},
      {"the mirror pod's own name is in the message",
       [](Pod& p) {
         p.metadata.name = "static-web-node1";
         p.spec.service_account_name = "default";
       },
       "pods \"static-web-node1\" is forbidden: a mirror pod may not reference service accounts"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env;
    Pod pod = testing::mirror_pod();
    c.build(pod);
    const std::optional<ApiStatus> error = admit_pod(env, pod, Config{});
    REQUIRE(error.has_value());
    CHECK(error->code == 403);
    CHECK(error->reason == "Forbidden");
    CHECK(error->message == c.want);
  }
}

// ---- R4, L1, L3: the default account and missing tokens ------------------

TEST_CASE("TestAssignsDefaultServiceAccountAndToleratesMissingAPIToken") {
  for (const auto& phase : kPhases) {
    INFO(phase.name);
    FakeEnv env;
    env.cache(make_sa("default"));
    Pod pod;
    CHECK_FALSE(admit_twice(env, pod, no_token_required(gate(phase.bound_token_volume))).has_value());
    CHECK(pod.spec.service_account_name == "default");
  }
}

TEST_CASE("TestAssignsDefaultServiceAccountAndRejectsMissingAPIToken: ServerTimeout with the gate off") {
  FakeEnv env;
  env.cache(make_sa("default"));
  Pod pod;
  const std::optional<ApiStatus> error = admit_pod(env, pod, gate(false));
  REQUIRE(error.has_value());
  CHECK(error->code == 500);
  CHECK(error->reason == "ServerTimeout");
  CHECK(error->details.kind == "serviceaccounts");
  CHECK(error->details.name == "create pod");
  CHECK(error->details.retry_after_seconds == 1);
  CHECK(error->message ==
        "No API token found for service account \"default\", retry after the token is automatically created and added "
        "to the service account");
}

TEST_CASE("a token the cache has not seen yet is missing even if the account references it") {
  FakeEnv env;
  env.cache(make_sa("default", "12345", {"default-token-x7k2p"}));
  Pod pod = pod_with(0, 1);
  const std::optional<ApiStatus> error = admit_pod(env, pod, gate(false));
  REQUIRE(error.has_value());
  CHECK(error->reason == "ServerTimeout");
  env.cache(make_token("default-token-x7k2p", "default", "12345"));
  Pod retried = pod_with(0, 1);
  CHECK_FALSE(admit_pod(env, retried, gate(false)).has_value());
  CHECK(describe(retried.spec.volumes[0]) == "default-token-x7k2p secret:default-token-x7k2p");
}

TEST_CASE("TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens") {
  struct Case {
    const char* name;
    Config config;
  };
  Config current = gate(true);
  current.bound_token_expiration_seconds = 3607;
  current.bound_token_default_mode = 0644;
  const Case cases[] = {{"1.20 and 1.21: expirationSeconds 3600 and no defaultMode", gate(true)},
                        {"later releases: 3607 and defaultMode 0644", with_fixes(current)}};
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env;
    env.cache(make_sa("default"));
    Pod pod = pod_with(0, 1);
    CHECK_FALSE(admit_twice(env, pod, c.config).has_value());
    REQUIRE(pod.spec.volumes.size() == 1);
    const std::string name = pod.spec.volumes[0].name;
    CHECK(name.rfind("kube-api-access-", 0) == 0);
    CHECK(name.size() == std::string("kube-api-access-").size() + 5);
    CHECK(describe(pod.spec.volumes[0]) == describe(bound_token_volume(name, c.config)));
    CHECK(describe(pod.spec.containers) == "[" + describe(token_mount(name)) + ";]");
  }
}

TEST_CASE("TestFetchesUncachedServiceAccount: each of the three lookups GETs it live") {
  FakeEnv env;
  env.store(make_sa("default"));
  Pod pod;
  CHECK_FALSE(admit_pod(env, pod, no_token_required()).has_value());
  CHECK(pod.spec.service_account_name == "default");
  // mutate, the validate mutate ends with, and the validating phase.
  CHECK(env.live_gets == std::vector<std::string>(3, "myns/default"));
  CHECK(env.sleeps.empty());
}

TEST_CASE("TestDeniesInvalidServiceAccount: Forbidden after 10 live attempts") {
  FakeEnv env;
  Pod pod;
  const std::optional<ApiStatus> error = admit_pod(env, pod, Config{});
  REQUIRE(error.has_value());
  CHECK(error->code == 403);
  CHECK(error->reason == "Forbidden");
  CHECK(error->details.kind == "pods");
  CHECK(error->details.name == "Unknown");
  CHECK(error->message ==
        "pods \"Unknown\" is forbidden: error looking up service account myns/default: serviceaccount \"default\" not "
        "found");
  CHECK(env.live_gets.size() == 10);
  CHECK(env.sleeps.size() == 9);
}

TEST_CASE("lookup rejections name the pod or its generateName and wrap other errors") {
  struct Case {
    const char* name;
    const char* pod_name;
    const char* generate_name;
    const char* account;
    std::optional<ApiStatus> live_error;
    const char* want;
    std::size_t gets;
  };
  const Case cases[] = {
      {"a named pod", "pod-test", "", "default", std::nullopt,
       "pods \"pod-test\" is forbidden: error looking up service account myns/default: serviceaccount \"default\" not "
       "found",
       10},
      {"a generateName pod before its name is generated", "", "web-", "default", std::nullopt,
       "pods \"web-\" is forbidden: error looking up service account myns/default: serviceaccount \"default\" not "
       "found",
       10},
      {"another account is tried once", "pod-test", "", "build-robot", std::nullopt,
       "pods \"pod-test\" is forbidden: error looking up service account myns/build-robot: serviceaccount "
       "\"build-robot\" not found",
       1},
      {"an error other than NotFound", "pod-test", "", "default",
       status_too_many_requests("Too many requests, please try again later.", 1),
       "pods \"pod-test\" is forbidden: error looking up service account myns/default: Too many requests, please try "
       "again later.",
       1},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env;
    env.live_error = c.live_error;
    Pod pod;
    pod.metadata.name = c.pod_name;
    pod.metadata.generate_name = c.generate_name;
    pod.spec.service_account_name = c.account;
    CHECK(message_of(admit_pod(env, pod, Config{})) == c.want);
    CHECK(env.live_gets.size() == c.gets);
  }
}

// ---- R6, L2, L4: mounting --------------------------------------------------

TEST_CASE("TestAutomountsAPIToken") {
  for (const auto& phase : kPhases) {
    for (bool init : {false, true}) {
      INFO(phase.name << (init ? " init container" : " container"));
      const Config config = gate(phase.bound_token_volume);
      // As upstream, with the gate on the token is named like the volume.
      const std::string token = phase.bound_token_volume ? "kube-api-access-abc123" : "token-name";
      FakeEnv env;
      env.generated_suffix = "abc123";
      env.cache(make_sa("default", "12345", {token}));
      env.cache(make_token(token, "default", "12345"));
      Pod pod = init ? pod_with(1, 0) : pod_with(0, 1);
      CHECK_FALSE(admit_twice(env, pod, config).has_value());
      CHECK(pod.spec.service_account_name == "default");
      REQUIRE(pod.spec.volumes.size() == 1);
      const Volume want =
          phase.bound_token_volume ? bound_token_volume(token, config) : token_secret_volume(token, token);
      CHECK(describe(pod.spec.volumes[0]) == describe(want));
      CHECK(describe(init ? pod.spec.init_containers : pod.spec.containers) ==
            "[" + describe(token_mount(token)) + ";]");
    }
  }
}

TEST_CASE("TestRespectsExistingMount") {
  for (const auto& phase : kPhases) {
    for (bool init : {false, true}) {
      INFO(phase.name << (init ? " init container" : " container"));
      FakeEnv env;
      env.cache(make_sa("default", "12345", {"token-name"}));
      env.cache(make_token("token-name", "default", "12345"));
      Pod pod = init ? pod_with(1, 0) : pod_with(0, 1);
      const VolumeMount custom = testing::make_mount("my-custom-mount", std::string(kDefaultApiTokenMountPath), false);
      (init ? pod.spec.init_containers : pod.spec.containers)[0].volume_mounts.push_back(custom);
      CHECK_FALSE(admit_twice(env, pod, gate(phase.bound_token_volume)).has_value());
      CHECK(pod.spec.service_account_name == "default");
      CHECK(pod.spec.volumes.empty());
      CHECK(describe(init ? pod.spec.init_containers : pod.spec.containers) == "[" + describe(custom) + ";]");
    }
  }
}

TEST_CASE("TestMultipleReferencedSecrets: the first reference is mounted") {
  FakeEnv env;
  env.cache(make_sa("mysa", "mysauid", {"token1", "token2"}));
  env.cache(make_token("token2", "mysa", "mysauid"));
  env.cache(make_token("token1", "mysa", "mysauid"));
  Pod pod = pod_with(0, 1);
  pod.spec.service_account_name = "mysa";
  pod.spec.containers[0].name = "container-1";
  CHECK_FALSE(admit_twice(env, pod, Config{}).has_value());
  REQUIRE(pod.spec.volumes.size() == 1);
  CHECK(pod.spec.volumes[0].name == "token1");
}

TEST_CASE("TestAutomountIsBackwardsCompatible") {
  FakeEnv env;
  env.generated_suffix = "abc123";
  env.cache(make_sa("default", "12345", {"token-name"}));
  env.cache(make_token("token-name", "default", "12345"));
  Pod pod = pod_with(0, 1);
  pod.spec.containers[0].name = "c-1";
  pod.spec.containers[0].volume_mounts.push_back(token_mount("default-token-abc123"));
  pod.spec.volumes.push_back(secret_volume("default-token-abc123", "default-token-abc123"));
  CHECK_FALSE(admit_twice(env, pod, gate(true)).has_value());
  CHECK(pod.spec.service_account_name == "default");
  REQUIRE(pod.spec.volumes.size() == 1);
  CHECK(describe(pod.spec.volumes[0]) == "default-token-abc123 secret:default-token-abc123");
  CHECK(describe(pod.spec.containers) == "[" + describe(token_mount("default-token-abc123")) + ";]");
}

TEST_CASE("automount precedence: pod then service account then true") {
  struct Case {
    const char* name;
    std::optional<bool> pod;
    std::optional<bool> sa;
    bool mounted;
  };
  const Case cases[] = {
      {"pod false and SA true: no mount", false, true, false},
      {"pod true and SA false: mount", true, false, true},
      {"pod nil and SA false: no mount", std::nullopt, false, false},
      {"both nil: mount", std::nullopt, std::nullopt, true},
  };
  for (const auto& phase : kPhases) {
    for (const Case& c : cases) {
      INFO(phase.name << ": " << c.name);
      FakeEnv env;
      ServiceAccount sa = make_sa("default", "12345", {"token-name"});
      sa.automount_service_account_token = c.sa;
      env.cache(sa);
      env.cache(make_token("token-name", "default", "12345"));
      Pod pod = pod_with(0, 1);
      pod.spec.automount_service_account_token = c.pod;
      CHECK_FALSE(admit_twice(env, pod, gate(phase.bound_token_volume)).has_value());
      CHECK(pod.spec.volumes.size() == (c.mounted ? 1u : 0u));
      CHECK(pod.spec.containers[0].volume_mounts.size() == (c.mounted ? 1u : 0u));
    }
  }
}

TEST_CASE("an account that opts out needs no token even when one is required") {
  FakeEnv env;
  ServiceAccount sa = make_sa("default");
  sa.automount_service_account_token = false;
  env.cache(sa);
  Pod pod = pod_with(0, 1);
  CHECK_FALSE(admit_pod(env, pod, gate(false)).has_value());
  CHECK(pod.spec.volumes.empty());
}

TEST_CASE("with mounting turned off nothing is mounted but the rest still happens") {
  FakeEnv env;
  ServiceAccount sa = make_sa("default");
  sa.image_pull_secrets = {"foo"};
  env.cache(sa);
  Pod pod = pod_with(0, 1);
  Config config;
  config.mount_service_account_token = false;
  CHECK_FALSE(admit_pod(env, pod, config).has_value());
  CHECK(describe(pod) == "sa=default pull=foo; volumes= init= containers=[] ephemeral=");
}

}  // namespace
}  // namespace sasim::model::admission
