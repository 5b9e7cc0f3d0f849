// rapidcheck generators of fuzz cases (fuzz_case.h): worlds, timelines of
// user operations on all four kinds (create, delete, recreate, merge patch,
// replace; manual token Secrets with and without a uid annotation; pods with
// every automount combination of pod and account, and with and without
// imagePullSecrets), waits, and, with `faults`, fault steps of §7.
// Names come from small pools so that collisions happen.
#pragma once

#include <cstdint>

#include <rapidcheck.h>

#include "tools/fuzz/fuzz_case.h"

namespace sasim::tools::fuzz {

struct GeneratorOptions {
  int max_steps = 10;      // timeline length is drawn from [0, max_steps]
  int max_world = 4;       // objects at time 0 (besides the cluster's namespaces)
  bool faults = true;      // draw fault steps too (sasim fuzz --no-faults: user actions only)
};

rc::Gen<FuzzCase> gen_fuzz_case(const GeneratorOptions& options);

// The case of one campaign index: drawn from its own seed, so that a case
// can be re-generated alone (a shard, a replay) without drawing the others.
std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index);
FuzzCase generate_case(const GeneratorOptions& options, std::uint64_t seed);

}  // namespace sasim::tools::fuzz
