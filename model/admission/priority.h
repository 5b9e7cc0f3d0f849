// The Priority admission plugin of kube-apiserver 1.20 (plugin/pkg/
// admission/priority), for pods. On create it resolves the pod's
// priorityClassName to spec.priority and spec.preemptionPolicy: without a
// class (and with no PriorityClass marked globalDefault, as none is
// simulated) priority 0 and PreemptLowerPriority (NonPreemptingPriority is
// beta and on in 1.20); the two system classes every cluster has
// (system-node-critical 2000001000, system-cluster-critical 2000000000);
// any other name is Forbidden, since no other PriorityClass exists. A pod
// that brings its own priority or preemptionPolicy differing from the
// computed ones is Forbidden. On update it keeps the stored values when the
// new object omits them (validation forbids changing them).
#pragma once

#include <optional>

#include "model/admission/attributes.h"
#include "model/api/status.h"
#include "model/objects/pod.h"

namespace sasim::model::admission {

std::optional<ApiStatus> admit_priority(const Attributes& attributes, Pod& pod, const Pod* old_pod);

}  // namespace sasim::model::admission
