// Pods, nodes and deletion as a 1.20 cluster has them: the four namespaces
// and the node of a fresh cluster, scheduling, the kubelet's statuses,
// graceful pod deletion with the kubelet's confirmation, and finalizers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "model/cluster/test_harness.h"
#include "model/objects/codec.h"

namespace sasim::model {
namespace {

using nlohmann::json;
using testing::Harness;

ClusterConfig two_nodes() {
  ClusterConfig config = default_cluster_config();
  config.nodes = {"node-b", "node-a"};
  return config;
}

// Every committed change of one object, as watchers see them.
struct Changes final : ApiServerObserver {
  Kind kind;
  std::string name;
  std::vector<StoreChange> seen;
  Changes(Kind k, std::string n) : kind(k), name(std::move(n)) {}
  void on_commit(const StoreChange& change, sim::Time) override {
    if (kind_of(*change.object) == kind && meta(*change.object).name == name) seen.push_back(change);
  }
};

json status_of(const Store& store, const std::string& ns, const std::string& name) {
  const auto* pod = as<Pod>(store.get(Kind::kPod, ns, name));
  REQUIRE(pod != nullptr);
  return encode_object(Object(*pod))["status"];
}

TEST_CASE("a fresh cluster has four namespaces with accounts and one Ready node") {
  Harness h(31);
  h.settle();
  for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    INFO(ns);
    CHECK(h.store().get(Kind::kNamespace, "", ns) != nullptr);
    CHECK(h.store().get(Kind::kServiceAccount, ns, "default") != nullptr);
  }
  CHECK(h.store().count(Kind::kNamespace) == 4);
  REQUIRE(h.store().count(Kind::kNode) == 1);
  const auto* node = as<Node>(h.store().get(Kind::kNode, "", "node-1"));
  REQUIRE(node != nullptr);
  CHECK(node_ready(*node));
  CHECK(node_address(*node, "InternalIP") == "10.0.0.2");
  CHECK(node->spec.pod_cidr == "10.244.0.0/24");
  CHECK(encode_object(Object(*node))["status"]["nodeInfo"]["kubeletVersion"] == "v1.20.15");
}

TEST_CASE("a pod is stored with 1.20's defaults then bound to the node and reported running") {
  Harness h(32);
  h.run_for(sim::Duration::minutes(1));
  Changes changes(Kind::kPod, "web");
  h.cluster.apiserver().add_observer(&changes);
  ApiResponse created = h.create(testing::pod("default", "web"));
  REQUIRE(created.ok());
  const json spec = encode_object(*created.object)["spec"];
  CHECK_FALSE(spec.contains("nodeName"));  // the create answer comes before the binding
  CHECK(spec["dnsPolicy"] == "ClusterFirst");
  CHECK(spec["priority"] == 0);
  CHECK(spec["tolerations"].size() == 2);
  CHECK(spec["volumes"][0]["secret"]["defaultMode"] == 420);
  CHECK(encode_object(*created.object)["status"] == json{{"phase", "Pending"}, {"qosClass", "BestEffort"}});

  h.run_for(sim::Duration::minutes(1));
  REQUIRE(changes.seen.size() >= 4);
  // ADDED, then the binding, then the kubelet's Pending and Running reports.
  CHECK(changes.seen[0].type == WatchEventType::kAdded);
  CHECK(std::get<Pod>(*changes.seen[1].object).spec.node_name == "node-1");
  CHECK(std::get<Pod>(*changes.seen[2].object).status.phase == PodPhase::kPending);
  CHECK(std::get<Pod>(*changes.seen[3].object).status.phase == PodPhase::kRunning);

  const json status = status_of(h.store(), "default", "web");
  CHECK(status["phase"] == "Running");
  CHECK(status["hostIP"] == "10.0.0.2");
  CHECK(status["podIP"] == "10.244.0.2");
  CHECK(status["podIPs"] == json::array({{{"ip", "10.244.0.2"}}}));
  CHECK(status["qosClass"] == "BestEffort");
  std::vector<std::string> types;
  for (const json& c : status["conditions"]) {
    types.push_back(c["type"]);
    CHECK(c["status"] == "True");
  }
  CHECK(types == std::vector<std::string>{"Initialized", "Ready", "ContainersReady", "PodScheduled"});
  const json container = status["containerStatuses"][0];
  CHECK(container["name"] == "app");
  CHECK(container["image"] == "docker.io/library/nginx:latest");
  CHECK(container["ready"] == true);
  CHECK(container["started"] == true);
  CHECK(container["restartCount"] == 0);
  CHECK(container["state"]["running"].contains("startedAt"));
  CHECK(container["containerID"].get<std::string>().rfind("containerd://", 0) == 0);
}

TEST_CASE("pods go to the node with the fewest pods (ties by name) and get addresses from its CIDR") {
  Harness h(33, two_nodes());
  h.run_for(sim::Duration::minutes(1));
  for (const char* name : {"p1", "p2", "p3"}) REQUIRE(h.create(testing::pod("default", name)).ok());
  h.run_for(sim::Duration::minutes(1));
  auto node_of = [&](const char* name) { return as<Pod>(h.store().get(Kind::kPod, "default", name))->spec.node_name; };
  CHECK(node_of("p1") == "node-a");
  CHECK(node_of("p2") == "node-b");
  CHECK(node_of("p3") == "node-a");
  // node-b is the first listed: index 0, 10.244.0.0/24; node-a 10.244.1.0/24.
  CHECK(status_of(h.store(), "default", "p1")["podIP"] == "10.244.1.2");
  CHECK(status_of(h.store(), "default", "p3")["podIP"] == "10.244.1.3");
  CHECK(status_of(h.store(), "default", "p2")["podIP"] == "10.244.0.2");
  CHECK(status_of(h.store(), "default", "p2")["hostIP"] == "10.0.0.2");
}

// When each pod's kubelet reported it Running.
struct RunningTimes final : ApiServerObserver {
  std::map<std::string, sim::Time> at;
  void on_commit(const StoreChange& change, sim::Time now) override {
    const Pod* pod = std::get_if<Pod>(change.object.get());
    if (pod != nullptr && pod->status.phase == PodPhase::kRunning) at.emplace(pod->metadata.name, now);
  }
};

TEST_CASE("each node's kubelet has its own client limits: a busy node does not delay another node's pods") {
  // 80 pods on node-a need some 320 status requests at 5 qps (burst 10):
  // a minute of node-a's limiter. A pod on node-b waits for none of them.
  Harness h(34, two_nodes());
  h.run_for(sim::Duration::minutes(1));
  RunningTimes running;
  h.cluster.apiserver().add_observer(&running);
  auto pod_on = [](const std::string& name, const std::string& node) {
    Object object = testing::pod("default", name);
    std::get<Pod>(object).spec.node_name = node;
    return object;
  };
  const sim::Time start = h.simulator.now();
  for (int i = 0; i < 80; ++i) REQUIRE(h.create(pod_on("busy-" + std::to_string(i), "node-a")).ok());
  REQUIRE(h.create(pod_on("lone", "node-b")).ok());
  h.run_for(sim::Duration::minutes(3));
  REQUIRE(running.at.size() == 81);
  sim::Time last_busy = start;
  for (const auto& [name, at] : running.at) {
    if (name != "lone") last_busy = std::max(last_busy, at);
  }
  // node-a's own limiter is the bottleneck: its last pod runs after 40 s.
  CHECK(last_busy - start > sim::Duration::seconds(40));
  // node-b's pod runs as a pod alone would: after its start latency and a
  // few requests, well before node-a's queue has drained.
  CHECK(running.at.at("lone") - start < sim::Duration::seconds(15));
}

TEST_CASE("without a schedulable node a pod stays pending and is bound when a node appears") {
  ClusterConfig config = default_cluster_config();
  config.nodes.clear();
  Harness h(34, config);
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(testing::pod("default", "waiting")).ok());
  h.run_for(sim::Duration::minutes(1));
  CHECK(as<Pod>(h.store().get(Kind::kPod, "default", "waiting"))->spec.node_name.empty());
  CHECK(status_of(h.store(), "default", "waiting")["phase"] == "Pending");

