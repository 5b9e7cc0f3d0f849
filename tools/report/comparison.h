// The files of `sasim report --compare` and `--sweep`: compare.json and
// compare.html (reports/compare.h) in an output directory, from report
// directories on disk or reports made in this run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/compare.h"
#include "reports/timing.h"
#include "sim/result.h"

namespace sasim::tools {

// DIR/report.json, checked to be a report; labelled `label`.
sim::Result<reports::ComparedReport> read_report_dir(const std::string& dir, const std::string& label);

// A report made in this process, as its report.json would hold it.
reports::ComparedReport compared(const reports::TimingReport& report, const std::string& label);

// Writes compare.json and compare.html into `dir` (created if need be).
std::optional<sim::Error> write_comparison(const std::string& dir, const std::vector<reports::ComparedReport>& reports);

}  // namespace sasim::tools
