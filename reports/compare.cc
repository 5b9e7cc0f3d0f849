#include "reports/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/svg_plot.h"
#include "reports/timing.h"
#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

using nlohmann::json;

constexpr const char* kStatistics[] = {"p50", "p90", "p99", "max"};

// A span's entry in a report, or null.
const json* span_of(const json& report, const std::string& span) {
  for (const json& s : report["spans"]) {
    if (s.value("span", "") == span) return &s;
  }
  return nullptr;
}

std::optional<std::int64_t> ns_of(const json* span, const char* statistic) {
  if (span == nullptr) return std::nullopt;
  const json& value = (*span)["ns"][statistic];
  if (!value.is_number_integer()) return std::nullopt;  // null: no finished instances
  return value.get<std::int64_t>();
}

std::string signed_duration(std::int64_t ns) {
  const std::string magnitude = sim::format_duration(sim::Duration::nanoseconds(ns < 0 ? -ns : ns));
  return (ns < 0 ? "-" : "+") + magnitude;
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:1.6em;margin-bottom:4px}h2{margin-top:28px;border-bottom:1px solid #ccc;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 10px;text-align:right}
th{background:#f2f2f2}td.name,th.name{text-align:left}.muted{color:#666}.better{color:#1a7f37}.worse{color:#b3261e}
)";

}  // namespace

std::optional<std::string> check_comparable(const json& report) {
  if (!report.is_object()) return "not a JSON object";
  for (const char* key : {"scenario", "spans", "parameters", "seeds"}) {
    if (!report.contains(key)) return fmt::format("missing \"{}\"", key);
  }
  if (!report["spans"].is_array()) return "\"spans\" is not a list";
  for (std::size_t i = 0; i < report["spans"].size(); ++i) {
    const json& s = report["spans"][i];
    if (!s.is_object() || !s.contains("span") || !s.contains("count") || !s.contains("open") || !s.contains("ns") ||
        !s["ns"].is_object()) {
      return fmt::format("spans[{}] lacks span, count, open or ns", i);
    }
  }
  if (!report["parameters"].is_object()) return "\"parameters\" is not a map";
  return std::nullopt;
}

json render_comparison_json(const std::vector<ComparedReport>& reports) {
  json out;
  out["reports"] = json::array();
  for (const ComparedReport& r : reports) {
    out["reports"].push_back({{"label", r.label},
                              {"scenario", r.report.value("scenario", "")},
                              {"file", r.report.value("file", "")},
                              {"version", r.report.value("version", "")},
                              {"seeds", r.report.value("seeds", json::object())}});
  }
  // Every parameter of any report, with each report's value (null where a
  // report lacks it), and whether they differ.
  std::map<std::string, std::vector<json>> parameters;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (const auto& [key, value] : reports[i].report["parameters"].items()) {
      auto& values = parameters[key];
      values.resize(reports.size());
      values[i] = value;
    }
  }
  out["parameters"] = json::array();
  for (auto& [key, values] : parameters) {
    values.resize(reports.size());
    bool differs = false;
    for (const json& v : values) differs = differs || v != values.front();
    out["parameters"].push_back({{"parameter", key}, {"values", values}, {"differs", differs}});
  }
  // The spans in the order of §10, then any others the first report has.
  std::vector<std::string> spans(std::begin(kSpanNames), std::end(kSpanNames));
  for (const json& s : reports.empty() ? json::array() : reports.front().report["spans"]) {
    const std::string name = s.value("span", "");
    if (std::find(spans.begin(), spans.end(), name) == spans.end()) spans.push_back(name);
  }
  out["spans"] = json::array();
  for (const std::string& span : spans) {
    json entry{{"span", span}, {"reports", json::array()}, {"differences", json::array()}};
    for (const ComparedReport& r : reports) {
      const json* s = span_of(r.report, span);
      json cell{{"count", s ? (*s)["count"] : json(0)}, {"open", s ? (*s)["open"] : json(0)}};
      for (const char* statistic : kStatistics) cell[statistic] = s ? (*s)[statistic] : json();
      json ns = json::object();
      for (const char* statistic : kStatistics) {
        const auto value = ns_of(s, statistic);
        ns[statistic] = value ? json(*value) : json();
      }
      cell["ns"] = std::move(ns);
      entry["reports"].push_back(std::move(cell));
    }
    const json* base = reports.empty() ? nullptr : span_of(reports.front().report, span);
    for (std::size_t i = 1; i < reports.size(); ++i) {
      const json* other = span_of(reports[i].report, span);
      json difference{{"from", reports.front().label}, {"to", reports[i].label}};
      for (const char* statistic : kStatistics) {
        const auto a = ns_of(base, statistic);
        const auto b = ns_of(other, statistic);
        if (!a || !b) {
          difference[statistic] = json();
          continue;
        }
        difference[statistic] = {{"delta", signed_duration(*b - *a)},
                                 {"deltaNs", *b - *a},
                                 {"ratio", *a > 0 ? json(static_cast<double>(*b) / static_cast<double>(*a)) : json()}};
      }
      entry["differences"].push_back(std::move(difference));
    }
    out["spans"].push_back(std::move(entry));
  }
  return out;
}