  // An unscheduled pod is deleted at once: no kubelet has anything to stop.
  REQUIRE(h.create(testing::pod("default", "gone")).ok());
  ApiResponse deleted = h.remove(Kind::kPod, "default", "gone");
  REQUIRE(deleted.ok());
  CHECK(h.store().get(Kind::kPod, "default", "gone") == nullptr);

  Node node;
  node.metadata.name = "late";
  node.status.conditions = {NodeCondition{"Ready", "True", std::nullopt, std::nullopt, "", ""}};
  REQUIRE(h.create(Object(node)).ok());
  CHECK(as<Pod>(h.store().get(Kind::kPod, "default", "waiting"))->spec.node_name == "late");
}

TEST_CASE("deleting a running pod is graceful: the kubelet stops it and confirms within the grace period") {
  Harness h(35);
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(testing::pod("default", "web")).ok());
  h.run_for(sim::Duration::minutes(1));
  Changes changes(Kind::kPod, "web");
  h.cluster.apiserver().add_observer(&changes);
  const sim::Time deleted_at = h.simulator.now();
  ApiResponse deleted = h.remove(Kind::kPod, "default", "web");
  REQUIRE(deleted.ok());
  const ObjectMeta& m = meta(*deleted.object);
  REQUIRE(m.deletion_timestamp.has_value());
  CHECK(m.deletion_grace_period_seconds == 30);
  // deletionTimestamp is the end of the grace period: now + 30 s.
  CHECK(*m.deletion_timestamp - deleted_at >= sim::Duration::seconds(30));
  CHECK(*m.deletion_timestamp - deleted_at < sim::Duration::seconds(31));
  CHECK(h.store().get(Kind::kPod, "default", "web") != nullptr);

  h.run_for(sim::Duration::seconds(29));
  CHECK(h.store().get(Kind::kPod, "default", "web") == nullptr);
  // The terminated status, the confirmation's write (grace 0), the removal.
  REQUIRE(changes.seen.size() == 4);
  const Pod& stopped = std::get<Pod>(*changes.seen[1].object);
  const json container = encode_object(Object(stopped))["status"]["containerStatuses"][0];
  CHECK(container["state"]["terminated"]["reason"] == "Completed");
  CHECK(container["state"]["terminated"]["exitCode"] == 0);
  CHECK(container["ready"] == false);
  CHECK(meta(*changes.seen[2].object).deletion_grace_period_seconds == 0);
  CHECK(changes.seen[3].type == WatchEventType::kDeleted);
}

