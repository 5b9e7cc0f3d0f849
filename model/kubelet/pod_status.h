// The status a 1.20 kubelet reports for a pod (generateAPIPodStatus and the
// status manager's merge), from what the simulated kubelet knows about it:
// when it first synced the pod, when its containers started and stopped,
// its IP. Pure functions, so that the shapes can be checked against what
// `kubectl get pod -o yaml` shows on a real cluster:
//
// - first sync: phase Pending, hostIP, startTime, conditions Initialized
//   True, Ready and ContainersReady False (ContainersNotReady), containers
//   waiting in ContainerCreating (PodInitializing behind init containers,
//   and Initialized False until they are done);
// - running: phase Running, podIP(s), Ready True, containers running since
//   they started, with containerID and imageID; init containers terminated
//   (Completed);
// - stopped (graceful deletion): containers terminated with exit code 0
//   (Completed), not ready; phase Running under restartPolicy Always (the
//   kubelet would restart them), Succeeded otherwise.
//
// The PodScheduled condition the scheduler wrote and the qosClass the
// apiserver set are kept from the stored status, as the status manager does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/objects/pod.h"
#include "sim/time.h"

namespace sasim::model::kubelet {

struct ContainerRun {
  std::string container_id;  // "containerd://<64 hex>"
};

struct PodRun {
  enum class State { kCreating, kRunning, kStopped };
  State state = State::kCreating;
  std::string host_ip;
  std::string pod_ip;          // set once running
  sim::Time first_sync;        // startTime, and the first conditions' transition
  sim::Time started;           // containers started (state kRunning, kStopped)
  sim::Time stopped;           // containers stopped (state kStopped)
  std::vector<ContainerRun> init_containers;  // in spec order, once running
  std::vector<ContainerRun> containers;
};

// The status to write, given the pod as stored (its spec, and the status
// the apiserver and the scheduler wrote).
PodStatus kubelet_pod_status(const Pod& stored, const PodRun& run, std::int64_t epoch_unix_seconds);

// What a restarted kubelet learns from a pod it had reported Running: its
// IP, when it started, its containers' IDs.
PodRun run_from_status(const Pod& stored, std::int64_t epoch_unix_seconds);

// The image as containerd reports it: "nginx" -> "docker.io/library/nginx:latest".
std::string normalized_image(std::string_view image);
// A stable imageID for an image: its repository and a digest derived from
// the name (a real registry's digest is not knowable here).
std::string image_id(std::string_view image);

}  // namespace sasim::model::kubelet
