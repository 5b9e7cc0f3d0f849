// Timing reports side by side (`sasim report --compare DIR_A DIR_B`, and the
// summary of `sasim report --sweep`): for each span, each report's count,
// open instances and percentiles, and how each report differs from the
// first (the baseline): the change in simulated time and the ratio.
//
// The input is report.json as docs/report.md describes it (a report written
// by this or an earlier sasim), so that two runs made at different times,
// by different builds or on different machines can be compared.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sasim::reports {

struct ComparedReport {
  std::string label;      // how the report is named in the comparison ("qps=20", "DIR_A")
  nlohmann::json report;  // its report.json
};

// What makes a document unfit to compare ("spans[2]: missing p99"), or nothing.
std::optional<std::string> check_comparable(const nlohmann::json& report);

// compare.json: {"reports": [...], "parameters": [...], "spans": [...]}
// (docs/report.md, "Comparing reports").
nlohmann::json render_comparison_json(const std::vector<ComparedReport>& reports);
// compare.html: one self-contained page, a table per span.
std::string render_comparison_html(const std::vector<ComparedReport>& reports);

}  // namespace sasim::reports
