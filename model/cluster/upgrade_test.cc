// Cluster::upgrade: a component stops as a crash stops it, comes back with
// exactly the settings a cluster started at the new release gives it, and
// what is stored persists. The skew policy is the scenario parser's
// (model/versions/version_skew.h), not tested here.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "model/cluster/node_status_reporter.h"
#include "model/cluster/test_harness.h"
#include "model/versions/behaviour.h"

namespace sasim::model {
namespace {

using testing::Harness;
using testing::release;
using testing::release_behaviour;
using versions::Component;

// Upgrades one component and runs until it serves again; the instant it did.
sim::Time upgrade(Harness& h, Component component, int minor, sim::Duration downtime = sim::Duration::seconds(10)) {
  bool serving = false;
  h.cluster.upgrade(component, release_behaviour(minor), downtime, [&] { serving = true; });
  h.simulator.run({.stop_when = [&] { return serving; }});
  REQUIRE(serving);
  return h.simulator.now();
}

bool has_secret_volume(const ApiResponse& response) {
  const auto& pod = std::get<Pod>(*response.object);
  for (const Volume& v : pod.spec.volumes) {
    if (v.secret) return true;
  }
  return false;
}

TEST_CASE("an upgraded apiserver gets exactly what a cluster started at the new release gives it") {
  Harness old(1, release(20));
  old.settle();
  upgrade(old, Component::kApiServer, 21);
  Harness fresh(1, release(21));
  const ApiServerConfig& upgraded = old.cluster.apiserver().config();
  const ApiServerConfig& started = fresh.cluster.apiserver().config();
  CHECK(upgraded.behaviour.version == started.behaviour.version);
  CHECK(upgraded.admission.bound_service_account_token_volume == started.admission.bound_service_account_token_volume);
  CHECK(upgraded.admission.bound_token_expiration_seconds == started.admission.bound_token_expiration_seconds);
  CHECK(upgraded.admission.bound_token_default_mode == started.admission.bound_token_default_mode);
  CHECK(upgraded.authenticator.bound.capitalised_messages == started.authenticator.bound.capitalised_messages);
  CHECK(upgraded.token_issuer.issuers == started.token_issuer.issuers);
  CHECK(old.cluster.release(Component::kApiServer).version == versions::KubeVersion{21});
  CHECK(old.cluster.release(Component::kControllerManager).version == versions::KubeVersion{20});
  CHECK(old.cluster.upgrades() == 1);
}

TEST_CASE("pods admitted after the apiserver's upgrade follow the new release while older pods keep their volumes") {
  Harness h(2, release(20));
  h.settle();
  const ApiResponse before = h.create(testing::pod("default", "before"));
  REQUIRE(before.ok());
  CHECK(has_secret_volume(before));
  const sim::Time stopped = h.simulator.now();
  const sim::Time serving = upgrade(h, Component::kApiServer, 21, sim::Duration::seconds(10));
  CHECK(serving - stopped == sim::Duration::seconds(10));
  const ApiResponse after = h.create(testing::pod("default", "after"));
  REQUIRE(after.ok());
  CHECK_FALSE(has_secret_volume(after));
  // Storage survived the restart; the old pod's volumes did not change.
  const ObjectPtr kept = h.store().get(Kind::kPod, "default", "before");
  REQUIRE(kept != nullptr);
  bool secret_volume = false;
  for (const Volume& v : std::get<Pod>(*kept).spec.volumes) secret_volume = secret_volume || v.secret.has_value();
  CHECK(secret_volume);
}

TEST_CASE("requests in flight when the apiserver stops for an upgrade fail as a restart fails them") {
  Harness h(3, release(23));
  h.settle();
  std::optional<ApiResponse> response;
  auto request = Harness::request(Verb::kCreate, Kind::kServiceAccount, "default", "racer");
  request->body = std::make_shared<const Object>(testing::service_account("default", "racer"));
  h.cluster.submit(std::move(request), [&](ApiResponse r) { response = std::move(r); });
  bool serving = false;
  h.cluster.upgrade(Component::kApiServer, release_behaviour(24), sim::Duration::seconds(10), [&] { serving = true; });
  h.simulator.run({.stop_when = [&] { return response.has_value() && serving; }});
  REQUIRE(response.has_value());
  CHECK_FALSE(response->ok());
}

TEST_CASE("the controller-manager upgraded to 1.24 makes no token Secret for new accounts and old ones stay") {
  Harness h(4, release(23));
  h.settle();
  REQUIRE(h.create(testing::service_account("default", "old")).ok());
  h.settle();
  const ObjectPtr old_sa = h.store().get(Kind::kServiceAccount, "default", "old");
  REQUIRE(std::get<ServiceAccount>(*old_sa).secrets.size() == 1);
  upgrade(h, Component::kApiServer, 24);
  // Mixed releases: the 1.23 controller-manager still generates.
  REQUIRE(h.create(testing::service_account("default", "between")).ok());
  h.settle();
  CHECK(std::get<ServiceAccount>(*h.store().get(Kind::kServiceAccount, "default", "between")).secrets.size() == 1);
  upgrade(h, Component::kControllerManager, 24);
  CHECK_FALSE(h.cluster.tokens_controller().tokens_options().auto_generate);
  REQUIRE(h.create(testing::service_account("default", "new")).ok());
  h.settle();
  CHECK(std::get<ServiceAccount>(*h.store().get(Kind::kServiceAccount, "default", "new")).secrets.empty());
  const auto& old_after = std::get<ServiceAccount>(*h.store().get(Kind::kServiceAccount, "default", "old"));
  REQUIRE(old_after.secrets.size() == 1);
  CHECK(h.store().get(Kind::kSecret, "default", old_after.secrets[0].name) != nullptr);
}

TEST_CASE("a controller the new release runs starts with the controller-manager's upgrade") {
  Harness h(5, release(20, {{"RootCAConfigMap", false}}));
  h.settle();
  REQUIRE(h.cluster.root_ca_publisher() == nullptr);
  CHECK(h.cluster.actors_of(Component::kControllerManager).size() == 3);
  upgrade(h, Component::kApiServer, 21);
  upgrade(h, Component::kControllerManager, 21);
  REQUIRE(h.cluster.root_ca_publisher() != nullptr);
  CHECK(h.cluster.actors_of(Component::kControllerManager).back() == Cluster::kRootCaPublisher);
  h.settle();
  CHECK(h.store().get(Kind::kConfigMap, "default", "kube-root-ca.crt") != nullptr);
}

TEST_CASE("the broken variant keeps the apiserver's old release") {
  ClusterConfig config = release(20);
  config.broken_upgrade_keeps_apiserver_release = true;
  Harness h(6, config);
  h.settle();
  upgrade(h, Component::kApiServer, 21);
  CHECK(h.cluster.release(Component::kApiServer).version == versions::KubeVersion{21});
  const ApiResponse after = h.create(testing::pod("default", "after"));
  REQUIRE(after.ok());
  CHECK(has_secret_volume(after));  // what the invariants and reference model catch
}

TEST_CASE("an upgraded kubelet rewrites its Nodes' nodeInfo as its first status sync does") {
  ClusterConfig config = release(27);
  config.nodes = {"node-1", "node-2"};
  Harness h(7, config);
  h.settle();
  auto node_info = [&](const std::string& name) {
    const auto* node = as<Node>(h.store().get(Kind::kNode, "", name));
    REQUIRE(node != nullptr);
    REQUIRE(node->status.extra);
    return node->status.extra->at("nodeInfo");
  };
  CHECK(node_info("node-1").at("kubeletVersion") == "v1.27.16");
  const std::string boot_id = node_info("node-1").at("bootID");
  // The apiserver and controller-manager upgrades leave the Nodes alone.
  upgrade(h, Component::kApiServer, 28);
  upgrade(h, Component::kControllerManager, 28);
  h.settle();
  CHECK(node_info("node-1").at("kubeletVersion") == "v1.27.16");
  CHECK(h.cluster.node_status_reporter() == nullptr);
  upgrade(h, Component::kKubelet, 28);
  h.settle();
  REQUIRE(h.cluster.node_status_reporter() != nullptr);
  CHECK(h.cluster.node_status_reporter()->written() == 2);
  for (const std::string name : {"node-1", "node-2"}) {
    const auto info = node_info(name);
    CHECK(info.at("kubeletVersion") == "v1.28.15");
    CHECK(info.at("kubeProxyVersion") == "v1.28.15");
  }
  // The rest of nodeInfo stays as registered.
  CHECK(node_info("node-1").at("bootID") == boot_id);
  // Once more, to a release whose node image differs (1.31: containerd 2.1).
  for (int minor : {29, 30, 31}) {
    for (Component c : versions::kUpgradeOrder) upgrade(h, c, minor);
  }
  h.settle();
  CHECK(node_info("node-2").at("kubeletVersion") == "v1.31.9");
  CHECK(node_info("node-2").at("containerRuntimeVersion") == "containerd://2.1.1");
  // Written by the kubelet's client, as the Node's status subresource.
  CHECK(h.cluster.node_status_reporter()->written() == 8);
}


TEST_CASE("the kubelet's client limits follow its release and change with the kubelet's upgrade to 1.27") {
  Harness h(3, release(26));
  h.settle();
  CHECK(h.cluster.kubelet().client_options().qps == 5);
  CHECK(h.cluster.kubelet().client_options().burst == 10);
  upgrade(h, Component::kApiServer, 27);
  upgrade(h, Component::kControllerManager, 27);
  // The kubelet is still 1.26's.
  CHECK(h.cluster.kubelet().client_options().qps == 5);
  upgrade(h, Component::kKubelet, 27);
  CHECK(h.cluster.kubelet().client_options().qps == 50);
  CHECK(h.cluster.kubelet().client_options().burst == 100);
  // As a cluster started at 1.27 has them.
  Harness fresh(3, release(27));
  CHECK(fresh.cluster.kubelet().client_options().qps == 50);
  CHECK(fresh.cluster.kubelet().client_options().burst == 100);
}

}  // namespace
}  // namespace sasim::model
