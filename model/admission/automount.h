// Whether a pod gets its account's API credentials mounted (R5).
#pragma once

#include "model/objects/pod.h"
#include "model/objects/service_account.h"

namespace sasim::model::admission {

// The pod's automountServiceAccountToken when set, in either direction;
// otherwise the account's; otherwise true, for pods that predate the field.
bool should_automount(const Pod& pod, const ServiceAccount& sa);

}  // namespace sasim::model::admission
