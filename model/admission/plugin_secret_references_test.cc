// The plugin through the apiserver's chain, continued: imagePullSecrets and
// enforce-mountable-secrets (ADMT-20, and ADMT-new with the later fixes),
// and the mutating and validating halves called alone.
#include <catch2/catch.hpp>

#include "model/admission/plugin.h"
#include "model/admission/testing/admit.h"
#include "model/admission/testing/fake_env.h"
#include "model/admission/testing/fixtures.h"
#include "model/admission/testing/run_sync.h"

namespace sasim::model::admission {
namespace {

using testing::admit_pod;
using testing::admit_twice;
using testing::create_attributes;
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
using testing::secret_env;
using testing::secret_env_from;
using testing::secret_volume;
using testing::with_fixes;

// ---- R7: imagePullSecrets --------------------------------------------------

TEST_CASE("TestAllowsReferencedImagePullSecrets and TestRejectsUnreferencedImagePullSecrets") {
  for (bool referenced : {true, false}) {
    INFO("referenced " << referenced);
    FakeEnv env;
    ServiceAccount sa = make_sa("default");
    if (referenced) sa.image_pull_secrets = {"foo"};
    env.cache(sa);
    Pod pod;
    pod.spec.image_pull_secrets = {"foo"};
    Config config = no_token_required();
    config.limit_secret_references = true;
    const std::optional<ApiStatus> error = admit_pod(env, pod, config);
    if (referenced) {
      CHECK_FALSE(error.has_value());
    } else {
      CHECK(message_of(error) ==
            "pods \"Unknown\" is forbidden: imagePullSecrets[0].name=\"foo\" is not allowed because service account "
            "default does not reference that imagePullSecret");
    }
  }
}

TEST_CASE("TestDoNotAddImagePullSecrets and TestAddImagePullSecrets") {
  FakeEnv env;
  ServiceAccount sa = make_sa("default");
  sa.image_pull_secrets = {"foo", "bar"};
  env.cache(sa);
  Config config = no_token_required();
  config.limit_secret_references = true;

  Pod keeps;
  keeps.spec.image_pull_secrets = {"foo"};
  CHECK_FALSE(admit_twice(env, keeps, config).has_value());
  CHECK(keeps.spec.image_pull_secrets == std::vector<std::string>{"foo"});

  Pod gets;
  CHECK_FALSE(admit_twice(env, gets, config).has_value());
  CHECK(gets.spec.image_pull_secrets == std::vector<std::string>{"foo", "bar"});
  gets.spec.image_pull_secrets[1] = "baz";
  CHECK(env.cached_service_account(testing::kNs, "default")->image_pull_secrets ==
        std::vector<std::string>{"foo", "bar"});
}

// ---- R9, R10: enforce-mountable-secrets ------------------------------------

Pod container_env_pod(bool init, bool env_from, const char* secret) {
  Pod pod;
  std::vector<Container>& list = init ? pod.spec.init_containers : pod.spec.containers;
  list.push_back(make_container("container-1"));
  if (env_from) {
    list[0].env_from.push_back(secret_env_from(secret));
  } else {
    list[0].env.push_back(secret_env("env-1", secret));
  }
  return pod;
}

Pod ephemeral_env_pod(bool env_from, const char* secret) {
  Pod pod;
  pod.metadata.name = "myname";
  pod.spec.service_account_name = "default";
  pod.spec.ephemeral_containers.push_back(make_container("container-2"));
  if (env_from) {
    pod.spec.ephemeral_containers[0].env_from.push_back(secret_env_from(secret));
  } else {
    pod.spec.ephemeral_containers[0].env.push_back(secret_env("env-1", secret));
  }
  return pod;
}

Attributes ephemeral_update() {
  Attributes attributes = create_attributes("ephemeralcontainers");
  attributes.operation = Operation::kUpdate;
  return attributes;
}

Config limited(Config config = Config{}) {
  config.limit_secret_references = true;
  config.require_api_token = false;
  return config;
}

TEST_CASE("TestAllowsReferencedSecret") {
  struct Case {
    const char* name;
    Pod pod;
    Attributes attributes;
    Config config;
  };
  Pod volume_pod;
  volume_pod.spec.volumes.push_back(secret_volume("", "foo"));
  const Case cases[] = {
      {"secret volume", volume_pod, create_attributes(), limited()},
      {"container env", container_env_pod(false, false, "foo"), create_attributes(), limited()},
      {"init container env", container_env_pod(true, false, "foo"), create_attributes(), limited()},
      {"container envFrom", container_env_pod(false, true, "foo"), create_attributes(), limited(with_fixes({}))},
      {"init container envFrom", container_env_pod(true, true, "foo"), create_attributes(), limited(with_fixes({}))},
      {"ephemeral container env", ephemeral_env_pod(false, "foo"), ephemeral_update(), limited(with_fixes({}))},
      {"ephemeral container envFrom", ephemeral_env_pod(true, "foo"), ephemeral_update(), limited(with_fixes({}))},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env;
    env.cache(make_sa("default", "", {"foo"}));
    Pod pod = c.pod;
    CHECK(message_of(admit_pod(env, pod, c.config, c.attributes)) == "(admitted)");
  }
}

// Upstream's message for a reference to `foo`, which the account lacks.
std::string unreferenced(const std::string& what) {
  return what +
         " referencing secret.secretName=\"foo\" is not allowed because service account default does not "
         "reference that secret";
}

TEST_CASE("TestRejectsUnreferencedSecretVolumes") {
  struct Case {
    const char* name;
    Pod pod;
    Attributes attributes;
    Config config;
    std::string want;  // the whole message, or "(admitted)"
    int code;
  };
  const std::string prefix = "pods \"Unknown\" is forbidden: ";
  const std::string admitted = "(admitted)";
  const Config fixed = limited(with_fixes({}));
  Attributes update = create_attributes();
  update.operation = Operation::kUpdate;
  Pod volume_pod;
  volume_pod.spec.volumes.push_back(secret_volume("", "foo"));
  const Case cases[] = {
      {"secret volume", volume_pod, create_attributes(), limited(),
       prefix + "volume with secret.secretName=\"foo\" is not allowed because service account default does not "
                "reference that secret",
       403},
      {"container env", container_env_pod(false, false, "foo"), create_attributes(), limited(),
       prefix + unreferenced("container container-1 with envVar env-1"), 403},
      {"init container env", container_env_pod(true, false, "foo"), create_attributes(), limited(),
       prefix + unreferenced("init container container-1 with envVar env-1"), 403},
      {"1.20 does not check container envFrom", container_env_pod(false, true, "foo"), create_attributes(), limited(),
       admitted, 0},
      {"1.20 does not check init container envFrom", container_env_pod(true, true, "foo"), create_attributes(),
       limited(), admitted, 0},
      {"container envFrom with the fix", container_env_pod(false, true, "foo"), create_attributes(), fixed,
       prefix + unreferenced("container container-1 with envFrom"), 403},
      {"init container envFrom with the fix", container_env_pod(true, true, "foo"), create_attributes(), fixed,
       prefix + unreferenced("init container container-1 with envFrom"), 403},
      {"an Update passes with the fix", container_env_pod(true, false, "foo"), update, fixed, admitted, 0},
      {"1.20 does not handle ephemeral container updates", ephemeral_env_pod(false, "foo"), ephemeral_update(),
       limited(), admitted, 0},
      // Upstream returns these unwrapped: the apiserver makes them a 500.
      {"ephemeral container env with the fix", ephemeral_env_pod(false, "foo"), ephemeral_update(), fixed,
       unreferenced("ephemeral container container-2 with envVar env-1"), 500},
      {"ephemeral container envFrom with the fix", ephemeral_env_pod(true, "foo"), ephemeral_update(), fixed,
       unreferenced("ephemeral container container-2 with envFrom"), 500},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env;
    env.cache(make_sa("default"));
    Pod pod = c.pod;
    const std::optional<ApiStatus> error = admit_pod(env, pod, c.config, c.attributes);
    CHECK(message_of(error) == c.want);
    if (error) CHECK(error->code == c.code);
  }
}

TEST_CASE("TestAllowUnreferencedSecretVolumesForPermissiveSAs: the annotation enforces") {
  struct Case {
    const char* annotation;
    bool rejected;
  };
  const Case cases[] = {{"true", true}, {"T", true}, {"1", true}, {"false", false}, {"yes", false}};
  for (const Case& c : cases) {
    INFO(c.annotation);
    FakeEnv env;
    ServiceAccount sa = make_sa("default");
    sa.metadata.annotations[std::string(kEnforceMountableSecretsAnnotation)] = c.annotation;
    env.cache(sa);
    Pod pod;
    pod.spec.volumes.push_back(secret_volume("", "foo"));
    CHECK(admit_pod(env, pod, no_token_required()).has_value() == c.rejected);
  }
}

TEST_CASE("enforcement accepts what admission itself added") {
  for (const auto& phase : kPhases) {
    INFO(phase.name);
    FakeEnv env;
    ServiceAccount sa = make_sa("default", "12345", {"token-name"});
    sa.image_pull_secrets = {"pull"};
    env.cache(sa);
    env.cache(make_token("token-name", "default", "12345"));
    Pod pod = pod_with(0, 1);
    Config config = gate(phase.bound_token_volume);
    config.limit_secret_references = true;
    CHECK_FALSE(admit_twice(env, pod, config).has_value());
    CHECK(pod.spec.volumes.size() == 1);
    CHECK(pod.spec.image_pull_secrets == std::vector<std::string>{"pull"});
  }
}

TEST_CASE("ephemeral container validation needs an account and looks it up") {
  Config config = limited(with_fixes({}));
  {
    FakeEnv env;
    Pod pod = ephemeral_env_pod(false, "foo");
    pod.spec.service_account_name.clear();
    CHECK(message_of(admit_pod(env, pod, config, ephemeral_update())) ==
          "pods \"myname\" is forbidden: no service account specified for pod myns/myname");
  }
  {
    FakeEnv env;
    Pod pod = ephemeral_env_pod(false, "foo");
    CHECK(message_of(admit_pod(env, pod, config, ephemeral_update())) ==
          "pods \"myname\" is forbidden: error looking up service account myns/default: serviceaccount \"default\" "
          "not found");
  }
  {
    FakeEnv env;
    env.cache(make_sa("default"));
    Pod pod = ephemeral_env_pod(false, "foo");
    config.limit_secret_references = false;
    CHECK(message_of(admit_pod(env, pod, config, ephemeral_update())) == "(admitted)");
  }
}

// ---- the two halves alone ------------------------------------------------

TEST_CASE("validate without mutate: 1.20 looks up the empty name and the fix rejects it") {
  {
    FakeEnv env;
    Pod pod;
    pod.metadata.name = "web";
    CHECK(message_of(run_sync(validate(create_attributes(), &pod, env, Config{}))) ==
          "pods \"web\" is forbidden: error looking up service account myns/: serviceaccount \"\" not found");
    CHECK(env.live_gets == std::vector<std::string>{"myns/"});
  }
  {
    FakeEnv env;
    Pod pod;
    pod.metadata.name = "web";
    CHECK(message_of(run_sync(validate(create_attributes(), &pod, env, with_fixes({})))) ==
          "pods \"web\" is forbidden: no service account specified for pod myns/web");
    CHECK(env.live_gets.empty());
  }
}

TEST_CASE("mutate ends with validate as upstream's Admit does") {
  FakeEnv env;
  env.cache(make_sa("default"));
  Pod pod;
  pod.spec.volumes.push_back(secret_volume("", "foo"));
  const std::optional<ApiStatus> error = run_sync(mutate(create_attributes(), &pod, env, limited()));
  REQUIRE(error.has_value());
  CHECK(error->reason == "Forbidden");
  CHECK(pod.spec.service_account_name == "default");
}

}  // namespace
}  // namespace sasim::model::admission
