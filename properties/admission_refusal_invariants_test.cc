// pod-rejections-have-cause and admitted-pods-respect-mountable-secrets on
// admissions described by hand (what each lookup returned, what
// admission's Secret cache held), and on a running cluster.
#include "properties/admission_refusal_checks.h"

#include <catch2/catch.hpp>

#include "model/admission/config.h"
#include "model/api/status.h"
#include "model/objects/constants.h"
#include "properties/invariant.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace {

model::ServiceAccount sa_named(const char* name) {
  model::ServiceAccount sa = std::get<model::ServiceAccount>(model::testing::service_account("default", name));
  sa.metadata.uid = std::string("uid-") + name;
  return sa;
}

model::PodAdmission reads(std::vector<std::pair<model::ObjectPtr, bool>> lookups) {
  model::PodAdmission a;
  for (auto& [account, from_cache] : lookups) a.reads.push_back(model::AccountRead{.account = account, .from_cache = from_cache});
  return a;
}

model::ApiStatus not_found(const std::string& name) {
  return model::status_forbidden("pods", "p",
                                 "error looking up service account default/" + name + ": serviceaccount \"" + name +
                                     "\" not found");
}

model::ApiStatus no_token(const std::string& name) {
  model::ApiStatus s = model::status_server_timeout("serviceaccounts", "create pod", 1);
  s.message = "No API token found for service account \"" + name +
              "\", retry after the token is automatically created and added to the service account";
  return s;
}

model::client::Informer secret_cache(std::vector<model::Object> secrets) {
  model::client::Informer cache(model::Kind::kSecret, {});
  std::vector<model::ObjectPtr> items;
  for (auto& s : secrets) items.push_back(testing::ptr(std::move(s)));
  cache.replace(items, 1, 1);
  return cache;
}

const model::admission::Config kDefaults{};

model::Volume secret_volume(const char* name, const char* secret) {
  model::Volume v;
  v.name = name;
  v.secret.emplace();
  v.secret->secret_name = secret;
  return v;
}

model::EnvVar secret_env(const char* name, const char* secret) {
  model::EnvVar e;
  e.name = name;
  e.secret_key_ref.emplace();
  e.secret_key_ref->name = secret;
  e.secret_key_ref->key = "k";
  return e;
}

model::EnvFromSource env_from_secret(const char* secret) {
  model::EnvFromSource e;
  e.secret_ref = secret;
  return e;
}

TEST_CASE("serviceaccount not found is a cause only after the cache missed and every live lookup 1.20 makes") {
  const model::Pod pod = testing::pod("default", "p", "robot");
  const auto empty = secret_cache({});
  SECTION("cache miss then one live miss: the cause is real") {
    CHECK(check_pod_rejection(pod, not_found("robot"), reads({{nullptr, true}, {nullptr, false}}), empty, kDefaults,
                              sim::Time::zero())
              .violations.empty());
  }
  SECTION("the cache held the account") {
    auto out = check_pod_rejection(pod, not_found("robot"), reads({{testing::ptr(sa_named("robot")), true}}), empty,
                                   kDefaults, sim::Time::zero());
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].message.find("its cache held the account") != std::string::npos);
  }
  SECTION("no live lookup after the cache missed") {
    auto out = check_pod_rejection(pod, not_found("robot"), reads({{nullptr, true}}), empty, kDefaults, sim::Time::zero());
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].message.find("up live 1 time, and it did 0") != std::string::npos);
  }
  SECTION("default is looked up ten times") {
    const model::Pod bare = testing::pod("default", "p", "default");
    std::vector<std::pair<model::ObjectPtr, bool>> lookups{{nullptr, true}};
    for (int i = 0; i < 3; ++i) lookups.emplace_back(nullptr, false);
    CHECK(check_pod_rejection(bare, not_found("default"), reads(lookups), empty, kDefaults, sim::Time::zero())
              .violations.size() == 1);
    for (int i = 0; i < 7; ++i) lookups.emplace_back(nullptr, false);
    CHECK(check_pod_rejection(bare, not_found("default"), reads(lookups), empty, kDefaults, sim::Time::zero())
              .violations.empty());
  }
}

