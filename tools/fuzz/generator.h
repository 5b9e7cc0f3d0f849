// rapidcheck generators of fuzz cases (fuzz_case.h): the cluster's
// serviceAccountLookup, limitSecretReferences and admission cache lag;
// worlds; timelines of user operations on all four kinds (create, delete,
// recreate, merge patch, replace; accounts enforcing mountable secrets;
// manual token Secrets with and without a uid annotation, some bringing
// their own ca.crt, namespace or empty token; pods with every automount
// combination of pod and account, with and without imagePullSecrets, init
// containers, secret volumes, env secretKeyRefs and envFrom); tokens
// presented (an account's, a stale one, one of a recreated account, a
// pod's, forged ones); waits; and, with `faults`, fault steps of §7.
// Names come from small pools so that collisions happen. A quarter of the
// cases also set feature gates (cluster.featureGates) the release does not
// lock, mostly to the other value than its default, so that paths behind
// a gate left off by default are fuzzed too; each value holds in every
// release the case upgrades to. Ops are drawn for the release in force
// when they come (after any upgrade before them).
#pragma once

#include <cstdint>
#include <memory>

#include <rapidcheck.h>

#include "tools/fuzz/forged_tokens.h"
#include "tools/fuzz/fuzz_case.h"

namespace sasim::tools::fuzz {

struct GeneratorOptions {
  int max_steps = 10;      // timeline length is drawn from [0, max_steps]
  int max_world = 4;       // objects at time 0 (besides the cluster's namespaces)
  bool faults = true;      // draw fault steps too (sasim fuzz --no-faults: user actions only)
  // The release every case runs (sasim fuzz --version): a simulated one,
  // or a range "A..B": each case then starts at a release of the range and
  // its timeline may upgrade the control plane, one minor at a time, up to B.
  std::string version = "1.20";
  // Makes the forged tokens `authenticate` steps present; without one,
  // those steps present tokens the cluster issued only.
  std::shared_ptr<const Forger> forger{};
};

rc::Gen<FuzzCase> gen_fuzz_case(const GeneratorOptions& options);

// The case of one campaign index: drawn from its own seed, so that a case
// can be re-generated alone (a shard, a replay) without drawing the others.
std::uint64_t case_seed(std::uint64_t campaign_seed, std::uint64_t index);
FuzzCase generate_case(const GeneratorOptions& options, std::uint64_t seed);

}  // namespace sasim::tools::fuzz
