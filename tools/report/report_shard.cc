#include "tools/report/report_shard.h"

#include <charconv>

#include <fmt/format.h>

namespace sasim::tools {
namespace {

using nlohmann::json;

json series_json(const std::vector<reports::Series>& all) {
  json out = json::array();
  for (const reports::Series& series : all) {
    json points = json::array();
    for (const auto& [time, value] : series.points) points.push_back({time.ns(), value});
    out.push_back({{"name", series.name}, {"points", std::move(points)}});
  }
  return out;
}

json run_json(const reports::SeedTiming& run) {
  json spans = json::array();
  for (const reports::SpanInstance& s : run.spans) {
    spans.push_back({{"span", s.span},
                     {"subject", s.subject},
                     {"startNs", s.start.ns()},
                     {"endNs", s.end ? json(s.end->ns()) : json()},
                     {"open", s.open},
                     {"endSeq", s.end_seq},
                     {"retries", s.retries}});
  }
  return {{"seed", run.seed},
          {"passed", run.passed},
          {"events", run.events},
          {"simulatedTimeNs", run.simulated_time.ns()},
          {"traceDigest", fmt::format("{:016x}", run.trace_digest)},
          {"spans", std::move(spans)},
          {"objectCounts", series_json(run.object_counts)},
          {"queueDepths", series_json(run.queue_depths)}};
}

// Reading: each accessor fails with the path of what is wrong, so that a
// corrupt or foreign file is refused with a message, never a crash.
struct Reader {
  std::string error{};

  const json* field(const json& object, const char* key, const std::string& where) {
    if (!error.empty()) return nullptr;
    if (!object.is_object() || !object.contains(key)) {
      error = fmt::format("{}: missing \"{}\"", where, key);
      return nullptr;
    }
    return &object.at(key);
  }
  std::string text(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v == nullptr) return {};
    if (!v->is_string()) return fail<std::string>(where, key, "a string");
    return v->get<std::string>();
  }
  std::uint64_t unsigned_number(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v == nullptr) return 0;
    // Parsed text gives unsigned numbers; a document built in memory, signed ones.
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
      return fail<std::uint64_t>(where, key, "an unsigned integer");
    }
    return v->get<std::uint64_t>();
  }
  // Nanoseconds since the start of a run: never negative.
  std::int64_t nanoseconds(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v == nullptr) return 0;
    if (!v->is_number_integer() || v->get<std::int64_t>() < 0) return fail<std::int64_t>(where, key, "nanoseconds (>= 0)");
    return v->get<std::int64_t>();
  }
  bool boolean(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v == nullptr) return false;
    if (!v->is_boolean()) return fail<bool>(where, key, "true or false");
    return v->get<bool>();
  }
  double real(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v == nullptr) return 0;
    if (!v->is_number()) return fail<double>(where, key, "a number");
    return v->get<double>();
  }
  const json* array(const json& object, const char* key, const std::string& where) {
    const json* v = field(object, key, where);
    if (v != nullptr && !v->is_array()) {
      fail<int>(where, key, "an array");
      return nullptr;
    }
    return v;
  }
  template <class T>
  T fail(const std::string& where, const char* key, const char* what) {
    if (error.empty()) error = fmt::format("{}: \"{}\" is not {}", where, key, what);
    return T{};
  }
};

std::vector<reports::Series> parse_series(Reader& r, const json& object, const char* key, const std::string& where) {
  std::vector<reports::Series> out;
  const json* all = r.array(object, key, where);
  if (all == nullptr) return out;
  for (std::size_t i = 0; i < all->size() && r.error.empty(); ++i) {
    const std::string at = fmt::format("{}.{}[{}]", where, key, i);
    reports::Series series;
    series.name = r.text((*all)[i], "name", at);
    const json* points = r.array((*all)[i], "points", at);
    if (points == nullptr) break;
    for (const json& point : *points) {
      if (!point.is_array() || point.size() != 2 || !point[0].is_number_integer() || point[0].get<std::int64_t>() < 0 ||
          !point[1].is_number_integer()) {
        r.error = at + ": a point is not [nanoseconds, value]";
        break;
      }
      series.points.emplace_back(sim::Time::from_start(sim::Duration::nanoseconds(point[0].get<std::int64_t>())),
                                 point[1].get<std::int64_t>());
    }
    out.push_back(std::move(series));
  }
  return out;
}

reports::SeedTiming parse_run(Reader& r, const json& run, const std::string& at) {
  reports::SeedTiming out;
  out.seed = r.unsigned_number(run, "seed", at);
  out.passed = r.boolean(run, "passed", at);
  out.events = r.unsigned_number(run, "events", at);
  out.simulated_time = sim::Time::from_start(sim::Duration::nanoseconds(r.nanoseconds(run, "simulatedTimeNs", at)));
  const std::string digest = r.text(run, "traceDigest", at);
  if (r.error.empty()) {
    auto [end, ec] = std::from_chars(digest.data(), digest.data() + digest.size(), out.trace_digest, 16);
    if (ec != std::errc() || end != digest.data() + digest.size() || digest.size() != 16) {
      r.error = at + ": \"traceDigest\" is not 16 hex digits";
    }
  }
  if (const json* spans = r.array(run, "spans", at)) {
    for (std::size_t i = 0; i < spans->size() && r.error.empty(); ++i) {
      const json& s = (*spans)[i];
      const std::string where = fmt::format("{}.spans[{}]", at, i);
      reports::SpanInstance instance;
      instance.span = r.text(s, "span", where);
      instance.subject = r.text(s, "subject", where);
      instance.seed = out.seed;
      instance.start = sim::Time::from_start(sim::Duration::nanoseconds(r.nanoseconds(s, "startNs", where)));
      if (const json* end = r.field(s, "endNs", where); end != nullptr && !end->is_null()) {
        instance.end = sim::Time::from_start(sim::Duration::nanoseconds(r.nanoseconds(s, "endNs", where)));
      }
      instance.open = r.boolean(s, "open", where);
      instance.end_seq = r.unsigned_number(s, "endSeq", where);
      instance.retries = static_cast<int>(r.unsigned_number(s, "retries", where));
      out.spans.push_back(std::move(instance));
    }
  }
  out.object_counts = parse_series(r, run, "objectCounts", at);
  out.queue_depths = parse_series(r, run, "queueDepths", at);
  return out;
}

}  // namespace