TEST_CASE("No API token found is a cause only when admission's cache shows no referenced token") {
  model::ServiceAccount sa = sa_named("robot");
  sa.secrets.push_back(model::ObjectReference{.name = "opaque"});
  sa.secrets.push_back(model::ObjectReference{.name = "robot-token-a"});
  const model::Pod pod = testing::pod("default", "p", "robot");
  model::Secret token = testing::token_secret("default", "robot-token-a", "robot");
  token.metadata.annotations[std::string(model::kServiceAccountUidKey)] = sa.metadata.uid;
  const auto admission = reads({{testing::ptr(sa), true}});
  SECTION("the token is not in admission's cache yet") {
    CHECK(check_pod_rejection(pod, no_token("robot"), admission, secret_cache({testing::opaque_secret("default", "opaque")}),
                              kDefaults, sim::Time::zero())
              .violations.empty());
  }
  SECTION("the account's second reference is a cached token") {
    auto out = check_pod_rejection(pod, no_token("robot"), admission,
                                   secret_cache({testing::opaque_secret("default", "opaque"), token}), kDefaults,
                                   sim::Time::zero());
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].objects == std::vector<std::string>{"pod/default/p", "serviceaccount/default/robot"});
  }
  SECTION("a token bound to another incarnation does not count") {
    token.metadata.annotations[std::string(model::kServiceAccountUidKey)] = "uid-of-a-predecessor";
    CHECK(check_pod_rejection(pod, no_token("robot"), admission, secret_cache({token}), kDefaults, sim::Time::zero())
              .violations.empty());
  }
  SECTION("automount off: no token is needed") {
    model::Pod quiet = pod;
    quiet.spec.automount_service_account_token = false;
    CHECK(check_pod_rejection(quiet, no_token("robot"), admission, secret_cache({}), kDefaults, sim::Time::zero())
              .violations.size() == 1);
  }
  SECTION("requireAPIToken off") {
    model::admission::Config lenient;
    lenient.require_api_token = false;
    CHECK(check_pod_rejection(pod, no_token("robot"), admission, secret_cache({}), lenient, sim::Time::zero())
              .violations.size() == 1);
  }
}

TEST_CASE("a mountable-secrets refusal needs enforcement and an unlisted Secret") {
  model::ServiceAccount sa = sa_named("robot");
  sa.secrets.push_back(model::ObjectReference{.name = "listed"});
  model::Pod pod = testing::pod("default", "p", "robot");
  pod.spec.volumes.push_back(secret_volume("v", "listed"));
  const model::ApiStatus refusal = model::status_forbidden(
      "pods", "p",
      "volume with secret.secretName=\"listed\" is not allowed because service account robot does not reference "
      "that secret");
  auto judge = [&](const model::ServiceAccount& account, const model::Pod& p, const model::admission::Config& config) {
    return check_pod_rejection(p, refusal, reads({{testing::ptr(account), true}}), secret_cache({}), config,
                               sim::Time::zero());
  };
  model::admission::Config enforced;
  enforced.limit_secret_references = true;
  CHECK(judge(sa, pod, kDefaults).violations.size() == 1);  // not enforced
  CHECK(judge(sa, pod, enforced).violations.size() == 1);   // everything listed
  model::Pod env = pod;
  env.spec.containers[0].env.push_back(
      secret_env("PASSWORD", "unlisted"));
  CHECK(judge(sa, env, enforced).violations.empty());
  // The annotation enforces when strconv.ParseBool reads it as true.
  model::ServiceAccount annotated = sa;
  annotated.metadata.annotations[std::string(model::kEnforceMountableSecretsAnnotation)] = "True";
  CHECK(judge(annotated, env, kDefaults).violations.empty());
  annotated.metadata.annotations[std::string(model::kEnforceMountableSecretsAnnotation)] = "yes";
  CHECK(judge(annotated, env, kDefaults).violations.size() == 1);
}

