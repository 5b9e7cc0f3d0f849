// The wall-time limit of one command (`--max-wall DURATION` of sasim run,
// fuzz and report): the only place the runner reads a real clock. The
// simulation never sees it: the runner asks the engine to stop through
// RunLimits::stop_when, so a run within its limit is the same run, with
// the same digest, as one without a limit.
//
// One WallLimit is shared by every run of a command (several files, a
// campaign's cases, a report's seeds on several threads): it bounds the
// command, not each run. Once expired it stays expired.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "sim/time.h"

namespace sasim::tools {

class WallLimit {
 public:
  using Clock = std::chrono::steady_clock;
  // The budget starts now. `clock` is the steady clock but in tests, which
  // give one that moves as they say (it is called from the runs' threads).
  explicit WallLimit(sim::Duration budget, std::function<Clock::time_point()> clock = &Clock::now);

  // True once the budget is spent (reads the clock until then).
  bool expired() const;
  sim::Duration budget() const { return budget_; }
  // "the run took longer than --max-wall 30s of wall time"
  std::string message() const;

 private:
  sim::Duration budget_;
  std::function<Clock::time_point()> clock_;
  Clock::time_point deadline_;
  mutable std::atomic<bool> expired_{false};
};

}  // namespace sasim::tools
