// The runner's view of the invariants (properties/): attached to a cluster
// before it runs, asked to evaluate the eventually-invariants at each
// settle, and read out as report records at the end.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/checker.h"
#include "properties/token_oracle.h"
#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/time.h"

namespace sasim::tools {

class InvariantHook {
 public:
  virtual ~InvariantHook() = default;
  virtual void check_eventually(sim::Time now) = 0;
  // Empty when the named invariant holds now; otherwise why not.
  virtual std::string check_now(const std::string& name, sim::Time now) = 0;
  virtual std::vector<reports::InvariantRecord> records() const = 0;
};

// Null when the scenario selects no invariant. `key`: the cluster's public
// key for the token oracle, when the caller parsed it once for many runs.
// `mode`: how eventually-invariants are evaluated (properties/checker.h).
std::unique_ptr<InvariantHook> make_invariant_hook(
    model::Cluster& cluster, const scenarios::Scenario& scenario,
    std::shared_ptr<const properties::VerifyingKey> key = nullptr,
    properties::EvaluationMode mode = properties::EvaluationMode::kIncremental);

}  // namespace sasim::tools
