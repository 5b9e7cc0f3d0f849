// Every Secret a pod names, as upstream's podutil.VisitPodSecretNames finds
// them, and its projected serviceAccountToken sources: what mirror pods may
// not have.
#pragma once

#include <string>
#include <vector>

#include "model/objects/pod.h"

namespace sasim::model::admission {

// In upstream's order: imagePullSecrets; then each init, regular and
// ephemeral container's envFrom secretRefs and env secretKeyRefs; then the
// volumes: secret, projected secret sources, and the secretRef of the
// plugin volume kinds (azureFile, cephfs, cinder, flexVolume, rbd, scaleIO,
// iscsi, storageos, csi's nodePublishSecretRef). A reference with an empty
// name still counts, as upstream's visitor is called for it.
std::vector<std::string> pod_secret_names(const Pod& pod);

bool has_service_account_token_projection(const Pod& pod);

}  // namespace sasim::model::admission