TEST_CASE("a DELETE with grace 0 removes a pod at once and a longer one leaves the deletion as it was") {
  Harness h(36);
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(testing::pod("default", "a")).ok());
  REQUIRE(h.create(testing::pod("default", "b")).ok());
  h.run_for(sim::Duration::minutes(1));
  auto r = Harness::request(Verb::kDelete, Kind::kPod, "default", "a");
  r->grace_period_seconds = 0;
  REQUIRE(h.send(std::move(r)).ok());
  CHECK(h.store().get(Kind::kPod, "default", "a") == nullptr);

  auto first = Harness::request(Verb::kDelete, Kind::kPod, "default", "b");
  first->grace_period_seconds = 10;
  ApiResponse r1 = h.send(std::move(first));
  REQUIRE(r1.ok());
  auto second = Harness::request(Verb::kDelete, Kind::kPod, "default", "b");
  second->grace_period_seconds = 20;
  ApiResponse r2 = h.send(std::move(second));
  REQUIRE(r2.ok());
  CHECK(meta(*r2.object).deletion_grace_period_seconds == 10);
  CHECK(meta(*r2.object).resource_version == meta(*r1.object).resource_version);
}

TEST_CASE("finalizers keep any object with its deletionTimestamp until an update removes the last one") {
  Harness h(37);
  h.run_for(sim::Duration::minutes(1));
  Secret secret;
  secret.metadata.namespace_ = "default";
  secret.metadata.name = "held";
  secret.metadata.finalizers = {"example.com/hold"};
  REQUIRE(h.create(Object(secret)).ok());
  ApiResponse deleted = h.remove(Kind::kSecret, "default", "held");
  REQUIRE(deleted.ok());
  CHECK(meta(*deleted.object).deletion_grace_period_seconds == 0);
  h.run_for(sim::Duration::minutes(5));
  const auto* still = as<Secret>(h.store().get(Kind::kSecret, "default", "held"));
  REQUIRE(still != nullptr);
  REQUIRE(still->metadata.deletion_timestamp.has_value());

  // No new finalizer may be added now.
  Secret more = *still;
  more.metadata.finalizers.push_back("example.com/other");
  ApiResponse refused = h.update(Object(more));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 422);

  ApiResponse released = h.patch(Kind::kSecret, "default", "held", json{{"metadata", {{"finalizers", nullptr}}}});
  REQUIRE(released.ok());
  CHECK(h.store().get(Kind::kSecret, "default", "held") == nullptr);
}

TEST_CASE("a namespace with a running pod goes once the kubelet confirmed the pod's deletion") {
  Harness h(38);
  h.run_for(sim::Duration::minutes(1));
  Namespace ns;
  ns.metadata.name = "team";
  REQUIRE(h.create(Object(ns)).ok());
  h.run_for(sim::Duration::seconds(10));
  REQUIRE(h.create(testing::pod("team", "web")).ok());
  h.run_for(sim::Duration::minutes(1));
  const sim::Time deleted_at = h.simulator.now();
  REQUIRE(h.remove(Kind::kNamespace, "", "team").ok());
  h.run_for(sim::Duration::seconds(10));
  // The pod has gone through its graceful deletion; the namespace waits
  // for the deleter's second look (30 s / 2 + 1 after its first).
  CHECK(h.store().get(Kind::kPod, "team", "web") == nullptr);
  CHECK(h.store().get(Kind::kNamespace, "", "team") != nullptr);
  h.settle();
  CHECK(h.store().get(Kind::kNamespace, "", "team") == nullptr);
  CHECK(h.simulator.now() - deleted_at >= sim::Duration::seconds(16));
}

TEST_CASE("a restarted kubelet keeps a running pod running with its address") {
  Harness h(39);
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(testing::pod("default", "web")).ok());
  h.run_for(sim::Duration::minutes(1));
  const json before = status_of(h.store(), "default", "web");
  const std::uint64_t rv = meta(*h.store().get(Kind::kPod, "default", "web")).resource_version;
  h.cluster.fault_controller().crash(h.simulator.find_actor(Cluster::kKubelet), sim::Duration::seconds(5));
  h.run_for(sim::Duration::minutes(1));
  CHECK(meta(*h.store().get(Kind::kPod, "default", "web")).resource_version == rv);
  CHECK(status_of(h.store(), "default", "web") == before);
  REQUIRE(h.remove(Kind::kPod, "default", "web").ok());
  h.run_for(sim::Duration::seconds(30));
  CHECK(h.store().get(Kind::kPod, "default", "web") == nullptr);
}

}  // namespace
}  // namespace sasim::model