TEST_CASE("a refusal 1.20's plugin never gives is a violation") {
  const model::Pod pod = testing::pod("default", "p", "robot");
  auto out = check_pod_rejection(pod, model::status_forbidden("pods", "p", "no pods on Tuesdays"),
                                 reads({{testing::ptr(sa_named("robot")), true}}), secret_cache({}), kDefaults,
                                 sim::Time::zero());
  CHECK(out.violations.size() == 1);
}

TEST_CASE("under enforcement an admitted pod references only what its account lists") {
  model::ServiceAccount sa = sa_named("robot");
  sa.secrets.push_back(model::ObjectReference{.name = "listed"});
  sa.image_pull_secrets = {"registry"};
  sa.metadata.annotations[std::string(model::kEnforceMountableSecretsAnnotation)] = "true";
  model::Pod pod = testing::pod("default", "p", "robot");
  pod.spec.volumes.push_back(secret_volume("v", "listed"));
  pod.spec.image_pull_secrets = {"registry"};
  const auto admission = reads({{testing::ptr(sa), true}});
  CheckOutcome out = check_pod_respects_mountable_secrets(pod, admission, kDefaults, sim::Time::zero());
  CHECK(out.checks == 1);
  CHECK(out.violations.empty());
  model::Pod init = pod;
  init.spec.init_containers.push_back(init.spec.containers[0]);
  init.spec.init_containers[0].name = "setup";
  init.spec.init_containers[0].env.push_back(
      secret_env("K", "unlisted"));
  out = check_pod_respects_mountable_secrets(init, admission, kDefaults, sim::Time::zero());
  REQUIRE(out.violations.size() == 1);
  CHECK(out.violations[0].message.find("init container setup env K names Secret unlisted") != std::string::npos);
  model::Pod pulls = pod;
  pulls.spec.image_pull_secrets = {"listed"};  // pull secrets are checked against imagePullSecrets
  CHECK(check_pod_respects_mountable_secrets(pulls, admission, kDefaults, sim::Time::zero()).violations.size() == 1);
  // envFrom is not checked in 1.20 (the CVE-2024-3177 fix came later).
  model::Pod from = pod;
  from.spec.containers[0].env_from.push_back(env_from_secret("unlisted"));
  CHECK(check_pod_respects_mountable_secrets(from, admission, kDefaults, sim::Time::zero()).violations.empty());
  model::admission::Config fixed;
  fixed.env_from_fix = true;
  CHECK(check_pod_respects_mountable_secrets(from, admission, fixed, sim::Time::zero()).violations.size() == 1);
}

TEST_CASE("on a running cluster a refusal for a missing account and an enforced account's pod hold") {
  testing::Harness h(98);
  InvariantChecker checker(h.cluster, {std::string(kPodRejectionsHaveCause), std::string(kAdmittedPodsRespectMountableSecrets)});
  checker.attach();
  h.settle();
  model::ServiceAccount strict = std::get<model::ServiceAccount>(model::testing::service_account("default", "strict"));
  strict.metadata.annotations[std::string(model::kEnforceMountableSecretsAnnotation)] = "true";
  REQUIRE(h.create(model::Object(strict)).ok());
  h.settle();
  model::Pod sneaky = testing::pod("default", "sneaky", "strict");
  sneaky.spec.volumes.push_back(secret_volume("v", "other"));
  const model::ApiResponse refused = h.create(model::Object(sneaky));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->message.find("is not allowed because service account strict") != std::string::npos);
  REQUIRE(h.create(model::Object(testing::pod("default", "fine", "strict"))).ok());
  REQUIRE_FALSE(h.create(model::Object(testing::pod("default", "lost", "ghost"))).ok());
  CHECK(checker.result(kPodRejectionsHaveCause)->checks == 2);
  CHECK(checker.result(kAdmittedPodsRespectMountableSecrets)->checks == 1);
  CHECK(checker.passed(true));
}

}  // namespace
}  // namespace sasim::properties