nlohmann::json render_report_shard(const ReportShard& shard) {
  const reports::TimingReport& report = shard.report;
  json parameters = json::array();
  for (const auto& [knob, value] : report.parameters) parameters.push_back({knob, value});
  json runs = json::array();
  for (const reports::SeedTiming& run : report.runs) runs.push_back(run_json(run));
  json failures = json::array();
  for (const auto& [seed, replay] : shard.failure_replays) failures.push_back({{"seed", seed}, {"replay", replay}});
  return {{"kind", "sasim report shard"},
          {"format", 1},
          {"sasim", shard.sasim},
          {"scenario", report.scenario},
          {"file", report.file},
          {"version", report.version},
          {"scenarioText", shard.scenario_text},
          {"sets", shard.sets},
          {"seeds", {{"first", report.seed_first}, {"last", report.seed_last}}},
          {"shard", {{"index", shard.shard_index}, {"count", shard.shard_count}}},
          {"parameters", std::move(parameters)},
          {"runs", std::move(runs)},
          {"failures", std::move(failures)},
          {"performance", {{"wallSeconds", report.wall_seconds}, {"jobs", report.jobs}}}};
}

sim::Result<ReportShard> parse_report_shard(const nlohmann::json& document) {
  Reader r;
  ReportShard out;
  if (!document.is_object() || !document.contains("kind") || document["kind"] != "sasim report shard") {
    return sim::unexpected(sim::Error{"not a shard of sasim report (no \"kind\": \"sasim report shard\")"});
  }
  if (r.unsigned_number(document, "format", "shard") != 1 && r.error.empty()) {
    return sim::unexpected(sim::Error{"format " + document["format"].dump() + " is not one this sasim reads (1)"});
  }
  out.sasim = r.text(document, "sasim", "shard");
  out.report.scenario = r.text(document, "scenario", "shard");
  out.report.file = r.text(document, "file", "shard");
  out.report.version = r.text(document, "version", "shard");
  out.scenario_text = r.text(document, "scenarioText", "shard");
  if (const json* sets = r.array(document, "sets", "shard")) {
    for (const nlohmann::json& set : *sets) {
      if (!set.is_string()) {
        r.error = "shard: \"sets\" holds a value that is not a string";
        break;
      }
      out.sets.push_back(set.get<std::string>());
    }
  }
  if (const nlohmann::json* seeds = r.field(document, "seeds", "shard")) {
    out.report.seed_first = r.unsigned_number(*seeds, "first", "shard.seeds");
    out.report.seed_last = r.unsigned_number(*seeds, "last", "shard.seeds");
  }
  if (const nlohmann::json* shard = r.field(document, "shard", "shard")) {
    out.shard_index = r.unsigned_number(*shard, "index", "shard.shard");
    out.shard_count = r.unsigned_number(*shard, "count", "shard.shard");
  }
  if (const nlohmann::json* parameters = r.array(document, "parameters", "shard")) {
    for (const nlohmann::json& p : *parameters) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string()) {
        r.error = "shard: a parameter is not [knob, value]";
        break;
      }
      out.report.parameters.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
  }
  if (const nlohmann::json* runs = r.array(document, "runs", "shard")) {
    for (std::size_t i = 0; i < runs->size() && r.error.empty(); ++i) {
      out.report.runs.push_back(parse_run(r, (*runs)[i], fmt::format("shard.runs[{}]", i)));
    }
  }
  if (const nlohmann::json* failures = r.array(document, "failures", "shard")) {
    for (std::size_t i = 0; i < failures->size() && r.error.empty(); ++i) {
      const std::string at = fmt::format("shard.failures[{}]", i);
      const std::uint64_t seed = r.unsigned_number((*failures)[i], "seed", at);
      out.failure_replays.emplace_back(seed, r.text((*failures)[i], "replay", at));
    }
  }
  if (const nlohmann::json* performance = r.field(document, "performance", "shard")) {
    out.report.wall_seconds = r.real(*performance, "wallSeconds", "shard.performance");
    out.report.jobs = static_cast<int>(r.unsigned_number(*performance, "jobs", "shard.performance"));
  }
  if (!r.error.empty()) return sim::unexpected(sim::Error{r.error});
  if (out.shard_count == 0 || out.shard_index >= out.shard_count) {
    return sim::unexpected(sim::Error{fmt::format("shard {}/{} is not a shard (0 <= I < N)", out.shard_index, out.shard_count)});
  }
  if (out.report.seed_first > out.report.seed_last) {
    return sim::unexpected(sim::Error{"shard: the seed range is empty"});
  }
  return out;
}

}  // namespace sasim::tools
