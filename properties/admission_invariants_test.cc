// The three admission invariants. They hold for pods admitted by a healthy
// apiserver; they break when admission's caches lag storage (a real path:
// admission.watchLag), and for admissions fed to the observer that break
// the rule outright. Mirror pods are exempt.
#include <catch2/catch.hpp>

#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using testing::Harness;

std::vector<std::string> admission_invariants() {
  return {std::string(kAdmittedPodsUseExistingServiceAccount), std::string(kAdmittedPodsFollowAutomount),
          std::string(kAdmittedPodsInheritImagePullSecrets)};
}

const InvariantResult& result(const InvariantChecker& checker, std::string_view name) {
  const InvariantResult* r = checker.result(name);
  REQUIRE(r != nullptr);
  return *r;
}

model::ObjectPtr stored_account(const Harness& h, const std::string& name) {
  return h.store().get(model::Kind::kServiceAccount, "default", name);
}

// A pod as admission would have made it, mounting `secret` at the token path.
model::Pod pod_with_token_mount(std::string name, std::string account, std::string secret) {
  model::Pod p = testing::pod("default", std::move(name), std::move(account));
  model::Volume v;
  v.name = "token";
  v.secret = model::SecretVolumeSource{};
  v.secret->secret_name = std::move(secret);
  p.spec.volumes.push_back(v);
  model::VolumeMount m;
  m.name = "token";
  m.mount_path = std::string(model::kDefaultApiTokenMountPath);
  m.read_only = true;
  p.spec.containers[0].volume_mounts.push_back(m);
  return p;
}

TEST_CASE("pods admitted by a healthy apiserver follow all three admission invariants") {
  Harness h(71);
  InvariantChecker checker(h.cluster, admission_invariants());
  checker.attach();
  h.settle();
  model::ServiceAccount quiet = std::get<model::ServiceAccount>(model::testing::service_account("default", "quiet"));
  quiet.automount_service_account_token = false;
  quiet.image_pull_secrets = {"pull"};
  REQUIRE(h.create(model::Object(quiet)).ok());
  h.settle();
  REQUIRE(h.create(model::Object(testing::pod("default", "plain"))).ok());
  REQUIRE(h.create(model::Object(testing::pod("default", "silent", "quiet"))).ok());
  model::Pod forced = testing::pod("default", "forced", "quiet");
  forced.spec.automount_service_account_token = true;
  forced.spec.image_pull_secrets = {"own"};
  REQUIRE(h.create(model::Object(forced)).ok());
  h.settle();
  CHECK(checker.passed(true));
  for (const InvariantResult& r : checker.results()) {
    INFO(r.info.name);
    CHECK(r.checks == 3);
    CHECK(r.held());
  }
  // What the checks saw: the forced pod got a token, the silent one none.
  const auto* silent = model::as<model::Pod>(h.store().get(model::Kind::kPod, "default", "silent"));
  CHECK(silent->spec.volumes.empty());
  CHECK(silent->spec.image_pull_secrets == std::vector<std::string>{"pull"});
  const auto* admitted = model::as<model::Pod>(h.store().get(model::Kind::kPod, "default", "forced"));
  CHECK(admitted->spec.volumes.size() == 1);
}

TEST_CASE("a pod admitted through admission's stale cache after its account was deleted is a violation") {
  model::ClusterConfig config = model::default_cluster_config();
  config.apiserver.admission_watch_lag = sim::Duration::seconds(10);
  Harness h(72, config);
  InvariantChecker checker(h.cluster, admission_invariants());
  checker.attach();
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(20));
  REQUIRE(h.remove(model::Kind::kServiceAccount, "default", "robot").ok());
  // Admission still sees robot and its token for another 10 s.
  REQUIRE(h.create(model::Object(testing::pod("default", "orphan", "robot"))).ok());
  const InvariantResult& r = result(checker, kAdmittedPodsUseExistingServiceAccount);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].objects == std::vector<std::string>{"pod/default/orphan", "serviceaccount/default/robot"});
  CHECK(r.violations[0].message == "pod/default/orphan was admitted although its ServiceAccount \"robot\" did not exist");
  // Nothing to compare automount and pull secrets with: not judged.
  CHECK(result(checker, kAdmittedPodsFollowAutomount).checks == 0);
  CHECK(result(checker, kAdmittedPodsInheritImagePullSecrets).checks == 0);
}

TEST_CASE("an admission whose account is null is a violation but a mirror pod is exempt") {
  Harness h(73);
  InvariantChecker checker(h.cluster, admission_invariants());
  model::Pod mirror = testing::pod("default", "static-web");
  mirror.metadata.annotations[std::string(model::kMirrorPodAnnotation)] = "hash";
  checker.on_pod_admitted(mirror, nullptr, h.simulator.now());
  for (const InvariantResult& r : checker.results()) {
    CHECK(r.checks == 0);
    CHECK(r.held());
  }
  checker.on_pod_admitted(testing::pod("default", "stray", "nobody"), nullptr, h.simulator.now());
  CHECK(result(checker, kAdmittedPodsUseExistingServiceAccount).violation_count == 1);
}

