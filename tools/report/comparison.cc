#include "tools/report/comparison.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/timing_json.h"
#include "tools/report/write_report.h"

namespace sasim::tools {

sim::Result<reports::ComparedReport> read_report_dir(const std::string& dir, const std::string& label) {
  const std::string path = (std::filesystem::path(dir) / "report.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return sim::unexpected(sim::Error{"cannot read " + path + " (a directory that sasim report or run --report wrote)"});
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json report = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) return sim::unexpected(sim::Error{path + " is not JSON"});
  if (auto problem = reports::check_comparable(report)) {
    return sim::unexpected(sim::Error{path + " is not a timing report: " + *problem});
  }
  return reports::ComparedReport{label, std::move(report)};
}

reports::ComparedReport compared(const reports::TimingReport& report, const std::string& label) {
  // Through its text, as a report read back from disk would be.
  return reports::ComparedReport{label, nlohmann::json::parse(reports::render_timing_json(report).dump())};
}

std::optional<sim::Error> write_comparison(const std::string& dir, const std::vector<reports::ComparedReport>& reports) {
  if (auto error = prepare_report_dir(dir)) return error;
  const std::filesystem::path root(dir);
  for (const auto& [name, content] :
       {std::pair<std::string, std::string>{"compare.json", reports::render_comparison_json(reports).dump(2) + "\n"},
        std::pair<std::string, std::string>{"compare.html", reports::render_comparison_html(reports)}}) {
    std::ofstream out(root / name, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) return sim::Error{"cannot write " + (root / name).string()};
  }
  return std::nullopt;
}

}  // namespace sasim::tools
