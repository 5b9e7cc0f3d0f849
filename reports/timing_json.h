// report.json and spans.csv of a timing report; the schema is in docs/report.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/timing.h"

namespace sasim::reports {

// Everything but "performance" depends only on the scenario and the seeds.
nlohmann::json render_timing_json(const TimingReport& report);

// One row per span instance, in seed order, with a header row.
std::string render_spans_csv(const TimingReport& report);

}  // namespace sasim::reports
