// `kubectl get` tables and the AGE column's HumanDuration.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "model/objects/constants.h"
#include "model/objects/print.h"
#include "sim/testing/time_points.h"

namespace sasim::model {
namespace {

using ::sasim::sim::testing::at_s;

template <class T>
ObjectPtr ptr(T object) {
  return std::make_shared<const Object>(std::move(object));
}

TEST_CASE("human durations follow apimachinery's rules") {
  struct Case {
    sim::Duration d;
    const char* text;
  };
  using D = sim::Duration;
  const Case cases[] = {
      {D::seconds(-5), "<invalid>"},
      {D::seconds(-2), "<invalid>"},
      {D::milliseconds(-1999), "0s"},
      {D::seconds(-1), "0s"},
      {D::zero(), "0s"},
      {D::milliseconds(999), "0s"},
      {D::seconds(45), "45s"},
      {D::seconds(119), "119s"},
      {D::seconds(120), "2m"},
      {D::seconds(330), "5m30s"},
      {D::seconds(599), "9m59s"},
      {D::minutes(10), "10m"},
      {D::minutes(179), "179m"},
      {D::hours(3), "3h"},
      {D::minutes(479), "7h59m"},
      {D::hours(8), "8h"},
      {D::hours(47), "47h"},
      {D::hours(48), "2d"},
      {D::hours(51), "2d3h"},
      {D::hours(24 * 8), "8d"},
      {D::hours(24 * 729), "729d"},
      {D::hours(24 * 730), "2y"},
      {D::hours(24 * 735), "2y5d"},
      {D::hours(24 * 365 * 8), "8y"},
      {D::hours(24 * 365 * 10), "10y"},
  };
  for (const Case& c : cases) {
    INFO(c.d.ns());
    CHECK(human_duration(c.d) == c.text);
  }
}

TEST_CASE("service accounts print as kubectl get serviceaccounts") {
  ServiceAccount robot;
  robot.metadata.name = "build-robot";
  robot.metadata.creation_timestamp = sim::Time::from_start(sim::Duration::milliseconds(50'900));
  robot.secrets = {{"build-robot-token-bvbk5", "", "", "", "", "", ""}};
  ServiceAccount def;
  def.metadata.name = "default";
  def.secrets = {{"default-token-abcde", "", "", "", "", "", ""}};
  // AGE counts from the whole second the API stores: 95.5s - 50s = 45.5s.
  CHECK(print_table(Kind::kServiceAccount, {ptr(robot), ptr(def)}, sim::Time::from_start(sim::Duration::milliseconds(95'500))) ==
        "NAME          SECRETS   AGE\n"
        "build-robot   1         45s\n"
        "default       1         95s\n");
}

TEST_CASE("secrets print as kubectl get secrets") {
  Secret token;
  token.metadata.name = "default-token-abcde";
  token.type = std::string(kSecretTypeServiceAccountToken);
  token.data = {{"ca.crt", "x"}, {"namespace", "default"}, {"token", "t"}};
  Secret registry;
  registry.metadata.name = "myregistrykey";
  registry.metadata.creation_timestamp = at_s(0);
  registry.type = "kubernetes.io/dockerconfigjson";
  registry.data = {{".dockerconfigjson", "{}"}};
  token.metadata.creation_timestamp = at_s(2 * 86400 - 330);
  CHECK(print_table(Kind::kSecret, {ptr(token), ptr(registry)}, at_s(2 * 86400)) ==
        "NAME                  TYPE                                  DATA   AGE\n"
        "default-token-abcde   kubernetes.io/service-account-token   3      5m30s\n"
        "myregistrykey         kubernetes.io/dockerconfigjson        1      2d\n");
}

TEST_CASE("namespaces and pods print as kubectl get shows them") {
  Namespace active;
  active.metadata.name = "default";
  Namespace going;
  going.metadata.name = "examplens";
  going.phase = NamespacePhase::kTerminating;
  CHECK(print_table(Kind::kNamespace, {ptr(active), ptr(going)}, at_s(60)) ==
        "NAME        STATUS        AGE\n"
        "default     Active        60s\n"
        "examplens   Terminating   60s\n");

  Pod pending;
  pending.metadata.name = "my-pod";
  pending.spec.containers.resize(2);
  Pod running = pending;
  running.metadata.name = "web";
  running.status.phase = PodPhase::kRunning;
  // Ready counts containers the kubelet reports ready and running.
  running.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json::parse(R"({"containerStatuses": [
      {"name": "a", "ready": true, "restartCount": 1, "state": {"running": {"startedAt": "2020-01-01T00:00:00Z"}}},
      {"name": "b", "ready": true, "restartCount": 2, "state": {"running": {"startedAt": "2020-01-01T00:00:00Z"}}}]})"));
  Pod creating = pending;
  creating.metadata.name = "new";
  creating.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json::parse(R"({"containerStatuses": [
      {"name": "a", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}},
      {"name": "b", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]})"));
  Pod initializing = pending;
  initializing.metadata.name = "init";
  initializing.spec.init_containers.resize(1);
  initializing.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json::parse(R"({"initContainerStatuses": [
      {"name": "i", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]})"));
  Pod deleting = running;
  deleting.metadata.name = "old";
  deleting.metadata.deletion_timestamp = at_s(30);
  CHECK(print_table(Kind::kPod, {ptr(pending), ptr(running), ptr(deleting), ptr(creating), ptr(initializing)},
                    at_s(3600)) ==
        "NAME     READY   STATUS              RESTARTS   AGE\n"
        "my-pod   0/2     Pending             0          60m\n"
        "web      2/2     Running             3          60m\n"
        "old      2/2     Terminating         3          60m\n"
        "new      0/2     ContainerCreating   0          60m\n"
        "init     0/2     Init:0/1            0          60m\n");
}

TEST_CASE("an empty list prints kubectl's message") {
  CHECK(print_table(Kind::kSecret, {}, at_s(0), "examplens") == "No resources found in examplens namespace.\n");
  CHECK(print_table(Kind::kNamespace, {}, at_s(0)) == "No resources found\n");
}

}  // namespace
}  // namespace sasim::model

