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
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/token_oracle.h"
#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/result.h"

namespace sasim::model {
class Cluster;
struct ApiRequest;
struct ApiResponse;
}  // namespace sasim::model
namespace sasim::sim {
class Simulator;
}

namespace sasim::tools {

// Sees a run from the harness's side (timing reports, the fuzzer's reference
// model): the world once it is built, every request the scenario's user
// made, with its client-go retries, and the settled world at the end.
// Observers only read.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Before anything runs: attach model observers here.
  virtual void on_world(model::Cluster& /*cluster*/, sim::Simulator& /*simulator*/) {}
  // A user request from first send to final answer (none: the run's limits
  // ended it); `retries` counts the attempts client-go repeated.
  virtual void on_user_request(const model::ApiRequest& /*request*/, const model::ApiResponse* /*response*/,
                               sim::Time /*sent*/, sim::Time /*answered*/, int /*retries*/) {}
  // The run is over: after the final settle and the eventually-invariants.
  virtual void on_end(const model::Cluster& /*cluster*/, sim::Simulator& /*simulator*/) {}
};

struct RunOptions {
  std::optional<std::uint64_t> seed{};  // --seed; else the scenario's
  bool strict = false;                  // known weaknesses fail too
  bool dump_state = false;
  // Deliberately broken model variants to switch on (--broken, for testing
  // the harness; model/cluster/broken_variants.h). An unknown name is a
  // ScenarioError.
  std::vector<std::string> broken{};
  // The built-in signing key of the scenario's algorithm, loaded once by a
  // caller that runs many scenarios (the fuzzer): parsing a PEM key costs
  // more than a whole small run. Used only when the scenario names no key
  // file and the algorithms match; otherwise the key is loaded as usual.
  std::shared_ptr<const model::auth::SigningKey> builtin_key{};
  // Its public half as the invariants' token oracle reads it, parsed once
  // likewise; used with builtin_key only.
  std::shared_ptr<const properties::VerifyingKey> builtin_verifying_key{};
  RunObserver* observer = nullptr;      // not owned
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
