// The subset of kubectl's JSONPath that `capture` uses: a template such as
// "{.secrets[0].name}" or "{.metadata.annotations.kubernetes\.io/x}",
// literal text around the braces kept, several {...} allowed. Fields,
// escaped dots, array indices (negative from the end) and [*] (values joined
// by spaces, as kubectl prints them).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/result.h"

namespace sasim::tools {

// The rendered text, or why the template is malformed or does not resolve
// (kubectl: "error executing jsonpath ...: secrets is not found").
sim::Result<std::string> evaluate_jsonpath(const std::string& template_text, const nlohmann::json& object);

}  // namespace sasim::tools