namespace sasim::model {
namespace {

TEST_CASE("nodes print as kubectl get nodes shows them") {
  Node ready;
  ready.metadata.name = "node-1";
  ready.status.conditions = {NodeCondition{"Ready", "True", std::nullopt, std::nullopt, "KubeletReady", ""}};
  ready.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json{{"nodeInfo", {{"kubeletVersion", "v1.20.15"}}}});
  Node cordoned = ready;
  cordoned.metadata.name = "node-2";
  cordoned.spec.unschedulable = true;
  cordoned.metadata.labels = {{"node-role.kubernetes.io/control-plane", ""}, {"node-role.kubernetes.io/master", ""}};
  Node lost = ready;
  lost.metadata.name = "node-3";
  lost.status.conditions = {NodeCondition{"Ready", "Unknown", std::nullopt, std::nullopt, "NodeStatusUnknown", ""}};
  lost.metadata.labels = {{"kubernetes.io/role", "worker"}};
  Node fresh;
  fresh.metadata.name = "node-4";
  const sim::Time now = sim::Time::from_start(sim::Duration::seconds(90));
  CHECK(print_table(Kind::kNode, {std::make_shared<const Object>(ready), std::make_shared<const Object>(cordoned),
                                  std::make_shared<const Object>(lost), std::make_shared<const Object>(fresh)},
                    now) ==
        "NAME     STATUS                     ROLES                  AGE   VERSION\n"
        "node-1   Ready                      <none>                 90s   v1.20.15\n"
        "node-2   Ready,SchedulingDisabled   control-plane,master   90s   v1.20.15\n"
        "node-3   NotReady                   worker                 90s   v1.20.15\n"
        "node-4   Unknown                    <none>                 90s   \n");
  CHECK(print_table(Kind::kNode, {}, now) == "No resources found\n");
}

TEST_CASE("table cells are typed as the server-side Table carries them") {
  ServiceAccount sa;
  sa.metadata.name = "build-robot";
  ObjectReference token;
  token.name = "build-robot-token-abcde";
  sa.secrets.push_back(token);
  const auto sa_cells = table_cells(Object(sa), sim::Time::from_start(sim::Duration::seconds(75)));
  REQUIRE(sa_cells.size() == 3);
  CHECK(std::get<std::string>(sa_cells[0]) == "build-robot");
  CHECK(std::get<std::int64_t>(sa_cells[1]) == 1);
  CHECK(std::get<std::string>(sa_cells[2]) == "75s");

  Secret secret;
  secret.metadata.name = "myregistrykey";
  secret.type = "kubernetes.io/dockerconfigjson";
  secret.data[".dockerconfigjson"] = DataValue("{}");
  const auto secret_cells = table_cells(Object(secret), sim::Time::zero());
  REQUIRE(secret_cells.size() == 4);
  CHECK(std::get<std::string>(secret_cells[1]) == "kubernetes.io/dockerconfigjson");
  CHECK(std::get<std::int64_t>(secret_cells[2]) == 1);
}

TEST_CASE("a pod's row ends with the wide columns") {
  Pod pod;
  pod.metadata.name = "my-pod";
  Container app;
  app.name = "app";
  pod.spec.containers.push_back(app);
  pod.spec.node_name = "node-1";
  pod.status.phase = PodPhase::kRunning;
  // READY counts containers whose status says ready and running, as
  // printPod does; a pod without containerStatuses would show 0/1.
  pod.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json::parse(
      R"({"podIP": "10.0.0.7", "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0,
          "state": {"running": {"startedAt": "2021-01-01T00:00:00Z"}}}]})"));
  const auto cells = table_cells(Object(pod), sim::Time::zero());
  REQUIRE(cells.size() == 9);
  CHECK(std::get<std::string>(cells[1]) == "1/1");
  CHECK(std::get<std::string>(cells[2]) == "Running");
  CHECK(std::get<std::int64_t>(cells[3]) == 0);
  CHECK(std::get<std::string>(cells[5]) == "10.0.0.7");
  CHECK(std::get<std::string>(cells[6]) == "node-1");
  CHECK(std::get<std::string>(cells[7]) == "<none>");
  CHECK(std::get<std::string>(cells[8]) == "<none>");
}

