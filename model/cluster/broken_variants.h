// Deliberately broken variants of the model, switched on at run time
// (`sasim run --broken NAME`, `sasim fuzz --broken NAME`) to show that the
// invariants, the reference model and the fuzzer can fail: a green fuzzing
// campaign means something only if each of these is found. Each name sets
// one flag in a ClusterConfig; nothing is global, and every flag is off by
// default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/cluster/cluster.h"

namespace sasim::model {

struct BrokenVariant {
  std::string_view name;
  std::string_view meaning;
  // The release a campaign shows it on: the variant changes nothing in
  // releases before the code it breaks (1.20 mounts Secret volumes anyway);
  // a range A..B for a variant that needs upgrades (sasim fuzz --version).
  std::string_view release = "1.20";
  // Non-empty: generated fuzz cases cannot reach the code it breaks (the
  // legacy-token cleaner acts only after a clean-up period of tracked
  // usage), and this scenario (relative to the repository) shows it instead.
  std::string_view shown_by = "";
};

// Every variant, in a fixed order.
const std::vector<BrokenVariant>& broken_variants();

// Turns the named variant on in `config`; false if no variant has that name.
bool enable_broken_variant(ClusterConfig& config, std::string_view name);

// "a, b, c": the known names, for error messages.
std::string broken_variant_names();

}  // namespace sasim::model
