// Human output of `sasim run`: one line per step with its simulated time and
// result, a summary, and for a failure the expectation, what was found and
// the command that replays it. Readable at a glance; deterministic apart
// from the wall-clock figure.
#pragma once

#include <string>

#include "reports/run_record.h"

namespace sasim::reports {

std::string render_run_text(const RunRecord& record);

}  // namespace sasim::reports
