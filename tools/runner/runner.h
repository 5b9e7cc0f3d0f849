// The scenario runner: a parsed Scenario run on a simulated cluster, step by
// step, into a RunRecord (reports/run_record.h). What `sasim run` calls.
//
// Steps run one after another in simulated time; each API action is a real
// request from the `kubectl` actor and ends when its response arrives. The
// run ends with an implicit settle (limits.settle), after which the
// eventually-invariants are checked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/checker.h"
#include "properties/token_oracle.h"
#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/result.h"
#include "tools/runner/wall_limit.h"

namespace sasim::model {
class Cluster;
struct ApiRequest;
struct ApiResponse;
struct TokenReviewResult;
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
  // How eventually-invariants and `{invariant: NAME}` conditions are
  // evaluated: incrementally (the default), or over the whole store every
  // time (--check-invariants full, a debugging aid; same results).
  properties::EvaluationMode check_invariants = properties::EvaluationMode::kIncremental;
  // Keep every trace entry (with causes and wait categories) in
  // RunRecord::trace. Off by default: it costs memory in proportion to events.
  bool record_trace = false;
  // --max-wall: the command's wall-time budget, shared by its runs (not
  // owned; nullptr: none). Past it the run stops between two events and
  // run_scenario answers with a ScenarioError whose wall_limit is set.
  const WallLimit* wall_limit = nullptr;
};

// An error of the scenario found while building or starting the world (a
// signing key that does not load, an object the apiserver rejects): exit 2.
struct ScenarioError {
  scenarios::Location location{};
  std::string message{};
  // The run was stopped by --max-wall (RunOptions::wall_limit), not by
  // anything in the scenario: location names the file alone (line 0).
  bool wall_limit = false;
  std::string render() const {
    return (location.line == 0 ? location.file : location.describe()) + ": error: " + message;
  }
};

// A scenario run driven one step at a time: what run_scenario does, opened
// up so that a caller can add steps of its own as it goes (sasim serve turns
// each HTTP request into a step). `scenario` must outlive the session; its
// own steps are not run by start(): run them with run_step, in order.
class Session {
 public:
  // Builds the world and creates the scenario's objects at time 0.
  static sim::Result<std::unique_ptr<Session>, ScenarioError> start(const scenarios::Scenario& scenario,
                                                                    const RunOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Waits for the step's start (`at`, `after`, else the previous step's
  // end), runs it and keeps its record for finish(). The same steps in the
  // same order give the same run.
  reports::StepRecord run_step(const scenarios::Step& step);
  // The time or event limit is reached, or --max-wall: run_scenario stops
  // running steps.
  bool limits_reached() const;
  // --max-wall stopped the run: its error (finish() is not worth calling).
  std::optional<ScenarioError> wall_limit_exceeded() const;
  // After finish(): the error when a limit cut the run short (steps left,
  // work pending, a wait past limits.time), at `limits:`.
  std::optional<ScenarioError> limit_exceeded(bool steps_left) const;
  // Lets simulated time pass up to `until` (within the limits) without a
  // step: what a later step's `at: until` would do first, done in pieces
  // (sasim serve's real-time clock). Recorded nowhere.
  void advance_to(sim::Time until);
  // The implicit final settle, the eventually-invariants, the run's record.
  reports::RunRecord finish();

  model::Cluster& cluster();
  sim::Simulator& simulator();
  // What the last step's final API request got back (none: no API action,
  // or no answer within the limits), and its last token review.
  const std::optional<model::ApiResponse>& last_response() const;
  const std::optional<model::TokenReviewResult>& last_review() const;

 private:
  class Run;
  explicit Session(std::unique_ptr<Run> run);
  std::unique_ptr<Run> run_;
};

// start, every step of the scenario while the limits allow, finish.
// The built-in signing key of `algorithm` and its public half as the
// invariants read it, for RunOptions::builtin_key and builtin_verifying_key:
// what a caller that runs many scenarios (the fuzzer, a report's sweep)
// parses once. Both null if the key does not parse.
struct BuiltinKeys {
  std::shared_ptr<const model::auth::SigningKey> key{};
  std::shared_ptr<const properties::VerifyingKey> verifying_key{};
};
BuiltinKeys load_builtin_keys(scenarios::SigningAlgorithm algorithm);

sim::Result<reports::RunRecord, ScenarioError> run_scenario(const scenarios::Scenario& scenario,
                                                            const RunOptions& options);

}  // namespace sasim::tools
