#include "model/cluster/nodes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sasim::model {
namespace {

// FNV-1a, then splitmix64's finalizer so that similar names give unrelated
// values: machine IDs and boot IDs that differ by node and repeat by name (a
// real node's are random; nothing reads them).
std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ULL ^ seed;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

std::string hex32(std::string_view name, std::uint64_t salt) {
  return fmt::format("{:016x}{:016x}", fnv1a(name, salt), fnv1a(name, salt + 1));
}

std::string uuid_of(std::string_view name, std::uint64_t salt) {
  const std::string h = hex32(name, salt);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20, 12));
}

NodeCondition condition(std::string type, std::string status, std::string reason, std::string message) {
  return NodeCondition{.type = std::move(type),
                       .status = std::move(status),
                       .last_heartbeat_time = sim::Time::zero(),
                       .last_transition_time = sim::Time::zero(),
                       .reason = std::move(reason),
                       .message = std::move(message)};
}

}  // namespace

NodeNetwork node_network(std::size_t index) {
  const std::size_t host = index + 2;
  return NodeNetwork{.internal_ip = fmt::format("10.0.{}.{}", host / 256, host % 256),
                     .pod_cidr = fmt::format("10.{}.{}.0/24", 244 + index / 256, index % 256)};
}

Node registered_node(const std::string& name, std::size_t index, const versions::ReleaseInfo& release) {
  const NodeNetwork network = node_network(index);
  Node node;
  node.metadata.name = name;
  node.metadata.labels = {{"beta.kubernetes.io/arch", "amd64"},
                          {"beta.kubernetes.io/os", "linux"},
                          {"kubernetes.io/arch", "amd64"},
                          {"kubernetes.io/hostname", name},
                          {"kubernetes.io/os", "linux"}};
  node.metadata.annotations = {{"node.alpha.kubernetes.io/ttl", "0"},
                               {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}};
  node.spec.pod_cidr = network.pod_cidr;
  node.spec.pod_cidrs = {network.pod_cidr};
  node.status.addresses = {{"InternalIP", network.internal_ip}, {"Hostname", name}};
  // No kubelet heartbeats are simulated: the conditions keep the times of
  // registration.
  node.status.conditions = {
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
  };
  const nlohmann::json resources = {{"cpu", "2"},
                                    {"ephemeral-storage", "61255492Ki"},
                                    {"hugepages-1Gi", "0"},
                                    {"hugepages-2Mi", "0"},
                                    {"memory", "8148052Ki"},
                                    {"pods", "110"}};
  nlohmann::json status = {
      {"capacity", resources},
      {"allocatable", resources},
      {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
      {"nodeInfo",
       {{"architecture", "amd64"},
        {"bootID", uuid_of(name, 1)},
        {"containerRuntimeVersion", std::string(release.container_runtime_version)},
        {"kernelVersion", std::string(release.kernel_version)},
        {"kubeProxyVersion", std::string(release.git_version)},
        {"kubeletVersion", std::string(release.git_version)},
        {"machineID", hex32(name, 3)},
        {"operatingSystem", "linux"},
        {"osImage", std::string(release.os_image)},
        {"systemUUID", uuid_of(name, 5)}}},
  };
  node.status.extra = std::make_shared<const nlohmann::json>(std::move(status));
  return node;
}

}  // namespace sasim::model
