// A timing report over a range of seeds: one Simulator per seed, run on
// `jobs` threads, gathered in seed order, so the report is the same whatever
// the number of jobs (only its wall-clock figures differ).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "reports/timing.h"
#include "scenarios/scenario.h"
#include "sim/result.h"
#include "tools/runner/runner.h"

namespace sasim::tools {

struct SweepOptions {
  std::uint64_t first = 1;
  std::uint64_t last = 1;
  int jobs = 1;
  // Called after each finished seed with (done, total), from one thread at a time.
  std::function<void(std::size_t, std::size_t)> progress{};
};

struct SweepResult {
  reports::TimingReport report{};
  std::size_t failed = 0;             // runs whose steps or invariants failed
  std::string first_failure_replay{};  // the command that replays the first of them
};

sim::Result<SweepResult, ScenarioError> run_sweep(const scenarios::Scenario& scenario, const SweepOptions& options);

// "A..B" or "A": the seeds of `sasim report --seeds`.
sim::Result<std::pair<std::uint64_t, std::uint64_t>> parse_seed_range(const std::string& text);

}  // namespace sasim::tools
