// Writes a timing report's three files into a directory (created if need be):
// report.json, spans.csv and report.html.
#pragma once

#include <optional>
#include <string>

#include "reports/timing.h"
#include "sim/result.h"

namespace sasim::tools {

// Creates the directory if need be: checked before a long sweep, so that a
// bad --out fails at once.
std::optional<sim::Error> prepare_report_dir(const std::string& dir);

// The error, if a file could not be written.
std::optional<sim::Error> write_report(const std::string& dir, const reports::TimingReport& report);

}  // namespace sasim::tools
