// The statuses the kubelet writes, shape by shape, as a 1.20 cluster shows
// them in `kubectl get pod -o yaml` (status.conditions, containerStatuses).
#include "model/kubelet/pod_status.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/print.h"
#include "sim/testing/time_points.h"

namespace sasim::model::kubelet {
namespace {

using ::sasim::sim::testing::at_s;

using nlohmann::json;

// A pod as the apiserver and the scheduler left it.
Pod stored_pod() {
  Pod pod;
  pod.metadata.name = "web";
  Container c;
  c.name = "web";
  c.image = "nginx";
  pod.spec.containers = {c};
  pod.spec.node_name = "node-1";
  pod.status.extra = std::make_shared<const json>(json::parse(R"({"qosClass": "BestEffort", "conditions": [
      {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2020-01-01T00:00:01Z"}]})"));
  return pod;
}

std::string status_yaml(const Pod& stored, const PodRun& run) {
  Pod pod = stored;
  pod.status = kubelet_pod_status(stored, run, kDefaultEpochUnixSeconds);
  return to_yaml(encode_object(Object(pod))["status"]);
}

TEST_CASE("images are named as containerd reports them") {
  CHECK(normalized_image("nginx") == "docker.io/library/nginx:latest");
  CHECK(normalized_image("nginx:1.19") == "docker.io/library/nginx:1.19");
  CHECK(normalized_image("team/app") == "docker.io/team/app:latest");
  CHECK(normalized_image("gcr.io/team/app:v1") == "gcr.io/team/app:v1");
  CHECK(normalized_image("localhost/app") == "localhost/app:latest");
  CHECK(normalized_image("registry:5000/app") == "registry:5000/app:latest");
  CHECK(normalized_image("nginx@sha256:abc") == "docker.io/library/nginx@sha256:abc");
  CHECK(image_id("nginx").rfind("docker.io/library/nginx@sha256:", 0) == 0);
  CHECK(image_id("nginx").size() == std::string("docker.io/library/nginx@sha256:").size() + 64);
  CHECK(image_id("nginx") == image_id("nginx:latest"));
  CHECK(image_id("nginx") != image_id("busybox"));
}

TEST_CASE("a pod the kubelet has just synced is pending with its containers being created") {
  PodRun run;
  run.host_ip = "10.0.0.2";
  run.first_sync = at_s(2);
  CHECK(status_yaml(stored_pod(), run) == R"(conditions:
- lastProbeTime: null
  lastTransitionTime: "2020-01-01T00:00:02Z"
  status: "True"
  type: Initialized
- lastProbeTime: null
  lastTransitionTime: "2020-01-01T00:00:02Z"
  message: 'containers with unready status: [web]'
  reason: ContainersNotReady
  status: "False"
  type: Ready
- lastProbeTime: null
  lastTransitionTime: "2020-01-01T00:00:02Z"
  message: 'containers with unready status: [web]'
  reason: ContainersNotReady
  status: "False"
  type: ContainersReady
- lastProbeTime: null
  lastTransitionTime: "2020-01-01T00:00:01Z"
  status: "True"
  type: PodScheduled
containerStatuses:
- image: docker.io/library/nginx:latest
  imageID: ""
  lastState: {}
  name: web
  ready: false
  restartCount: 0
  started: false
  state:
    waiting:
      reason: ContainerCreating
hostIP: 10.0.0.2
phase: Pending
qosClass: BestEffort
startTime: "2020-01-01T00:00:02Z"
)");
}

TEST_CASE("a running pod reports its IP and running containers") {
  PodRun run;
  run.state = PodRun::State::kRunning;
  run.host_ip = "10.0.0.2";
  run.pod_ip = "10.244.0.5";
  run.first_sync = at_s(2);
  run.started = at_s(4);
  run.containers = {{"containerd://0123"}};
  const std::string yaml = status_yaml(stored_pod(), run);
  CHECK(yaml.find(R"(containerStatuses:
- containerID: containerd://0123
  image: docker.io/library/nginx:latest
  imageID: docker.io/library/nginx@sha256:)") != std::string::npos);
  CHECK(yaml.find(R"(  lastState: {}
  name: web
  ready: true
  restartCount: 0
  started: true
  state:
    running:
      startedAt: "2020-01-01T00:00:04Z"
hostIP: 10.0.0.2
phase: Running
podIP: 10.244.0.5
podIPs:
- ip: 10.244.0.5
qosClass: BestEffort
startTime: "2020-01-01T00:00:02Z"
)") != std::string::npos);
  CHECK(yaml.find("reason: ContainersNotReady") == std::string::npos);
}

TEST_CASE("stopped containers are terminated and the phase follows the restart policy") {
  PodRun run;
  run.state = PodRun::State::kStopped;
  run.host_ip = "10.0.0.2";
  run.pod_ip = "10.244.0.5";
  run.first_sync = at_s(2);
  run.started = at_s(4);
  run.stopped = at_s(9);
  run.containers = {{"containerd://0123"}};
  Pod always = stored_pod();
  PodStatus status = kubelet_pod_status(always, run, kDefaultEpochUnixSeconds);
  CHECK(status.phase == PodPhase::kRunning);
  const json c = status.extra->at("containerStatuses")[0];
  CHECK(c["state"] == json::parse(R"({"terminated": {"containerID": "containerd://0123", "exitCode": 0,
      "reason": "Completed", "startedAt": "2020-01-01T00:00:04Z", "finishedAt": "2020-01-01T00:00:09Z"}})"));
  CHECK(c["ready"] == false);
  CHECK(status.extra->at("conditions")[1]["lastTransitionTime"] == "2020-01-01T00:00:09Z");

  Pod never = stored_pod();
  never.spec.extra = std::make_shared<const json>(json{{"restartPolicy", "Never"}});
  CHECK(kubelet_pod_status(never, run, kDefaultEpochUnixSeconds).phase == PodPhase::kSucceeded);
}

TEST_CASE("init containers hold the pod in PodInitializing and complete before it runs") {
  Pod pod = stored_pod();
  Container init;
  init.name = "setup";
  init.image = "busybox";
  pod.spec.init_containers = {init};
  PodRun run;
  run.host_ip = "10.0.0.2";
  run.first_sync = at_s(2);
  PodStatus creating = kubelet_pod_status(pod, run, kDefaultEpochUnixSeconds);
  const json& conditions = creating.extra->at("conditions");
  CHECK(conditions[0]["type"] == "Initialized");
  CHECK(conditions[0]["status"] == "False");
  CHECK(conditions[0]["message"] == "containers with incomplete status: [setup]");
  CHECK(creating.extra->at("initContainerStatuses")[0]["state"]["waiting"]["reason"] == "PodInitializing");
  CHECK(creating.extra->at("containerStatuses")[0]["state"]["waiting"]["reason"] == "PodInitializing");

  run.state = PodRun::State::kRunning;
  run.started = at_s(4);
  run.init_containers = {{"containerd://aaaa"}};
  run.containers = {{"containerd://bbbb"}};
  PodStatus running = kubelet_pod_status(pod, run, kDefaultEpochUnixSeconds);
  const json init_status = running.extra->at("initContainerStatuses")[0];
  CHECK(init_status["state"]["terminated"]["reason"] == "Completed");
  CHECK(init_status["ready"] == true);
  CHECK(running.extra->at("conditions")[0]["status"] == "True");
}

TEST_CASE("a restarted kubelet reads back what it reported") {
  PodRun run;
  run.state = PodRun::State::kRunning;
  run.host_ip = "10.0.0.2";
  run.pod_ip = "10.244.0.5";
  run.first_sync = at_s(2);
  run.started = at_s(4);
  run.containers = {{"containerd://0123"}};
  Pod pod = stored_pod();
  pod.status = kubelet_pod_status(pod, run, kDefaultEpochUnixSeconds);
  const PodRun back = run_from_status(pod, kDefaultEpochUnixSeconds);
  CHECK(back.pod_ip == "10.244.0.5");
  CHECK(back.host_ip == "10.0.0.2");
  CHECK(back.first_sync == at_s(2));
  CHECK(back.started == at_s(4));
  REQUIRE(back.containers.size() == 1);
  CHECK(back.containers[0].container_id == "containerd://0123");
}

}  // namespace
}  // namespace sasim::model::kubelet
