// How the plugin's rejections reach the client.
#pragma once

#include <string>
#include <string_view>

#include "model/admission/attributes.h"
#include "model/api/status.h"
#include "model/objects/pod.h"

namespace sasim::model::admission {

// The name admission.NewForbidden puts in a rejection: the object's name, or
// its generateName while the apiserver has not generated the name yet (the
// mutating phase), or "Unknown". Not the request's name.
std::string rejected_object_name(const Pod* pod);

// admission.NewForbidden: `<resource> "<name>" is forbidden: <reason>`.
ApiStatus forbidden(const Attributes& attributes, const Pod* pod, std::string_view reason);

// What the apiserver answers for a plugin error that is not an API status
// (responsewriters' ErrorToAPIStatus): 500, reason Unknown (empty), and the
// bare message. Upstream's ephemeral-container check returns such errors.
ApiStatus unstructured_error(std::string message);

}  // namespace sasim::model::admission
