// Which token is mounted, under which volume name, into which containers
// (R6, L1-L4), checked on the mount step alone.
#include "model/admission/token_volume.h"

#include <catch2/catch.hpp>

#include "model/admission/testing/fake_env.h"
#include "model/admission/testing/fixtures.h"

namespace sasim::model::admission {
namespace {

using testing::describe;
using testing::FakeEnv;
using testing::kPhases;
using testing::make_sa;
using testing::make_secret;
using testing::make_token;
using testing::pod_with;
using testing::token_mount;

std::vector<const Secret*> pointers(const std::vector<Secret>& secrets) {
  std::vector<const Secret*> out;
  for (const Secret& s : secrets) out.push_back(&s);
  return out;
}

TEST_CASE("TestGetServiceAccountTokens: only the account's own tokens") {
  const ServiceAccount sa = make_sa("default", "12345");
  const std::vector<Secret> secrets = {
      make_secret("kubernetes.io/dockercfg", "nonSATokenSecret", "default", "12345"),
      make_secret(kSecretTypeServiceAccountToken, "differentSAToken", "someOtherSA", "someOtherUID"),
      make_secret(kSecretTypeServiceAccountToken, "matchingSAToken", "default", "12345"),
  };
  // The gate does not reach this function; upstream runs it in both phases.
  const std::vector<const Secret*> tokens = get_service_account_tokens(sa, pointers(secrets));
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0]->metadata.name == "matchingSAToken");
}

TEST_CASE("the referenced token is the first valid one in sa.secrets order") {
  struct Case {
    const char* name;
    std::vector<std::string> refs;
    const char* want;
  };
  // In the cache: token1 and token2 (valid), other-uid (another incarnation),
  // no-uid (valid: an empty uid matches any), opaque (not a token).
  std::vector<Secret> secrets = {make_token("token2", "mysa", "mysauid"), make_token("token1", "mysa", "mysauid"),
                                 make_token("other-uid", "mysa", "old"), make_token("no-uid", "mysa", ""),
                                 make_secret(kSecretTypeOpaque, "opaque", "mysa", "mysauid")};
  const Case cases[] = {
      {"TestMultipleReferencedSecrets", {"token1", "token2"}, "token1"},
      {"reference order not cache order", {"token2", "token1"}, "token2"},
      {"dangling and invalid references are skipped", {"missing", "other-uid", "opaque", "token2"}, "token2"},
      {"a token without a uid annotation matches", {"no-uid"}, "no-uid"},
      {"no valid reference", {"missing", "opaque"}, ""},
      {"no references", {}, ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(referenced_service_account_token(make_sa("mysa", "mysauid", c.refs), pointers(secrets)) == c.want);
  }
}

TEST_CASE("L1: a missing token is a ServerTimeout with upstream's fields") {
  const ApiStatus status = missing_api_token_status("build-robot");
  CHECK(status.code == 500);
  CHECK(status.reason == "ServerTimeout");
  CHECK(status.details.kind == "serviceaccounts");
  CHECK(status.details.name == "create pod");
  CHECK(status.details.retry_after_seconds == 1);
  CHECK(status.message ==
        "No API token found for service account \"build-robot\", retry after the token is automatically created and "
        "added to the service account");
}

TEST_CASE("the projected volume of 1.20 and 1.21 and of later releases") {
  const std::string sources =
      R"("sources":[{"serviceAccountToken":{"expirationSeconds":EXP,"path":"token"}},)"
      R"({"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},)"
      R"({"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},)"
      R"("path":"namespace"}]}}]}})";
  auto with_expiration = [&](const char* seconds) {
    std::string out = sources;
    out.replace(out.find("EXP"), 3, seconds);
    return out;
  };
  Config config = testing::gate(true);
  CHECK(describe(bound_token_volume("kube-api-access-abc123", config)) ==
        R"(kube-api-access-abc123 {"projected":{)" + with_expiration("3600"));
  config.bound_token_expiration_seconds = 3607;
  config.bound_token_default_mode = 0644;
  CHECK(describe(bound_token_volume("v", config)) == R"(v {"projected":{"defaultMode":420,)" + with_expiration("3607"));
}

// An account `default` (uid 12345) referencing token-name, which is cached.
FakeEnv env_with_token(const std::string& token = "token-name") {
  FakeEnv env;
  env.cache(make_token(token, "default", "12345"));
  env.generated_suffix = "abc123";
  return env;
}

