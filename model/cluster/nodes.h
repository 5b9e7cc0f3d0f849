// The Nodes a cluster starts with (cluster.nodes): each registered by its
// kubelet before the run begins, Ready, with the addresses and pod CIDR a
// small real cluster would give it. Node i (0-based, in the order listed)
// gets InternalIP 10.0.x.y (counting from 10.0.0.2) and pod CIDR
// 10.244.i.0/24 (10.(244 + i/256).(i%256).0/24 beyond 256 nodes); its kubelet
// hands out pod IPs from that CIDR.
#pragma once

#include <cstddef>
#include <string>

#include "model/objects/node.h"
#include "model/versions/release_info.h"

namespace sasim::model {

// The most nodes a cluster may start with: the pod CIDR scheme above runs
// out of 10.x.y.0/24 networks beyond this.
inline constexpr std::size_t kMaxNodes = 2816;

struct NodeNetwork {
  std::string internal_ip;  // "10.0.0.2"
  std::string pod_cidr;     // "10.244.0.0/24"
};

NodeNetwork node_network(std::size_t index);

// The Node object of the index-th node, as its kubelet registers it.
Node registered_node(const std::string& name, std::size_t index, const versions::ReleaseInfo& release);

}  // namespace sasim::model
