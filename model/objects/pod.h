// v1 Pod: the spec fields that ServiceAccount admission reads and mutates,
// and the status the kubelet reports. Everything else a manifest carries is
// kept in ExtraFields at the level where it appeared.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/objects/extra_fields.h"
#include "model/objects/object_meta.h"

namespace sasim::model {

struct VolumeMount {
  std::string name;
  std::string mount_path;
  bool read_only = false;
  ExtraFields extra;  // subPath, mountPropagation, ...
};

struct SecretKeySelector {
  std::string name;
  std::string key;
  std::optional<bool> optional;
};

struct EnvVar {
  std::string name;
  std::optional<std::string> value;
  std::optional<SecretKeySelector> secret_key_ref;  // valueFrom.secretKeyRef
  ExtraFields value_from_extra;                      // valueFrom's other sources
};

struct EnvFromSource {
  std::string prefix;
  std::optional<std::string> secret_ref;  // secretRef.name
  ExtraFields extra;                      // configMapRef, secretRef.optional, ...
};

struct Container {
  std::string name;
  std::string image;
  std::vector<EnvVar> env;
  std::vector<EnvFromSource> env_from;
  std::vector<VolumeMount> volume_mounts;
  ExtraFields extra;  // command, args, ports, resources, ...
};

struct SecretVolumeSource {
  std::string secret_name;
  std::optional<int> default_mode;
  std::optional<bool> optional;
  ExtraFields extra;  // items
};

struct Volume {
  std::string name;
  std::optional<SecretVolumeSource> secret;
  // Any other volume source ({"projected": {...}}, {"emptyDir": {}}, ...), as
  // an object with exactly one key. Projected serviceAccountToken sources
  // are read from here (mirror-pod validation, later versions' admission).
  ExtraFields other_source;
};

struct PodSpec {
  std::string service_account_name;
  std::string service_account;  // deprecated alias, kept in sync by defaulting
  std::optional<bool> automount_service_account_token;
  std::vector<std::string> image_pull_secrets;  // LocalObjectReference names
  std::vector<Volume> volumes;
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::vector<Container> ephemeral_containers;
  std::string node_name;
  // How long a graceful deletion waits by default (defaulted to 30).
  std::optional<std::int64_t> termination_grace_period_seconds;
  ExtraFields extra;  // restartPolicy, nodeSelector, tolerations, ...
};

enum class PodPhase { kPending, kRunning, kSucceeded, kFailed, kUnknown };

// The phase as the API spells it (status.phase), which kubectl prints too.
constexpr std::string_view pod_phase_name(PodPhase phase) {
  switch (phase) {
    case PodPhase::kPending: return "Pending";
    case PodPhase::kRunning: return "Running";
    case PodPhase::kSucceeded: return "Succeeded";
    case PodPhase::kFailed: return "Failed";
    case PodPhase::kUnknown: return "Unknown";
  }
  return "Unknown";
}

struct PodStatus {
  PodPhase phase = PodPhase::kPending;
  std::optional<sim::Time> start_time;
  ExtraFields extra;  // conditions, hostIP, podIP, containerStatuses, qosClass, ...
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;
};

}  // namespace sasim::model
