#include "reports/timing_json.h"

#include <fmt/format.h>

#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

// How many of the slowest instances per span the JSON lists (for a later
// critical-path walk: seed, start and end_seq locate each in its trace).
constexpr std::size_t kSlowestListed = 5;

std::string text(sim::Duration d) { return sim::format_duration(d); }
std::string text(sim::Time t) { return sim::format_duration(t.since_start()); }

nlohmann::json series_json(const std::vector<Series>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const Series& series : all) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& [time, value] : series.points) points.push_back({time.ns(), value});
    out.push_back({{"name", series.name}, {"points", std::move(points)}});
  }
  return out;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

nlohmann::json render_timing_json(const TimingReport& report) {
  nlohmann::json out;
  out["scenario"] = report.scenario;
  out["file"] = report.file;
  out["version"] = report.version;
  out["seeds"] = {{"first", report.seed_first}, {"last", report.seed_last}, {"count", report.runs.size()}};
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [knob, value] : report.parameters) parameters[knob] = value;
  out["parameters"] = std::move(parameters);

  nlohmann::json spans = nlohmann::json::array();
  for (const SpanSummary& s : summarize(report)) {
    nlohmann::json slow = nlohmann::json::array();
    for (const SpanInstance* instance : slowest(report, s.span, kSlowestListed)) {
      slow.push_back({{"subject", instance->subject},
                      {"seed", instance->seed},
                      {"start", text(instance->start)},
                      {"end", text(*instance->end)},
                      {"duration", text(instance->duration())},
                      {"endSeq", instance->end_seq}});
    }
    // A span with no finished instance has no statistics: null, not "0s".
    const bool measured = s.count > 0;
    auto stat = [measured](sim::Duration d) { return measured ? nlohmann::json(text(d)) : nlohmann::json(); };
    auto stat_ns = [measured](std::int64_t ns) { return measured ? nlohmann::json(ns) : nlohmann::json(); };
    spans.push_back({{"span", s.span},
                     {"count", s.count},
                     {"open", s.open},
                     {"min", stat(s.min)},
                     {"p50", stat(s.p50)},
                     {"p90", stat(s.p90)},
                     {"p99", stat(s.p99)},
                     {"max", stat(s.max)},
                     {"lastEnd", measured ? nlohmann::json(text(s.last_end)) : nlohmann::json()},
                     {"ns",
                      {{"min", stat_ns(s.min.ns())},
                       {"p50", stat_ns(s.p50.ns())},
                       {"p90", stat_ns(s.p90.ns())},
                       {"p99", stat_ns(s.p99.ns())},
                       {"max", stat_ns(s.max.ns())},
                       {"lastEnd", stat_ns(s.last_end.ns())}}},
                     {"retries", {{"max", s.max_retries}, {"total", s.total_retries}}},
                     {"slowest", std::move(slow)}});
  }
  out["spans"] = std::move(spans);

  nlohmann::json contributors = nlohmann::json::array();
  for (const SpanContributors& c : report.contributors) {
    nlohmann::json shares = nlohmann::json::array();
    for (const auto& [what, share] : c.shares) shares.push_back({{"what", what}, {"share", share}});
    contributors.push_back({{"span", c.span},
                            {"quantile", c.quantile},
                            {"subject", c.subject},
                            {"seed", c.seed},
                            {"duration", text(c.duration)},
                            {"shares", std::move(shares)},
                            {"chain", c.chain}});
  }
  out["contributors"] = std::move(contributors);

  nlohmann::json runs = nlohmann::json::array();
  for (const SeedTiming& run : report.runs) {
    runs.push_back({{"seed", run.seed},
                    {"passed", run.passed},
                    {"events", run.events},
                    {"simulatedTime", text(run.simulated_time)},
                    {"traceDigest", fmt::format("{:016x}", run.trace_digest)},
                    {"spanInstances", run.spans.size()}});
  }
  out["runs"] = std::move(runs);

  const SeedTiming* first = report.runs.empty() ? nullptr : &report.runs.front();
  out["timeSeries"] = {{"seed", first ? first->seed : report.seed_first},
                       {"objectCounts", first ? series_json(first->object_counts) : nlohmann::json::array()},
                       {"queueDepths", first ? series_json(first->queue_depths) : nlohmann::json::array()}};

  const double simulated = static_cast<double>(total_simulated(report).ns()) / 1e9;
  const double events = static_cast<double>(total_events(report));
  const double wall = report.wall_seconds;
  out["performance"] = {{"wallSeconds", wall},
                        {"jobs", report.jobs},
                        {"events", total_events(report)},
                        {"simulatedSeconds", simulated},
                        {"eventsPerWallSecond", wall > 0 ? events / wall : 0.0},
                        {"simulatedSecondsPerWallSecond", wall > 0 ? simulated / wall : 0.0}};
  return out;
}

std::string render_spans_csv(const TimingReport& report) {
  std::string out = "span,subject,seed,start_ns,end_ns,duration_ns,end_seq,retries,open\n";
  for (const SeedTiming& run : report.runs) {
    for (const SpanInstance& s : run.spans) {
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", s.span, csv_field(s.subject), s.seed, s.start.ns(),
                         s.end ? std::to_string(s.end->ns()) : "", s.end ? std::to_string(s.duration().ns()) : "",
                         s.end ? std::to_string(s.end_seq) : "", s.retries, s.is_open() ? "true" : "false");
    }
  }
  return out;
}

}  // namespace sasim::reports
