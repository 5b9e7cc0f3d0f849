// Inputs on which Debian 12's yaml-cpp (0.7) never returns, refused before
// it sees them. Found by the scenario and serve fuzz targets: a document
// whose first token, after any anchor or tag, is a flow entry ',' (a bare
// ",", "&a,", "!t ,", "--- ,") sends LoadAll into an endless loop. Such a
// document is not valid YAML (',' may only separate flow collection
// entries), so refusing it changes nothing for any file yaml-cpp reads.
// Written by hand because the fix is only in later yaml-cpp releases.
#pragma once

#include <optional>
#include <string_view>

#include "scenarios/text_checks.h"

namespace sasim::scenarios {

// The offset of a ',' that begins a document, or nullopt.
std::optional<TextProblem> check_yaml_cpp_hangs(std::string_view text);

}  // namespace sasim::scenarios
