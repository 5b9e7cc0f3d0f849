// Mounting the account's API credentials into a pod (R6, L1-L4).
//
// With BoundServiceAccountTokenVolume off (1.20), the pod mounts the first
// token Secret its account references, and creation fails with a retryable
// ServerTimeout until the tokens controller has made one. With the gate on,
// it mounts a projected volume whose token the kubelet requests, and no
// Secret is needed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/admission/config.h"
#include "model/admission/env.h"
#include "model/api/status.h"
#include "model/objects/constants.h"
#include "model/objects/pod.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"

namespace sasim::model::admission {

// Prefix of the projected volume's name (ServiceAccountVolumeName + "-").
inline constexpr std::string_view kTokenVolumePrefix = "kube-api-access-";
using model::kRootCaConfigMapName;

// getServiceAccountTokens: the Secrets that are the account's tokens
// (IsServiceAccountToken), in the order given.
std::vector<const Secret*> get_service_account_tokens(const ServiceAccount& sa,
                                                      const std::vector<const Secret*>& secrets);

// getReferencedServiceAccountToken: the first name in sa.secrets, in order,
// that is one of those tokens; empty if none (L2).
std::string referenced_service_account_token(const ServiceAccount& sa, const std::vector<const Secret*>& secrets);

// L1: ServerTimeout (500, details kind serviceaccounts, name "create pod",
// retryAfterSeconds 1) with upstream's message naming the account.
ApiStatus missing_api_token_status(std::string_view sa_name);

// The volumes admission adds: a Secret volume (gate off) or the projected
// token, CA and namespace (gate on).
Volume token_secret_volume(std::string name, std::string secret_name);
Volume bound_token_volume(std::string name, const Config& config);

// mountServiceAccountToken. Picks the volume (an existing one when the pod
// has it: one referencing the token Secret, or with the gate on one named
// kube-api-access-*), mounts it read-only at the token path in every init
// container and container that has nothing mounted there (ephemeral
// containers never), and adds the volume if some container got the mount.
// The only error is L1's. Reads the Secret lister; may draw a generated name.
std::optional<ApiStatus> mount_service_account_token(const ServiceAccount& sa, Pod& pod, Env& env,
                                                     const Config& config);

}  // namespace sasim::model::admission
