// What kube-scheduler decides for a pod, reduced to what ServiceAccount
// scenarios need: a pod without spec.nodeName is bound to the Ready,
// schedulable node (not being deleted) whose labels match the pod's
// nodeSelector and that has the fewest pods bound to it, ties broken by
// name. Taints, affinity, resources and the scheduler's own latency are not
// simulated. The apiserver calls this right after it commits a pod, and
// again for every pending pod when a Node is created, and writes the
// binding (pods/binding sets spec.nodeName and the PodScheduled condition).
#pragma once

#include <optional>
#include <string>

#include "model/apiserver/store.h"

namespace sasim::model {

// The node to bind `pod` to, or nullopt if none fits.
std::optional<std::string> pick_node(const Store& store, const Pod& pod);

// The pod as the binding leaves it: on `node`, with PodScheduled True since `now`.
Pod bound_pod(const Pod& pod, const std::string& node, sim::Time now, std::int64_t epoch_unix_seconds);

}  // namespace sasim::model