std::string render_comparison_html(const std::vector<ComparedReport>& reports) {
  const json comparison = render_comparison_json(reports);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += fmt::format("<title>sasim comparison</title><style>{}</style></head><body>\n", kStyle);
  h += "<h1>Timing reports compared</h1>\n<p class=\"muted\">Each report's spans side by side; changes are against "
       "the first (" + html_escape(reports.empty() ? "" : reports.front().label) + ").</p>\n";
  h += "<table><tr><th class=\"name\">report</th><th class=\"name\">scenario</th><th class=\"name\">seeds</th></tr>\n";
  for (const json& r : comparison["reports"]) {
    const json& seeds = r["seeds"];
    h += fmt::format("<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}..{} ({})</td></tr>\n",
                     html_escape(r["label"].get<std::string>()), html_escape(r["scenario"].get<std::string>()),
                     seeds.value("first", 0), seeds.value("last", 0), seeds.value("count", 0));
  }
  h += "</table>\n<h2>Parameters that differ</h2>\n";
  std::string rows;
  for (const json& p : comparison["parameters"]) {
    if (!p["differs"].get<bool>()) continue;
    rows += "<tr><td class=\"name\">" + html_escape(p["parameter"].get<std::string>()) + "</td>";
    for (const json& v : p["values"]) rows += "<td>" + html_escape(v.is_string() ? v.get<std::string>() : "-") + "</td>";
    rows += "</tr>\n";
  }
  if (rows.empty()) {
    h += "<p class=\"muted\">none: the reports ran with the same parameters.</p>\n";
  } else {
    h += "<table><tr><th class=\"name\">parameter</th>";
    for (const ComparedReport& r : reports) h += "<th>" + html_escape(r.label) + "</th>";
    h += "</tr>\n" + rows + "</table>\n";
  }
  h += "<h2>Spans</h2>\n";
  for (const json& span : comparison["spans"]) {
    bool any = false;
    for (const json& cell : span["reports"]) any = any || cell["count"].get<std::size_t>() > 0 || cell["open"].get<std::size_t>() > 0;
    if (!any) continue;
    h += "<h3>" + html_escape(span["span"].get<std::string>()) + "</h3>\n<table><tr><th class=\"name\"></th>";
    for (const ComparedReport& r : reports) h += "<th>" + html_escape(r.label) + "</th>";
    h += "</tr>\n";
    for (const char* row : {"count", "open"}) {
      h += fmt::format("<tr><td class=\"name\">{}</td>", row);
      for (const json& cell : span["reports"]) h += fmt::format("<td>{}</td>", cell[row].dump());
      h += "</tr>\n";
    }
    for (const char* statistic : kStatistics) {
      h += fmt::format("<tr><td class=\"name\">{}</td>", statistic);
      for (std::size_t i = 0; i < span["reports"].size(); ++i) {
        const json& value = span["reports"][i]["ns"][statistic];
        if (!value.is_number_integer()) {
          h += "<td class=\"muted\">-</td>";
          continue;
        }
        std::string change;
        if (i > 0) {
          const json& d = span["differences"][i - 1][statistic];
          if (d.is_object() && d["ratio"].is_number()) {
            const double ratio = d["ratio"].get<double>();
            change = fmt::format(" <span class=\"{}\">({:+.0f} %)</span>", ratio < 1 ? "better" : ratio > 1 ? "worse" : "muted",
                                 (ratio - 1) * 100);
          }
        }
        h += fmt::format("<td title=\"{}\">{}{}</td>", html_escape(span["reports"][i][statistic].get<std::string>()),
                         short_duration(static_cast<double>(value.get<std::int64_t>())), change);
      }
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace sasim::reports
