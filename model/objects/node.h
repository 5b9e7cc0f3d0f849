// v1 Node: what pods are bound to, and what later releases bind tokens to.
// Modelled: the pod CIDRs the kubelet allocates pod IPs from, whether the
// node is schedulable, its addresses (hostIP of its pods) and conditions
// (the scheduler binds only to Ready nodes). Everything else a real Node
// carries (capacity, nodeInfo, images, taints, ...) is kept as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/objects/extra_fields.h"
#include "model/objects/object_meta.h"

namespace sasim::model {

struct NodeAddress {
  std::string type;  // InternalIP, ExternalIP, Hostname, ...
  std::string address;
  bool operator==(const NodeAddress&) const = default;
};

struct NodeCondition {
  std::string type;    // Ready, MemoryPressure, ...
  std::string status;  // "True", "False", "Unknown"
  std::optional<sim::Time> last_heartbeat_time;
  std::optional<sim::Time> last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const NodeCondition&) const = default;
};

struct NodeSpec {
  std::string pod_cidr;
  std::vector<std::string> pod_cidrs;
  bool unschedulable = false;
  ExtraFields extra;  // providerID, taints, configSource, externalID
};

struct NodeStatus {
  std::vector<NodeAddress> addresses;
  std::vector<NodeCondition> conditions;
  ExtraFields extra;  // capacity, allocatable, daemonEndpoints, nodeInfo, images, ...
};

struct Node {
  ObjectMeta metadata;
  NodeSpec spec;
  NodeStatus status;
};

// The first address of a type ("" if none): InternalIP is what a kubelet
// reports as its pods' hostIP.
inline std::string node_address(const Node& node, std::string_view type) {
  for (const NodeAddress& a : node.status.addresses) {
    if (a.type == type) return a.address;
  }
  return {};
}

// The Ready condition says "True" (what printNode shows as Ready).
inline bool node_ready(const Node& node) {
  for (const NodeCondition& c : node.status.conditions) {
    if (c.type == "Ready") return c.status == "True";
  }
  return false;
}

}  // namespace sasim::model
