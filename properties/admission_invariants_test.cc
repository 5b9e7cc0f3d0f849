// The three admission invariants. They hold for pods admitted by a healthy
// apiserver; they break when admission's caches lag storage (a real path:
// admission.watchLag), and for admissions fed to the observer that break
// the rule outright. Mirror pods are exempt.
#include <catch2/catch.hpp>

#include "properties/admission_checks.h"
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
  // Automount follows the account admission read from its cache, and did;
  // storage has no account to compare pull secrets with: not judged.
  CHECK(result(checker, kAdmittedPodsFollowAutomount).checks == 1);
  CHECK(result(checker, kAdmittedPodsFollowAutomount).held());
  CHECK(result(checker, kAdmittedPodsInheritImagePullSecrets).checks == 0);
}

TEST_CASE("an admission whose account is null is a violation but a mirror pod is exempt") {
  Harness h(73);
  InvariantChecker checker(h.cluster, admission_invariants());
  model::Pod mirror = testing::pod("default", "static-web");
  mirror.metadata.annotations[std::string(model::kMirrorPodAnnotation)] = "hash";
  checker.on_pod_admitted(mirror, testing::admission(nullptr), h.simulator.now());
  for (const InvariantResult& r : checker.results()) {
    CHECK(r.checks == 0);
    CHECK(r.held());
  }
  checker.on_pod_admitted(testing::pod("default", "stray", "nobody"), testing::admission(nullptr),
                          h.simulator.now());
  CHECK(result(checker, kAdmittedPodsUseExistingServiceAccount).violation_count == 1);
}

TEST_CASE("a pod admitted with a token mount although automount is off is a violation") {
  Harness h(74);
  InvariantChecker checker(h.cluster, admission_invariants());
  h.settle();
  model::ServiceAccount quiet = std::get<model::ServiceAccount>(model::testing::service_account("default", "quiet"));
  quiet.automount_service_account_token = false;
  checker.on_pod_admitted(pod_with_token_mount("leaky", "quiet", "quiet-token-abcde"),
                          testing::admission(testing::ptr(quiet)), h.simulator.now());
  // The pod's own false wins over an account that says yes.
  model::Pod refused = pod_with_token_mount("refused", "default", "default-token-abcde");
  refused.spec.automount_service_account_token = false;
  checker.on_pod_admitted(refused, testing::admission(stored_account(h, "default")), h.simulator.now());
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
  checker.on_pod_admitted(testing::pod("default", "bare", "default"), testing::admission(stored_account(h, "default")),
                          h.simulator.now());
  const InvariantResult& r = result(checker, kAdmittedPodsFollowAutomount);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].message ==
        "pod/default/bare was admitted without a token mount at /var/run/secrets/kubernetes.io/serviceaccount in "
        "container app");
}

// Admission reads its informer cache first. When the account changed
// moments before, the pod follows the version admission read, not the one
// storage holds: judging it against storage was a false alarm.
TEST_CASE("automount is judged against the account admission decided with and not storage's newer version") {
  Harness h(76);
  InvariantChecker checker(h.cluster, admission_invariants());
  h.settle();
  model::ServiceAccount cached = std::get<model::ServiceAccount>(model::testing::service_account("default", "robot"));
  model::ServiceAccount stored = cached;
  stored.automount_service_account_token = false;  // patched after admission's cache last saw it
  model::PodAdmission seen;
  seen.reads.push_back(model::AccountRead{.account = testing::ptr(cached), .from_cache = true});
  seen.stored_account = testing::ptr(stored);
  checker.on_pod_admitted(pod_with_token_mount("p", "robot", "robot-token-x"), seen, h.simulator.now());
  CHECK(result(checker, kAdmittedPodsFollowAutomount).held());
  CHECK(result(checker, kAdmittedPodsFollowAutomount).checks == 1);
  // The other way round it is the plugin's mistake: it read false and mounted.
  std::swap(seen.reads.front().account, seen.stored_account);
  checker.on_pod_admitted(pod_with_token_mount("q", "robot", "robot-token-x"), seen, h.simulator.now());
  REQUIRE(result(checker, kAdmittedPodsFollowAutomount).violation_count == 1);
  CHECK(result(checker, kAdmittedPodsFollowAutomount).violations[0].objects.front() == "pod/default/q");
}

// On a cache miss admission fetches the account live: that version decides.
TEST_CASE("a live lookup after a cache miss is the account admission decided with") {
  model::ServiceAccount live = std::get<model::ServiceAccount>(model::testing::service_account("default", "robot"));
  live.automount_service_account_token = false;
  model::PodAdmission a;
  a.reads.push_back(model::AccountRead{.account = nullptr, .from_cache = true});
  a.reads.push_back(model::AccountRead{.account = testing::ptr(live), .from_cache = false});
  a.reads.push_back(model::AccountRead{.account = nullptr, .from_cache = true});
  REQUIRE(a.mutated_with() != nullptr);
  CHECK(a.mutated_with()->automount_service_account_token == std::optional<bool>(false));
  CHECK(a.validated_with() == a.mutated_with());
}

TEST_CASE("the automount precedence: the pod's setting then the account's then true") {
  model::ServiceAccount sa = std::get<model::ServiceAccount>(model::testing::service_account("default", "robot"));
  model::Pod pod = testing::pod("default", "p", "robot");
  CHECK(expected_automount(pod, nullptr) == std::nullopt);
  CHECK(expected_automount(pod, &sa) == std::optional<bool>(true));
  sa.automount_service_account_token = false;
  CHECK(expected_automount(pod, &sa) == std::optional<bool>(false));
  pod.spec.automount_service_account_token = true;  // the pod wins, both ways
  CHECK(expected_automount(pod, &sa) == std::optional<bool>(true));
  sa.automount_service_account_token = true;
  pod.spec.automount_service_account_token = false;
  CHECK(expected_automount(pod, &sa) == std::optional<bool>(false));
  CHECK(expected_automount(pod, nullptr) == std::optional<bool>(false));
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
  checker.on_pod_admitted(pod_with_token_mount("p", "robot", "robot-token-x"), testing::admission(testing::ptr(sa)),
                          h.simulator.now());
  const InvariantResult& r = result(checker, kAdmittedPodsInheritImagePullSecrets);
  REQUIRE(r.violation_count == 1);
  CHECK(r.violations[0].message.find("[a, b]") != std::string::npos);
  // A pod that brought its own keeps them.
  model::Pod own = pod_with_token_mount("q", "robot", "robot-token-x");
  own.spec.image_pull_secrets = {"mine"};
  checker.on_pod_admitted(own, testing::admission(testing::ptr(sa)), h.simulator.now());
  CHECK(r.violation_count == 1);
  CHECK(r.checks == 2);
}

}  // namespace
}  // namespace sasim::properties
