// The files a scenario names (manifests, keys, certificates): paths are
// relative to the scenario file, and reading refuses what is not a
// reasonably sized regular file, so that a wrong path fails clearly.
#pragma once

#include <string>

#include "sim/result.h"

namespace sasim::scenarios {

// `path` as seen from the directory of `base_file` (absolute paths unchanged).
std::string resolve_path(const std::string& base_file, const std::string& path);

// The bytes of the file, or why not: "no such file", "is a directory",
// "file too large: N bytes (the limit is 16 MiB)", ...
sim::Result<std::string, std::string> read_file(const std::string& path);

}  // namespace sasim::scenarios
