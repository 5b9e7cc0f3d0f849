#include "tools/runner/wall_limit.h"

#include <utility>

#include "sim/duration_text.h"

namespace sasim::tools {

WallLimit::WallLimit(sim::Duration budget, std::function<Clock::time_point()> clock)
    : budget_(budget), clock_(std::move(clock)), deadline_(clock_() + std::chrono::nanoseconds(budget.ns())) {}

bool WallLimit::expired() const {
  if (expired_.load(std::memory_order_relaxed)) return true;
  if (clock_() < deadline_) return false;
  expired_.store(true, std::memory_order_relaxed);
  return true;
}

std::string WallLimit::message() const {
  return "the run took longer than --max-wall " + sim::format_duration(budget_) + " of wall time";
}

}  // namespace sasim::tools
