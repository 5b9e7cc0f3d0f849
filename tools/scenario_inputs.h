// The scenario files a command line names: files as given, and for a
// directory every *.yaml file under it (at any depth), in name order.
#pragma once

#include <string>
#include <vector>

#include "sim/result.h"

namespace sasim::tools {

// Each argument in order; a directory's files sorted by their path. A
// directory without any *.yaml file is an error, as is one that cannot be
// read; a path that does not exist is left for the parser to report.
sim::Result<std::vector<std::string>> scenario_inputs(const std::vector<std::string>& arguments);

}  // namespace sasim::tools
