// `kubectl describe node`, after kubectl 1.20's describeNode, for what the
// simulation knows. Left out: the Lease (none is simulated, so its fields
// show <unset>, as kubectl shows them without one), the non-terminated pods
// and allocated-resources tables (they need the node's pods and resource
// arithmetic), and events (`Events: <none>`).
#include <algorithm>

#include "model/objects/describe_support.h"
#include "model/objects/print.h"
#include "model/objects/timestamp.h"

namespace sasim::model::describe_detail {
namespace {

using nlohmann::json;

std::string time_or_zero(const std::optional<sim::Time>& t, const EncodeOptions& options) {
  // A condition without a time prints Go's zero time.
  return format_rfc1123z(t ? wall_seconds(*t, options.epoch_unix_seconds) : -62135596800);
}

void describe_taints(PrefixWriter& w, const json& taints) {
  w.write(0, "Taints:\t");
  if (!taints.is_array() || taints.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  std::vector<json> sorted(taints.begin(), taints.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) { return text(a, "key") < text(b, "key"); });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i != 0) w.write(0, "\t");
    // Taint.ToString: key[=value]:effect
    const json& t = sorted[i];
    std::string line = text(t, "key");
    if (!text(t, "value").empty()) line += "=" + text(t, "value");
    line += ":" + text(t, "effect");
    w.write(0, line + "\n");
  }
}

void describe_resources(PrefixWriter& w, const json& status, const char* key, std::string_view title) {
  const json list = status.value(key, json::object());
  if (!list.is_object() || list.empty()) return;
  w.write(0, fmt::format("{}:\n", title));
  for (const auto& [name, quantity] : list.items()) w.write(0, fmt::format("  {}:\t{}\n", name, text(list, name.c_str())));
}

}  // namespace

std::string describe_node(const Node& node, const EncodeOptions& options) {
  PrefixWriter w;
  const json status = node.status.extra ? *node.status.extra : json::object();
  const json spec = node.spec.extra ? *node.spec.extra : json::object();
  w.write(0, fmt::format("Name:\t{}\n", node.metadata.name));
  w.write(0, fmt::format("Roles:\t{}\n", node_roles(node)));
  print_labels(w, "Labels", node.metadata.labels);
  print_annotations(w, "Annotations", node.metadata.annotations);
  w.write(0, fmt::format("CreationTimestamp:\t{}\n",
                         format_rfc1123z(wall_seconds(node.metadata.creation_timestamp, options.epoch_unix_seconds))));
  describe_taints(w, spec.value("taints", json()));
  w.write(0, fmt::format("Unschedulable:\t{}\n", node.spec.unschedulable));
  w.write(0, "Lease:\n");
  w.write(1, "HolderIdentity:\t<unset>\n");
  w.write(1, "AcquireTime:\t<unset>\n");
  w.write(1, "RenewTime:\t<unset>\n");
  if (!node.status.conditions.empty()) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const NodeCondition& c : node.status.conditions) {
      w.write(1, fmt::format("{} \t{} \t{} \t{} \t{} \t{}\n", c.type, c.status, time_or_zero(c.last_heartbeat_time, options),
                             time_or_zero(c.last_transition_time, options), c.reason, c.message));
    }
  }
  w.write(0, "Addresses:\n");
  for (const NodeAddress& a : node.status.addresses) w.write(1, fmt::format("{}:\t{}\n", a.type, a.address));
  describe_resources(w, status, "capacity", "Capacity");
  describe_resources(w, status, "allocatable", "Allocatable");
  const json info = status.value("nodeInfo", json::object());
  w.write(0, "System Info:\n");
  for (const auto& [key, title] : {std::pair{"machineID", "Machine ID"}, std::pair{"systemUUID", "System UUID"},
                                   std::pair{"bootID", "Boot ID"}, std::pair{"kernelVersion", "Kernel Version"},
                                   std::pair{"osImage", "OS Image"}, std::pair{"operatingSystem", "Operating System"},
                                   std::pair{"architecture", "Architecture"},
                                   std::pair{"containerRuntimeVersion", "Container Runtime Version"},
                                   std::pair{"kubeletVersion", "Kubelet Version"},
                                   std::pair{"kubeProxyVersion", "Kube-Proxy Version"}}) {
    w.write(0, fmt::format("  {}:\t{}\n", title, text(info, key)));
  }
  if (!node.spec.pod_cidr.empty()) w.write(0, fmt::format("PodCIDR:\t{}\n", node.spec.pod_cidr));
  if (!node.spec.pod_cidrs.empty()) {
    std::string joined;
    for (const std::string& cidr : node.spec.pod_cidrs) joined += (joined.empty() ? "" : ",") + cidr;
    w.write(0, fmt::format("PodCIDRs:\t{}\n", joined));
  }
  if (!text(spec, "providerID").empty()) w.write(0, fmt::format("ProviderID:\t{}\n", text(spec, "providerID")));
  w.write(0, "Events:\t<none>\n");
  return tabbed(w);
}

}  // namespace sasim::model::describe_detail