TEST_CASE("L2: the volume is named after the token Secret") {
  struct Case {
    const char* name;
    const char* token;
    std::vector<Volume> existing;
    const char* want_volume;  // the mount's volume name
    bool adds_volume;
  };
  const Case cases[] = {
      {"plain name", "token-name", {}, "token-name", true},
      {"dots become dashes", "default.token.x", {}, "default-token-x", true},
      {"a clash gets a generated suffix",
       "token-name",
       {testing::json_volume("token-name", R"({"emptyDir": {}})")},
       "token-name-abc123",
       true},
      {"a clash after the dots are replaced", "a.b", {testing::secret_volume("a-b", "other")}, "a-b-abc123", true},
      {"a volume of the token Secret is reused whatever its name",
       "token-name",
       {testing::secret_volume("mine", "token-name")},
       "mine",
       false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeEnv env = env_with_token(c.token);
    Pod pod = pod_with(0, 1);
    pod.spec.volumes = c.existing;
    const auto error = mount_service_account_token(make_sa("default", "12345", {c.token}), pod, env, Config{});
    REQUIRE_FALSE(error);
    REQUIRE(pod.spec.containers[0].volume_mounts.size() == 1);
    CHECK(describe(pod.spec.containers[0].volume_mounts[0]) == describe(token_mount(c.want_volume)));
    REQUIRE(pod.spec.volumes.size() == c.existing.size() + (c.adds_volume ? 1 : 0));
    if (c.adds_volume) {
      CHECK(describe(pod.spec.volumes.back()) == describe(token_secret_volume(c.want_volume, c.token)));
    }
  }
}

TEST_CASE("a clashing volume name draws its suffix from the stream") {
  FakeEnv env;
  env.cache(make_token("token-name", "default", "12345"));
  Pod pod = pod_with(0, 1);
  pod.spec.volumes.push_back(testing::json_volume("token-name", R"({"emptyDir": {}})"));
  REQUIRE_FALSE(mount_service_account_token(make_sa("default", "12345", {"token-name"}), pod, env, Config{}));
  REQUIRE(pod.spec.volumes.size() == 2);
  const std::string& name = pod.spec.volumes[1].name;
  REQUIRE(name.size() == std::string("token-name-").size() + 5);
  CHECK(name.rfind("token-name-", 0) == 0);
  CHECK(env.generated_bases == std::vector<std::string>{"token-name-"});
}

TEST_CASE("mounts go to every init container and container lacking one and never to ephemeral containers") {
  for (const auto& phase : kPhases) {
    INFO(phase.name);
    FakeEnv env = env_with_token();
    Pod pod = pod_with(2, 2);
    pod.spec.containers[1].volume_mounts.push_back(
        testing::make_mount("custom", "/var/run/secrets/kubernetes.io/serviceaccount", false));
    pod.spec.init_containers[0].volume_mounts.push_back(testing::make_mount("data", "/data", false));
    pod.spec.ephemeral_containers.push_back(testing::make_container("debug"));
    REQUIRE_FALSE(mount_service_account_token(make_sa("default", "12345", {"token-name"}), pod, env,
                                              testing::gate(phase.bound_token_volume)));
    const std::string vol = phase.bound_token_volume ? "kube-api-access-abc123" : "token-name";
    const std::string mount = describe(token_mount(vol)) + ";";
    CHECK(describe(pod.spec.init_containers) == "[data@/data rw;" + mount + "][" + mount + "]");
    CHECK(describe(pod.spec.containers) == "[" + mount + "][custom@/var/run/secrets/kubernetes.io/serviceaccount rw;]");
    CHECK(describe(pod.spec.ephemeral_containers) == "[]");
    CHECK(pod.spec.volumes.size() == 1);
  }
}

TEST_CASE("no volume is added when no container takes the mount") {
  for (const auto& phase : kPhases) {
    INFO(phase.name);
    FakeEnv env = env_with_token();
    Pod pod = pod_with(0, 0);
    REQUIRE_FALSE(mount_service_account_token(make_sa("default", "12345", {"token-name"}), pod, env,
                                              testing::gate(phase.bound_token_volume)));
    CHECK(pod.spec.volumes.empty());
  }
}

TEST_CASE("with the gate on an existing kube-api-access volume is reused") {
  FakeEnv env;
  Pod pod = pod_with(0, 1);
  pod.spec.volumes.push_back(testing::json_volume("kube-api-access-zzzzz", R"({"emptyDir": {}})"));
  REQUIRE_FALSE(mount_service_account_token(make_sa("default"), pod, env, testing::gate(true)));
  CHECK(pod.spec.volumes.size() == 1);
  CHECK(describe(pod.spec.containers[0].volume_mounts[0]) == describe(token_mount("kube-api-access-zzzzz")));
  CHECK(env.generated_bases.empty());
  CHECK(env.secret_lists == 0);  // the gate needs no token Secret
}

TEST_CASE("L4 TestAutomountIsBackwardsCompatible: a mounted legacy token is kept with the gate on") {
  FakeEnv env = env_with_token();
  Pod pod = pod_with(0, 1);
  pod.spec.containers[0].volume_mounts.push_back(token_mount("default-token-abc123"));
  pod.spec.volumes.push_back(testing::secret_volume("default-token-abc123", "default-token-abc123"));
  const std::string before = describe(pod);
  REQUIRE_FALSE(
      mount_service_account_token(make_sa("default", "12345", {"token-name"}), pod, env, testing::gate(true)));
  CHECK(describe(pod) == before);
}

TEST_CASE("with the gate off and no token the mount fails only if a token is required") {
  for (bool require : {true, false}) {
    INFO("require_api_token " << require);
    FakeEnv env;
    env.cache(make_token("token-name", "default", "another-uid"));
    Pod pod = pod_with(0, 1);
    Config config;
    config.require_api_token = require;
    const auto error = mount_service_account_token(make_sa("default", "12345", {"token-name"}), pod, env, config);
    CHECK(error.has_value() == require);
    if (error) CHECK(error->reason == "ServerTimeout");
    CHECK(describe(pod) == describe(pod_with(0, 1)));
  }
}

TEST_CASE("an account without references does not list Secrets") {
  FakeEnv env = env_with_token();
  Pod pod = pod_with(0, 1);
  Config config;
  config.require_api_token = false;
  REQUIRE_FALSE(mount_service_account_token(make_sa("default", "12345"), pod, env, config));
  CHECK(env.secret_lists == 0);
}

}  // namespace
}  // namespace sasim::model::admission
