// JSON patch (RFC 6902, `kubectl patch --type json`): a list of operations
// applied in order to the object as the API shows it. The apiserver answers a
// patch document that is not a list of well-formed operations with 400
// BadRequest, and an operation that does not apply (a missing path, a failed
// `test`) with 422, as upstream's patch handler does with evanphx/json-patch;
// the messages follow that library's wording.
//
// nlohmann::json implements RFC 6902; this file checks the document first
// (so that malformed and inapplicable patches get their different answers)
// and turns the library's exceptions into those statuses.
#pragma once

#include <nlohmann/json.hpp>

#include "model/api/status.h"
#include "sim/result.h"

namespace sasim::model {

sim::Result<nlohmann::json, ApiStatus> apply_json_patch(const nlohmann::json& document, const nlohmann::json& patch);

}  // namespace sasim::model
