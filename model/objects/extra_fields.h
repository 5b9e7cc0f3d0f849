// ExtraFields: the parts of a real manifest that the simulation does not
// model (a container's image and ports, a pod's nodeSelector, ...). They are
// kept as parsed, so that objects print back as the user wrote them, as the
// real apiserver would keep them. Shared and immutable: copying an object
// copies a pointer.
#pragma once

#include <memory>

#include <nlohmann/json_fwd.hpp>

namespace sasim::model {

// Null, or a JSON object holding the unmodelled keys of one level.
using ExtraFields = std::shared_ptr<const nlohmann::json>;

}  // namespace sasim::model
