// Human output of `sasim run`: one line per step with the simulated times it
// started and ended, its result and its number (the `index` of --json), a
// summary, and for a failure the expectation, what was found and
// the command that replays it. Readable at a glance; deterministic apart
// from the wall-clock figure.
#pragma once

#include <string>

#include "reports/run_record.h"

namespace sasim::reports {

std::string render_run_text(const RunRecord& record);

// How a step is named in every output: "NAME (ACTION)", or its action.
std::string step_label(const StepRecord& step);

}  // namespace sasim::reports