TEST_CASE("a pod admitted with a token mount although automount is off is a violation") {
  Harness h(74);
  InvariantChecker checker(h.cluster, admission_invariants());
  h.settle();
  model::ServiceAccount quiet = std::get<model::ServiceAccount>(model::testing::service_account("default", "quiet"));
  quiet.automount_service_account_token = false;
  checker.on_pod_admitted(pod_with_token_mount("leaky", "quiet", "quiet-token-abcde"), testing::ptr(quiet),
                          h.simulator.now());
  // The pod's own false wins over an account that says yes.
  model::Pod refused = pod_with_token_mount("refused", "default", "default-token-abcde");
  refused.spec.automount_service_account_token = false;
  checker.on_pod_admitted(refused, stored_account(h, "default"), h.simulator.now());
  const InvariantResult& r = result(checker, kAdmittedPodsFollowAutomount);
  REQUIRE(r.violation_count == 2);
  CHECK(r.violations[0].message ==
        "pod/default/leaky was admitted with a token mount at /var/run/secrets/kubernetes.io/serviceaccount "
        "(container app) although automount is off");
  CHECK(r.violations[1].objects == std::vector<std::string>{"pod/default/refused", "serviceaccount/default/default"});
}

TEST_CASE("a pod admitted without a token mount it should have is a violation when requireAPIToken is on") {
  Harness h(75);
  InvariantChecker checker(h.cluster, admission_invariants());
  h.settle();
  checker.on_pod_admitted(testing::pod("default", "bare", "default"), stored_account(h, "default"), h.simulator.now());
  const InvariantResult& r = result(checker, kAdmittedPodsFollowAutomount);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].message ==
        "pod/default/bare was admitted without a token mount at /var/run/secrets/kubernetes.io/serviceaccount in "
        "container app");
}

TEST_CASE("without requireAPIToken a pod may be admitted before its account has a token") {
  model::ClusterConfig config = model::default_cluster_config();
  config.apiserver.admission.require_api_token = false;
  Harness h(76, config);
  InvariantChecker checker(h.cluster, admission_invariants());
  checker.attach();
  h.settle();
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(5));
  model::ApiResponse created = h.create(model::Object(testing::pod("default", "early", "robot")));
  REQUIRE(created.ok());
  CHECK(std::get<model::Pod>(*created.object).spec.volumes.empty());
  const InvariantResult& r = result(checker, kAdmittedPodsFollowAutomount);
  CHECK(r.checks == 1);
  CHECK(r.held());
}

TEST_CASE("a pod admitted through a stale cache without its account's new imagePullSecrets is a violation") {
  model::ClusterConfig config = model::default_cluster_config();
  config.apiserver.admission_watch_lag = sim::Duration::seconds(10);
  Harness h(77, config);
  InvariantChecker checker(h.cluster, admission_invariants());
  checker.attach();
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(20));
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", "robot", {{"imagePullSecrets", {{{"name", "pull"}}}}}).ok());
  model::ApiResponse created = h.create(model::Object(testing::pod("default", "stale", "robot")));
  REQUIRE(created.ok());
  CHECK(std::get<model::Pod>(*created.object).spec.image_pull_secrets.empty());
  const InvariantResult& r = result(checker, kAdmittedPodsInheritImagePullSecrets);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].message ==
        "pod/default/stale was admitted without imagePullSecrets although its ServiceAccount has [pull]");
  CHECK(result(checker, kAdmittedPodsUseExistingServiceAccount).held());
  CHECK(result(checker, kAdmittedPodsFollowAutomount).held());
}

TEST_CASE("an admission that drops the account's imagePullSecrets is a violation") {
  Harness h(78);
  InvariantChecker checker(h.cluster, admission_invariants());
  model::ServiceAccount sa = std::get<model::ServiceAccount>(model::testing::service_account("default", "robot"));
  sa.image_pull_secrets = {"a", "b"};
  checker.on_pod_admitted(pod_with_token_mount("p", "robot", "robot-token-x"), testing::ptr(sa), h.simulator.now());
  const InvariantResult& r = result(checker, kAdmittedPodsInheritImagePullSecrets);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].message.find("[a, b]") != std::string::npos);
  // A pod that brought its own keeps them.
  model::Pod own = pod_with_token_mount("q", "robot", "robot-token-x");
  own.spec.image_pull_secrets = {"mine"};
  checker.on_pod_admitted(own, testing::ptr(sa), h.simulator.now());
  CHECK(r.violation_count == 1);
  CHECK(r.checks == 2);
}

}  // namespace
}  // namespace sasim::properties
