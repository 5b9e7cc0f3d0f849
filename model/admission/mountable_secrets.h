// Enforce-mountable-secrets (R9, R10): a pod may use only the Secrets its
// account lists, when the cluster or the account asks for it.
#pragma once

#include <optional>
#include <string>

#include "model/admission/config.h"
#include "model/objects/pod.h"
#include "model/objects/service_account.h"

namespace sasim::model::admission {

// The global limit_secret_references, else the account's
// kubernetes.io/enforce-mountable-secrets annotation read as Go's
// ParseBool reads it (an unparsable value does not enforce).
bool enforce_mountable_secrets(const ServiceAccount& sa, const Config& config);

// limitSecretReferences: the first reference the account does not allow, as
// upstream words it, or nullopt. Secret volumes, then init containers, then
// containers (env, then envFrom with config.env_from_fix), are checked
// against sa.secrets; imagePullSecrets against sa.imagePullSecrets.
// Projected and other volume sources are not checked, as upstream.
std::optional<std::string> limit_secret_references(const ServiceAccount& sa, const Pod& pod, const Config& config);

// The same for ephemeral containers only (the CVE-2023-2728 fix).
std::optional<std::string> limit_ephemeral_container_secret_references(const ServiceAccount& sa, const Pod& pod,
                                                                       const Config& config);

}  // namespace sasim::model::admission
