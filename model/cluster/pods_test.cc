// Pods through the whole control plane: admission mounts the account's
// token, the kubelet starts the pod, and its process authenticates with the
// mounted token; the seeds' "a process inside a Pod can use the identity of
// its associated service account" and "the old Secret is no longer valid".
#include <catch2/catch.hpp>

#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"

namespace sasim::model {
namespace {

using testing::Harness;

Object pod(std::string name, std::string service_account = "") {
  Pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = std::move(name);
  p.spec.service_account_name = std::move(service_account);
  Container c;
  c.name = "app";
  c.image = "nginx";
  p.spec.containers.push_back(std::move(c));
  return p;
}

TEST_CASE("an admitted pod mounts its account's token and its process authenticates with it") {
  Harness h(21);
  h.run_for(sim::Duration::minutes(2));
  ApiResponse created = h.create(pod("my-pod"));
  REQUIRE(created.ok());
  const Pod& admitted = std::get<Pod>(*created.object);
  CHECK(admitted.spec.service_account_name == "default");
  const Store& store = h.cluster.apiserver().store();
  const std::string token_secret =
      as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"))->secrets.at(0).name;
  REQUIRE(admitted.spec.volumes.size() == 1);
  REQUIRE(admitted.spec.volumes[0].secret.has_value());
  CHECK(admitted.spec.volumes[0].secret->secret_name == token_secret);
  REQUIRE(admitted.spec.containers[0].volume_mounts.size() == 1);
  CHECK(admitted.spec.containers[0].volume_mounts[0].mount_path == kDefaultApiTokenMountPath);
  CHECK(admitted.spec.containers[0].volume_mounts[0].read_only);

  h.run_for(sim::Duration::minutes(1));
  const auto* running = as<Pod>(store.get(Kind::kPod, "default", "my-pod"));
  REQUIRE(running != nullptr);
  CHECK(running->status.phase == PodPhase::kRunning);
  const auto& log = h.cluster.kubelet().auth_log();
  // One run of same outcomes: every 10 s for a minute.
  REQUIRE(log.size() == 1);
  CHECK(log.front().count >= 3);
  CHECK(log.front().last > log.front().time);
  for (const kubelet::AuthRecord& record : log) {
    CHECK(record.authenticated);
    CHECK(record.username == "system:serviceaccount:default:default");
    CHECK(record.secret == token_secret);
  }

  // Delete the token: the controller replaces it, and the pod's old token
  // stops working (lookup finds its Secret gone).
  REQUIRE(h.remove(Kind::kSecret, "default", token_secret).ok());
  const std::size_t before = log.size();
  h.run_for(sim::Duration::seconds(30));
  REQUIRE(log.size() > before);
  CHECK_FALSE(log.back().authenticated);
  CHECK(log.back().error == "Token has been invalidated");
  const auto* sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"));
  REQUIRE(sa->secrets.size() == 1);
  CHECK(sa->secrets[0].name != token_secret);
}

TEST_CASE("a pod created before its account has a token is refused with ServerTimeout") {
  Harness h(22);
  h.run_for(sim::Duration::minutes(1));
  ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "build-robot";
  REQUIRE(h.create(Object(sa)).ok());
  // At once: the tokens controller has not created the token yet.
  ApiResponse refused = h.create(pod("early", "build-robot"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 500);
  CHECK(refused.error->reason == "ServerTimeout");
  CHECK(refused.error->details.retry_after_seconds == 1);
  CHECK(refused.error->message ==
        "No API token found for service account \"build-robot\", retry after the token is automatically created and "
        "added to the service account");
  h.run_for(sim::Duration::seconds(5));
  CHECK(h.create(pod("later", "build-robot")).ok());
}

TEST_CASE("a pod naming a missing account is forbidden") {
  Harness h(23);
  h.run_for(sim::Duration::minutes(1));
  ApiResponse refused = h.create(pod("lost", "nobody"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 403);
  CHECK(refused.error->message ==
        "pods \"lost\" is forbidden: error looking up service account default/nobody: serviceaccount \"nobody\" not "
        "found");
}

TEST_CASE("automountServiceAccountToken false on the account means no token and no authentication") {
  Harness h(24);
  h.run_for(sim::Duration::minutes(1));
  ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "build-robot";
  sa.automount_service_account_token = false;
  REQUIRE(h.create(Object(sa)).ok());
  h.run_for(sim::Duration::seconds(5));
  ApiResponse created = h.create(pod("quiet", "build-robot"));
  REQUIRE(created.ok());
  CHECK(std::get<Pod>(*created.object).spec.volumes.empty());
  h.run_for(sim::Duration::minutes(1));
  CHECK(as<Pod>(h.cluster.apiserver().store().get(Kind::kPod, "default", "quiet"))->status.phase == PodPhase::kRunning);
  CHECK(h.cluster.kubelet().auth_log().empty());
}

TEST_CASE("a pod whose token Secret is missing waits in the kubelet until it appears") {
  ClusterConfig config = default_cluster_config();
  config.apiserver.admission.require_api_token = false;
  Harness h(25, config);
  h.run_for(sim::Duration::minutes(1));
  Pod p = std::get<Pod>(pod("waiting"));
  Volume v;
  v.name = "creds";
  v.secret = SecretVolumeSource{};
  v.secret->secret_name = "later-secret";
  p.spec.volumes.push_back(v);
  REQUIRE(h.create(Object(p)).ok());
  h.run_for(sim::Duration::seconds(30));
  const Store& store = h.cluster.apiserver().store();
  CHECK(as<Pod>(store.get(Kind::kPod, "default", "waiting"))->status.phase == PodPhase::kPending);
  Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "later-secret";
  REQUIRE(h.create(Object(s)).ok());
  h.run_for(sim::Duration::minutes(3));
  CHECK(as<Pod>(store.get(Kind::kPod, "default", "waiting"))->status.phase == PodPhase::kRunning);
}

}  // namespace
}  // namespace sasim::model
