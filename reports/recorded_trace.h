// RecordedTrace: a run's trace entries with the names of its actors, kept
// when a run is asked to record (sasim run --trace, timing reports), for
// renderings that need more than the digest: the Chrome trace export and the
// critical paths.
#pragma once

#include <string>
#include <vector>

#include "sim/trace.h"

namespace sasim::reports {

struct RecordedTrace {
  std::vector<sim::TraceEntry> entries{};
  std::vector<std::string> actor_names{};  // indexed by ActorId::value
};

}  // namespace sasim::reports