TEST_CASE("a node's row ends with its version and the wide columns") {
  Node node;
  node.metadata.name = "worker-1";
  node.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json::parse(
      R"({"addresses": [{"type": "Hostname", "address": "worker-1"}, {"type": "InternalIP", "address": "10.0.0.3"}],
          "nodeInfo": {"kubeletVersion": "v1.20.15", "osImage": "Ubuntu 21.04", "kernelVersion": "5.10.0-19-amd64",
                       "containerRuntimeVersion": ""}})"));
  const auto cells = table_cells(Object(node), sim::Time::zero());
  REQUIRE(cells.size() == 10);
  CHECK(std::get<std::string>(cells[1]) == "Unknown");
  CHECK(std::get<std::string>(cells[2]) == "<none>");
  CHECK(std::get<std::string>(cells[4]) == "v1.20.15");
  CHECK(std::get<std::string>(cells[5]) == "10.0.0.3");
  CHECK(std::get<std::string>(cells[6]) == "<none>");
  CHECK(std::get<std::string>(cells[7]) == "Ubuntu 21.04");
  CHECK(std::get<std::string>(cells[8]) == "5.10.0-19-amd64");
  CHECK(std::get<std::string>(cells[9]) == "<unknown>");
}

}  // namespace
}  // namespace sasim::model
