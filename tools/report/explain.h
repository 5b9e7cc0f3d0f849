// Where the time of slow spans goes: the critical path (reports/critical_path.h)
// of a report's slowest span instances, found by replaying their seeds with
// the trace recorded. A sweep keeps no traces (a thousand of them would not
// fit), and a replay of a seed is the same run event for event, so an
// instance's end_seq names the same event in the replay.
#pragma once

#include "reports/recorded_trace.h"
#include "reports/timing.h"
#include "scenarios/scenario.h"
#include "tools/runner/runner.h"

namespace sasim::tools {

// For every span with finished instances: its p99 instance (nearest rank)
// and its slowest, each with its biggest contributors. `base` carries what
// the measured runs used besides the seed (broken variants, signing key).
void explain_slow_spans(const scenarios::Scenario& scenario, const RunOptions& base, reports::TimingReport& report);
// The same for the report of one run whose trace is at hand (sasim run
// --report records it): nothing to replay.
void explain_slow_spans(const reports::RecordedTrace& trace, reports::TimingReport& report);

}  // namespace sasim::tools
