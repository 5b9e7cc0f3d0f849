// Strategic merge patch (kubectl's default `kubectl patch`), for the fields
// simulated: lists whose Go type carries patchStrategy:"merge" merge by
// their patchMergeKey (ServiceAccount.secrets by name; a pod's containers,
// initContainers, ephemeralContainers, volumes and imagePullSecrets by name;
// a container's env by name and volumeMounts by mountPath); other lists are
// replaced; maps merge recursively and null deletes. The `$patch: delete`
// and `$patch: replace` directives are honoured in list elements and maps.
// Not modelled: $retainKeys, $setElementOrder, $deleteFromPrimitiveList.
#pragma once

#include <nlohmann/json.hpp>

#include "model/objects/object.h"

namespace sasim::model {

nlohmann::json strategic_merge(Kind kind, const nlohmann::json& original, const nlohmann::json& patch);

}  // namespace sasim::model
