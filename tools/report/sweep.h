// A timing report over a range of seeds: one Simulator per seed, run on
// `jobs` threads, gathered in seed order, so the report is the same whatever
// the number of jobs (only its wall-clock figures differ).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "reports/timing.h"
#include "scenarios/scenario.h"
#include "sim/result.h"
#include "tools/runner/runner.h"

namespace sasim::tools {

struct SweepOptions {
  std::uint64_t first = 1;
  std::uint64_t last = 1;
  int jobs = 1;
  // `--shard I/N`: only the seeds first + k with k mod N == I, so that N
  // machines together run the range once (sasim merge joins their parts).
  // The time series still belong to `first` alone, whichever shard runs it.
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  // Called after each finished seed with (done, total), from one thread at a time.
  std::function<void(std::size_t, std::size_t)> progress{};
  // --max-wall, shared by every seed's run (not owned; nullptr: none). Past
  // it no seed starts, the running ones stop, and run_sweep answers with
  // the error (ScenarioError::wall_limit).
  const WallLimit* wall_limit = nullptr;
};

struct SweepResult {
  // seed_first/seed_last name the whole range; runs hold this shard's seeds.
  reports::TimingReport report{};
  std::size_t failed = 0;             // runs whose steps or invariants failed
  std::string first_failure_replay{};  // the command that replays the first of them
  // The replay command of every failed run, by seed (what a merge of shards needs).
  std::vector<std::pair<std::uint64_t, std::string>> failure_replays{};
};

sim::Result<SweepResult, ScenarioError> run_sweep(const scenarios::Scenario& scenario, const SweepOptions& options);

// "A..B" or "A": the seeds of `sasim report --seeds`.
sim::Result<std::pair<std::uint64_t, std::uint64_t>> parse_seed_range(const std::string& text);

}  // namespace sasim::tools
