// The scenario runner: a parsed Scenario run on a simulated cluster, step by
// step, into a RunRecord (reports/run_record.h). What `sasim run` calls.
//
// Steps run one after another in simulated time; each API action is a real
// request from the `kubectl` actor and ends when its response arrives. The
// run ends with an implicit settle (limits.settle), after which the
// eventually-invariants are checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/result.h"

namespace sasim::tools {

struct RunOptions {
  std::optional<std::uint64_t> seed{};  // --seed; else the scenario's
  bool strict = false;                  // known weaknesses fail too
  bool dump_state = false;
  // Keep every trace entry (with causes and wait categories) in
  // RunRecord::trace. Off by default: it costs memory in proportion to events.
  bool record_trace = false;
};

// An error of the scenario found while building or starting the world (a
// signing key that does not load, an object the apiserver rejects): exit 2.
struct ScenarioError {
  scenarios::Location location{};
  std::string message{};
  std::string render() const { return location.describe() + ": error: " + message; }
};

sim::Result<reports::RunRecord, ScenarioError> run_scenario(const scenarios::Scenario& scenario,
                                                            const RunOptions& options);

}  // namespace sasim::tools
