#include "reports/report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/svg_plot.h"
#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

constexpr const char* kReportStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:1.6em;margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ccc;padding-bottom:4px}
h3{margin:20px 0 6px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 10px;text-align:right}
th{background:#f2f2f2}td.name,th.name{text-align:left}tr.open td{color:#a33}
.muted{color:#666}.span{display:inline-block;vertical-align:top;margin:0 16px 16px 0}
svg.plot{background:#fff;border:1px solid #ddd}svg .frame{fill:none;stroke:#999}
svg .bar{fill:#0072B2;opacity:.75}svg .cdf{fill:none;stroke:#D55E00;stroke-width:1.5}
svg .line{fill:none;stroke-width:1.5}svg .tick,svg .legend{font-size:11px;fill:#333}
svg .ptitle{font-size:13px;font-weight:600;fill:#222}
ul.contributors li{margin:4px 0}
)";

std::string text(sim::Duration d) { return sim::format_duration(d); }

// A table cell: the rounded figure, the exact one on hover.
std::string cell(sim::Duration d) {
  return fmt::format("<td title=\"{}\">{}</td>", text(d), short_duration(static_cast<double>(d.ns())));
}

std::string durations_row(const SpanSummary& s) {
  if (s.count == 0) {
    return fmt::format("<td>0</td><td>{}</td><td colspan=\"6\" class=\"muted name\">no finished instances</td>", s.open);
  }
  return fmt::format("<td>{}</td><td>{}</td>{}{}{}{}{}{}", s.count, s.open, cell(s.min), cell(s.p50), cell(s.p90),
                     cell(s.p99), cell(s.max), cell(s.last_end.since_start()));
}

}  // namespace

std::string describe_contributors(const SpanContributors& c) {
  std::string out = c.span + " " + c.quantile + ":";
  bool first = true;
  for (const auto& [what, share] : c.shares) {
    out += fmt::format("{} {} % {}", first ? "" : ",", static_cast<long>(std::lround(share * 100)), what);
    first = false;
  }
  return out;
}

std::string render_timing_html(const TimingReport& report) {
  const std::vector<SpanSummary> summaries = summarize(report);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  h += fmt::format("<title>sasim timing report: {}</title><style>{}</style></head><body>\n",
                   html_escape(report.scenario), kReportStyle);
  h += fmt::format("<h1>Timing report: {}</h1>\n", html_escape(report.scenario));
  const std::string seeds = report.seed_first == report.seed_last
                                ? fmt::format("seed {}", report.seed_first)
                                : fmt::format("seeds {}..{} ({} runs)", report.seed_first, report.seed_last,
                                              report.runs.size());
  std::size_t passed = 0;
  for (const SeedTiming& run : report.runs) passed += run.passed ? 1 : 0;
  h += fmt::format("<p class=\"muted\">{} &middot; Kubernetes {} &middot; {} &middot; {} of {} runs passed</p>\n",
                   html_escape(report.file), html_escape(report.version), seeds, passed, report.runs.size());

  // Summary.
  h += "<h2 id=\"summary\">Spans</h2>\n";
  h += "<p>Simulated time from a cause to its effect (scenario format &sect;10), over every run. "
       "<em>open</em>: instances still open when their run ended; <em>last end</em>: the latest simulated "
       "time at which an instance ended within a run.</p>\n";
  h += "<table id=\"span-summary\" class=\"summary\"><thead><tr><th class=\"name\">span</th><th>count</th>"
       "<th>open</th><th>min</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>last end</th>"
       "</tr></thead><tbody>\n";
  for (const SpanSummary& s : summaries) {
    h += fmt::format("<tr{}><td class=\"name\">{}</td>{}</tr>\n", s.open > 0 ? " class=\"open\"" : "", s.span,
                     durations_row(s));
  }
  h += "</tbody></table>\n";
  for (const SpanSummary& s : summaries) {
    if (s.span == "pod-admitted" && s.count > 0) {
      h += fmt::format("<p>pod-admitted: {} ServerTimeout retries in all, at most {} for one pod.</p>\n",
                       s.total_retries, s.max_retries);
    }
  }

  // Critical path (filled by the caller from the trace).
  if (!report.contributors.empty()) {
    h += "<h2 id=\"critical-path\">Where the time goes</h2>\n<ul class=\"contributors\">\n";
    for (const SpanContributors& c : report.contributors) {
      h += "<li>" + html_escape(describe_contributors(c));
      if (!c.chain.empty()) {
        h += fmt::format("<details><summary>{} (seed {}, {}): the chain of causes</summary><pre>{}</pre></details>",
                         html_escape(c.subject), c.seed, html_escape(sim::format_duration(c.duration)),
                         html_escape(c.chain));
      }
      h += "</li>\n";
    }
    h += "</ul>\n";
  }

  // One section per span with instances: its table and distribution.
  h += "<h2 id=\"distributions\">Distributions</h2>\n";
  for (const SpanSummary& s : summaries) {
    if (s.count == 0 && s.open == 0) continue;
    std::vector<sim::Duration> durations;
    for (const SeedTiming& run : report.runs) {
      for (const SpanInstance& instance : run.spans) {
        if (instance.span == s.span && instance.end) durations.push_back(instance.duration());
      }
    }
    std::sort(durations.begin(), durations.end());
    h += fmt::format("<div class=\"span\" id=\"span-{}\"><h3>{}</h3>\n", s.span, s.span);
    h += fmt::format(
        "<table class=\"span-table\"><tr><th>count</th><th>open</th><th>min</th><th>p50</th><th>p90</th>"
        "<th>p99</th><th>max</th><th>last end</th></tr><tr>{}</tr></table>\n",
        durations_row(s));
    h += svg_histogram(durations, s.span) + "\n";
    const auto slow = slowest(report, s.span, 3);
    if (!slow.empty()) {
      h += "<p class=\"muted\">slowest: ";
      for (std::size_t i = 0; i < slow.size(); ++i) {
        h += fmt::format("{}{} (seed {}, {})", i ? "; " : "", html_escape(slow[i]->subject), slow[i]->seed,
                         short_duration(static_cast<double>(slow[i]->duration().ns())));
      }
      h += "</p>\n";
    }
    h += "</div>\n";
  }

  // Over time, for the first run.
  if (!report.runs.empty()) {
    const SeedTiming& first = report.runs.front();
    h += fmt::format("<h2 id=\"over-time\">Over time (seed {})</h2>\n", first.seed);
    h += "<div class=\"span\">" + svg_series(first.object_counts, "objects in the apiserver", "objects") + "</div>\n";
    h += "<div class=\"span\">" +
         svg_series(first.queue_depths, "work queue depth per controller", "keys queued or waiting to retry") +
         "</div>\n";
  }

  // Parameters.
  h += "<h2 id=\"parameters\">Parameters</h2>\n<table id=\"parameters-table\"><tbody>\n";
  h += fmt::format("<tr><td class=\"name\">seeds</td><td class=\"name\">{}..{}</td></tr>\n", report.seed_first,
                   report.seed_last);
  for (const auto& [knob, value] : report.parameters) {
    h += fmt::format("<tr><td class=\"name\">{}</td><td class=\"name\">{}</td></tr>\n", html_escape(knob),
                     html_escape(value));
  }
  h += "</tbody></table>\n";

  // Speed.
  const double simulated = static_cast<double>(total_simulated(report).ns()) / 1e9;
  const double events = static_cast<double>(total_events(report));
  const double wall = report.wall_seconds;
  h += "<h2 id=\"performance\">Speed</h2>\n<table id=\"performance-table\"><tbody>\n";
  h += fmt::format("<tr><td class=\"name\">runs</td><td>{}</td></tr>", report.runs.size());
  h += fmt::format("<tr><td class=\"name\">events</td><td>{}</td></tr>", total_events(report));
  h += fmt::format("<tr><td class=\"name\">simulated seconds</td><td>{:.3f}</td></tr>", simulated);
  h += fmt::format("<tr><td class=\"name\">wall seconds ({} jobs)</td><td>{:.3f}</td></tr>", report.jobs, wall);
  h += fmt::format("<tr><td class=\"name\">events per wall second</td><td>{:.0f}</td></tr>",
                   wall > 0 ? events / wall : 0.0);
  h += fmt::format("<tr><td class=\"name\">simulated seconds per wall second</td><td>{:.1f}</td></tr>\n",
                   wall > 0 ? simulated / wall : 0.0);
  h += "</tbody></table>\n";
  h += "<p class=\"muted\">Every figure but this speed table depends only on the scenario and the seeds.</p>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace sasim::reports
