// The pod's QoS class (pkg/apis/core/helper/qos GetPodQOS), which the
// apiserver stores in status.qosClass when a pod is created: BestEffort
// without any cpu or memory requests or limits; Guaranteed when every
// container limits both and the summed requests equal the summed limits;
// Burstable otherwise. Quantities compare by value ("1" equals "1000m",
// "1Gi" equals "1024Mi").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/objects/pod.h"

namespace sasim::model {

std::string pod_qos_class(const Pod& pod);

// Wide enough for any quantity in nano-units (1Ei is about 1.2e27 of them).
__extension__ typedef __int128 Nanos;

// A resource quantity ("100m", "1.5Gi", "2e3") in units of 10^-9, or
// nullopt if it does not parse. Values beyond about 10^30 saturate.
std::optional<Nanos> quantity_nanos(std::string_view text);

}  // namespace sasim::model
