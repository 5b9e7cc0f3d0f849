// Mirror pods (R8): the kubelet's API copies of static pods. Admission never
// mutates them (the kubelet would delete a copy whose spec differs), and
// rejects any that could reach the account's credentials.
#pragma once

#include <optional>
#include <string>

#include "model/objects/pod.h"

namespace sasim::model::admission {

// The kubernetes.io/config.mirror annotation is present, whatever its value.
bool is_mirror_pod(const Pod& pod);

// Why a mirror pod is refused (upstream's wording), or nullopt: it names a
// service account, references any Secret, or projects an account token.
std::optional<std::string> validate_mirror_pod(const Pod& pod);

}  // namespace sasim::model::admission
