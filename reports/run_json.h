// The JSON document of `sasim run --json` (scenario format §9), one per
// scenario.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/run_record.h"

namespace sasim::reports {

nlohmann::ordered_json render_run_json(const RunRecord& record);

}  // namespace sasim::reports
