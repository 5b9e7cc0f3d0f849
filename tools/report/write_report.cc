#include "tools/report/write_report.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "reports/report_html.h"
#include "reports/timing_json.h"

namespace sasim::tools {
namespace {

std::optional<sim::Error> write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return sim::Error{"cannot write " + path.string()};
  return std::nullopt;
}

}  // namespace

std::optional<sim::Error> prepare_report_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    return sim::Error{"cannot create directory " + dir + ": " + (error ? error.message() : "not a directory")};
  }
  return std::nullopt;
}

std::optional<sim::Error> write_report(const std::string& dir, const reports::TimingReport& report) {
  if (auto error = prepare_report_dir(dir)) return error;
  const std::filesystem::path root(dir);
  if (auto e = write_file(root / "report.json", reports::render_timing_json(report).dump(2) + "\n")) return e;
  if (auto e = write_file(root / "spans.csv", reports::render_spans_csv(report))) return e;
  return write_file(root / "report.html", reports::render_timing_html(report));
}

}  // namespace sasim::tools
