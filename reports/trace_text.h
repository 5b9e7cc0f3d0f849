// Plain-text rendering of a recorded trace, one event per line:
//
//        12.5ms  #41     peer-2    message  rumor #7 from peer-0
//
// Columns: simulated time, event sequence, actor, kind, text. Deterministic
// (no wall time, no addresses), so renderings can serve as golden files.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/trace.h"

namespace sasim::reports {

// Names an actor for display; the harness (no actor) gets "-".
using ActorNamer = std::function<std::string(sim::ActorId)>;

std::string render_trace_line(const sim::TraceEntry& entry, const ActorNamer& name_of);

// The first `max_lines` entries (all when max_lines is 0), then a line saying
// how many were left out.
std::string render_trace(const std::vector<sim::TraceEntry>& entries, const ActorNamer& name_of,
                         std::size_t max_lines);

}  // namespace sasim::reports
