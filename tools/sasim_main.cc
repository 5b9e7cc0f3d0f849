// sasim: the command line, the one place where the layers meet.
//
// Exit codes follow the scenario-format contract: 0 passed, 1 a check
// failed, 2 invalid input or flags, 3 internal error.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <exception>
#include <fstream>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "model/cluster/broken_variants.h"
#include "model/versions/simulated.h"
#include "reports/chrome_trace.h"
#include "reports/junit.h"
#include "reports/run_json.h"
#include "reports/run_text.h"
#include "scenarios/parser.h"
#include "sim/duration_text.h"
#include "tools/completion.h"
#include "tools/demo.h"
#include "tools/fuzz/campaign.h"
#include "tools/fuzz/campaign_record.h"
#include "tools/fuzz/failure_db.h"
#include "tools/fuzz/fuzz_junit.h"
#include "tools/report/comparison.h"
#include "tools/merge/merge.h"
#include "tools/report/explain.h"
#include "tools/report/report_lines.h"
#include "tools/report/report_shard.h"
#include "tools/report/span_collector.h"
#include "tools/report/sweep.h"
#include "tools/report/write_report.h"
#include "tools/runner/coverage_report.h"
#include "tools/runner/memory_limit.h"
#include "tools/runner/runner.h"
#include "tools/scenario_inputs.h"
#include "tools/version/git_commit.h"
#include "tools/fuzz/upgrades.h"
#include "tools/serve/serve.h"

namespace {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "sasim: error: %s\n", message.c_str());
  return kExitBadInput;
}

// "sasim 0.1.0 (commit abc123)" and the Kubernetes releases simulated.
std::string version_text() {
  return std::string("sasim ") + SASIM_VERSION + " (commit " + sasim::tools::git_commit() + ")\nKubernetes versions simulated: " +
         sasim::model::versions::simulated_versions_text();
}

// What shards record to name the build that wrote them: "0.1.0 (commit abc123def456)".
std::string build_text() { return std::string(SASIM_VERSION) + " (commit " + sasim::tools::git_commit() + ")"; }

// --shard I/N of fuzz and report: nullopt unless 0 <= I < N.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_shard(const std::string& text) {
  unsigned long long index = 0, count = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%llu/%llu%c", &index, &count, &extra) != 2 || count == 0 || index >= count ||
      text.find_first_of("+- ") != std::string::npos) {
    return std::nullopt;
  }
  return std::make_pair(static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(count));
}

// --max-wall DURATION: the command's wall-time limit, started now (null
// when the flag is not given); a bad duration is a usage error.
sasim::sim::Result<std::unique_ptr<sasim::tools::WallLimit>> wall_limit_of(const std::string& text) {
  if (text.empty()) return std::unique_ptr<sasim::tools::WallLimit>();
  const auto parsed = sasim::sim::parse_duration(text);
  if (!parsed.ok()) return sasim::sim::unexpected(sasim::sim::Error{"--max-wall: " + parsed.error().message});
  if (parsed.value() <= sasim::sim::Duration::zero()) {
    return sasim::sim::unexpected(sasim::sim::Error{"--max-wall: must be more than 0s, got \"" + text + "\""});
  }
  return std::make_unique<sasim::tools::WallLimit>(parsed.value());
}

// --max-memory SIZE of fuzz and report: the process's address space is
// capped, and an allocation past it ends the command with an error (exit
// 2) instead of the kernel's out-of-memory kill (tools/runner/memory_limit.h).
// Default: the machine's physical memory; 0: no limit. A usage error's exit
// code, or nullopt to go on.
std::optional<int> limit_memory(const std::string& text) {
  std::uint64_t bytes = 0;
  std::string shown;
  if (text.empty()) {
    bytes = sasim::tools::physical_memory_bytes() >> 20 << 20;
    shown = "--max-memory " + std::to_string(bytes >> 20) + "MiB (the default: the machine's memory)";
  } else {
    const auto parsed = sasim::tools::parse_size(text);
    if (!parsed) return usage_error("--max-memory: " + parsed.error().message);
    bytes = parsed.value();
    shown = "--max-memory " + text;
  }
  if (bytes == 0) return std::nullopt;
  if (auto not_applied = sasim::tools::apply_memory_limit(bytes, shown)) {
    if (!text.empty()) std::fprintf(stderr, "sasim: warning: %s\n", not_applied->c_str());
  }
  return std::nullopt;
}

// Writes `content` to `path`; false if it could not.
bool write_text_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  return static_cast<bool>(out);
}

struct RunFlags {
  std::vector<std::string> files;
  std::optional<std::uint64_t> seed;
  bool json = false;
  bool strict = false;
  bool dump_state = false;
  bool fail_fast = false;
  bool coverage = false;
  std::string report_dir;
  std::string trace_file;
  std::string junit_file;
  std::vector<std::string> broken;
  std::vector<std::string> sets;
  std::string check_invariants = "incremental";
  std::string max_wall;
};

// --broken NAME: each must name a variant; exit 2 listing the known ones.
std::optional<int> check_broken(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    bool known = false;
    for (const auto& variant : sasim::model::broken_variants()) known = known || variant.name == name;
    if (!known) {
      return usage_error("--broken: unknown variant \"" + name + "\" (known: " + sasim::model::broken_variant_names() +
                         ")");
    }
  }
  return std::nullopt;
}

std::string broken_help() {
  std::string out = "Switch on a deliberately broken model variant, for testing the harness:";
  for (const auto& variant : sasim::model::broken_variants()) {
    out += "\n  " + std::string(variant.name) + ": " + std::string(variant.meaning);
  }
  return out;
}

struct FuzzFlags {
  sasim::tools::fuzz::CampaignOptions options;
  std::optional<std::uint64_t> cases;
  std::string time;
  std::string shard;
  std::string junit_file;
  std::string json_file;
  std::string db = sasim::tools::fuzz::kDefaultFailureDb;
  bool no_db = false;
  bool out_given = false;  // --out: the campaign's record (fuzz.json) goes there
  std::string max_wall;
  std::string max_memory;
};

// `sasim fuzz`: exit 0 when nothing is found, 1 with a counterexample. The
// failure database's entries are replayed first; one that still fails
// fails the campaign before anything is generated.
int fuzz(FuzzFlags& flags) {
  auto& options = flags.options;
  if (auto bad = check_broken(options.broken)) return *bad;
  if (flags.cases && !flags.time.empty()) return usage_error("fuzz takes --cases or --time, not both");
  if (!sasim::tools::fuzz::parse_version_range(options.generator.version)) {
    return usage_error("--version: \"" + options.generator.version + "\" is not a simulated release (simulated: " +
                       sasim::model::versions::simulated_versions_text() + "; or a range A..B of them)");
  }
  options.cases = flags.cases;
  if (!flags.time.empty()) {
    const auto parsed = sasim::sim::parse_duration(flags.time);
    if (!parsed.ok()) return usage_error("--time: " + parsed.error().message);
    options.wall_seconds = static_cast<double>(parsed.value().ns()) / 1e9;
  }
  if (!flags.shard.empty()) {
    const auto shard = parse_shard(flags.shard);
    if (!shard) return usage_error("--shard: expected I/N with 0 <= I < N, such as 0/4, got \"" + flags.shard + "\"");
    options.shard_index = shard->first;
    options.shard_count = shard->second;
  }
  auto write_junit = [&](const sasim::tools::fuzz::CampaignResult* result,
                         const std::vector<sasim::tools::fuzz::Replay>& replays) -> bool {
    if (flags.junit_file.empty()) return true;
    const std::string xml =
        sasim::reports::render_junit({sasim::tools::fuzz::fuzz_junit_suite(options, result, replays)}, "sasim fuzz");
    if (write_text_file(flags.junit_file, xml)) return true;
    usage_error("--junit: cannot write " + flags.junit_file);
    return false;
  };
  std::vector<sasim::tools::fuzz::Replay> replays;
  if (!flags.no_db) {
    replays = sasim::tools::fuzz::replay_db(flags.db, options.broken);
    bool still_failing = false;
    for (const auto& replay : replays) {
      std::printf("fuzz: failure database %s: %s%s\n", replay.entry.path.c_str(), replay.message.c_str(),
                  replay.still_fails ? "" : " (removed)");
      still_failing = still_failing || replay.still_fails;
    }
    if (still_failing) {
      std::printf("fuzz: a kept counterexample still fails; fix it first (replay the file with sasim run)\n");
      return write_junit(nullptr, replays) ? kExitFailed : kExitBadInput;
    }
  }
  auto wall_limit = wall_limit_of(flags.max_wall);
  if (!wall_limit) return usage_error(wall_limit.error().message);
  options.wall_limit = wall_limit.value().get();
  if (auto bad = limit_memory(flags.max_memory)) return *bad;
  options.progress = stderr;
  options.progress_is_tty = isatty(fileno(stderr)) != 0;
  const auto result = sasim::tools::fuzz::run_campaign(options);
  std::fputs(sasim::tools::fuzz::render_summary(options, result).c_str(), flags.json_file == "-" ? stderr : stdout);
  if (!flags.json_file.empty()) {
    const std::string json = sasim::tools::fuzz::summary_json(options, result).dump(2) + "\n";
    if (flags.json_file == "-") {
      std::fputs(json.c_str(), stdout);
    } else if (!write_text_file(flags.json_file, json)) {
      return usage_error("--json: cannot write " + flags.json_file);
    }
  }
  // The record for machines and for sasim merge, with --out or --shard; not
  // for a campaign --max-wall stopped, so that a merge of its shards fails
  // (a shard missing) rather than passes off part of the campaign as whole.
  if ((flags.out_given || !flags.shard.empty()) && result.stopped.empty()) {
    const std::string path = (std::filesystem::path(options.out_dir) / sasim::tools::fuzz::kCampaignRecordFile).string();
    std::error_code ec;
    std::filesystem::create_directories(options.out_dir, ec);
    const sasim::tools::fuzz::CampaignRecord record{build_text(), options, result};
    if (!write_text_file(path, sasim::tools::fuzz::render_campaign_record(record).dump(2) + "\n")) {
      return usage_error("--out: cannot write " + path);
    }
  }
  if (!flags.no_db && !result.counterexample_path.empty()) {
    auto saved = sasim::tools::fuzz::save_to_db(
        flags.db, result.counterexample_path,
        sasim::tools::fuzz::FailureCause{result.failure_kind, result.failure_object, result.failure_message},
        options.broken);
    if (saved) std::printf("kept in the failure database: %s\n", saved.value().c_str());
    else std::fprintf(stderr, "sasim: warning: %s\n", saved.error().message.c_str());
  }
  if (!write_junit(&result, replays)) return kExitBadInput;
  // A failure found is the news even when --max-wall stopped its shrinking;
  // a campaign stopped unfinished is exit 2, as run and report are: unlike
  // --time, the limit says the campaign asked for did not fit.
  if (result.failures > 0 && !result.stopped.empty()) return kExitFailed;
  if (!result.error.empty()) return kExitInternal;
  if (!result.stopped.empty()) {
    std::fprintf(stderr, "sasim: error: fuzz: %s; the campaign is unfinished\n", result.stopped.c_str());
    return kExitBadInput;
  }
  return result.failures == 0 ? kExitPassed : kExitFailed;
}

// Where --trace FILE writes scenario `index` (0-based) of `count`: FILE
// itself for one scenario; with several, FILE with the 1-based index before
// its extension (trace.json -> trace.1.json, trace.2.json, ...).
std::string trace_path(const std::string& file, std::size_t index, std::size_t count) {
  if (count == 1) return file;
  const std::size_t slash = file.find_last_of('/');
  const std::size_t dot = file.find_last_of('.');
  const std::string number = "." + std::to_string(index + 1);
  if (dot == std::string::npos || dot == 0 || (slash != std::string::npos && dot < slash + 2)) return file + number;
  return file.substr(0, dot) + number + file.substr(dot);
}

bool write_trace_file(const std::string& path, const sasim::reports::RunRecord& record) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  sasim::reports::write_chrome_trace(*record.trace, record.scenario, out, &record.steps);
  out.close();
  return static_cast<bool>(out);
}

// `sasim run`: each file parsed, run, reported; the worst outcome decides
// the exit code (invalid input over failure over success). --fail-fast
// stops at the first scenario that does not pass.
int run_files(const RunFlags& flags) {
  if (auto bad = check_broken(flags.broken)) return *bad;
  auto wall_limit = wall_limit_of(flags.max_wall);
  if (!wall_limit) return usage_error(wall_limit.error().message);
  auto inputs = sasim::tools::scenario_inputs(flags.files);
  if (!inputs) return usage_error(inputs.error().message);
  const std::vector<std::string>& files = inputs.value();
  std::vector<sasim::reports::JUnitSuite> suites;
  auto finish = [&](int exit_code) {
    if (!flags.junit_file.empty() &&
        !write_text_file(flags.junit_file, sasim::reports::render_junit(suites, "sasim run"))) {
      return usage_error("--junit: cannot write " + flags.junit_file);
    }
    return exit_code;
  };
  int exit_code = kExitPassed;
  for (std::size_t file_index = 0; file_index < files.size(); ++file_index) {
    if (flags.fail_fast && exit_code != kExitPassed) break;
    const std::string& file = files[file_index];
    auto parsed = sasim::scenarios::parse_scenario_file(file, flags.sets);
    if (!parsed) {
      const std::string message = parsed.error().render();
      std::fprintf(stderr, "%s\n", message.c_str());
      suites.push_back(sasim::reports::junit_error_suite(file, message));
      exit_code = kExitBadInput;
      continue;
    }
    sasim::tools::RunOptions options;
    options.seed = flags.seed;
    options.strict = flags.strict;
    options.dump_state = flags.dump_state;
    options.broken = flags.broken;
    options.check_invariants = flags.check_invariants == "full" ? sasim::properties::EvaluationMode::kFull
                                                                : sasim::properties::EvaluationMode::kIncremental;
    options.wall_limit = wall_limit.value().get();
    const std::uint64_t seed = flags.seed.value_or(parsed.value().seed);
    sasim::tools::SpanCollector collector(seed, /*sample_series=*/true);
    if (!flags.report_dir.empty()) options.observer = &collector;
    // --report explains its slow spans from this run's own trace.
    options.record_trace = !flags.trace_file.empty() || !flags.report_dir.empty();
    const auto started = std::chrono::steady_clock::now();
    auto record = sasim::tools::run_scenario(parsed.value(), options);
    if (!record) {
      const std::string message = record.error().render();
      std::fprintf(stderr, "%s\n", message.c_str());
      suites.push_back(sasim::reports::junit_error_suite(file, message));
      exit_code = kExitBadInput;
      // --max-wall bounds the command: the files after this one do not run.
      if (record.error().wall_limit) break;
      continue;
    }
    sasim::reports::RunRecord result = std::move(record).value();
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!flags.report_dir.empty()) {
      // Several files: one report directory each, named after the file.
      const std::string dir = files.size() == 1
                                  ? flags.report_dir
                                  : (std::filesystem::path(flags.report_dir) / std::filesystem::path(file).stem()).string();
      sasim::reports::TimingReport report;
      report.scenario = result.scenario;
      report.file = result.file;
      report.version = result.version;
      report.seed_first = report.seed_last = seed;
      report.parameters = collector.parameters();
      sasim::reports::SeedTiming timing = collector.take();
      timing.passed = result.passed;
      timing.events = result.events;
      timing.simulated_time = result.simulated_time;
      timing.trace_digest = result.trace_digest;
      report.runs.push_back(std::move(timing));
      report.wall_seconds = result.wall_seconds;
      sasim::tools::explain_slow_spans(*result.trace, report);
      if (auto error = sasim::tools::write_report(dir, report)) {
        std::fprintf(stderr, "sasim: error: --report: %s\n", error->message.c_str());
        exit_code = kExitBadInput;
        continue;
      }
    }
    if (!flags.trace_file.empty()) {
      const std::string path = trace_path(flags.trace_file, file_index, files.size());
      if (!write_trace_file(path, result)) return finish(usage_error("--trace: cannot write " + path));
      result.trace.reset();  // the memory goes before the next scenario runs
    }
    if (flags.json) {
      // JSON Lines: one compact document per scenario, one per line.
      nlohmann::ordered_json document = sasim::reports::render_run_json(result);
      if (flags.coverage) document["coverage"] = nlohmann::ordered_json(sasim::tools::coverage_json(result.coverage));
      std::printf("%s\n", document.dump().c_str());
    } else {
      std::fputs(sasim::reports::render_run_text(result).c_str(), stdout);
      if (flags.coverage) std::fputs(sasim::tools::render_coverage_table(result.coverage).c_str(), stdout);
    }
    std::fflush(stdout);
    suites.push_back(sasim::reports::junit_suite(result, flags.strict));
    if (!result.passed && exit_code == kExitPassed) exit_code = kExitFailed;
  }
  return finish(exit_code);
}

struct ReportFlags {
  std::string file;
  std::string seeds;
  std::string out;
  int jobs = 0;  // 0: one per hardware thread
  std::vector<std::string> sets;
  std::string sweep;
  std::vector<std::string> compare;
  std::string shard;
  std::string max_wall;
  std::string max_memory;
};

// The progress bar of `sasim report`: redrawn in place on a terminal, a
// line every few seconds otherwise (logs stay short).
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) != 0), started_(std::chrono::steady_clock::now()), last_(started_) {}
  void update(std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    if (tty_) {
      constexpr int kWidth = 40;
      const int filled = static_cast<int>(kWidth * done / total);
      std::fprintf(stderr, "\r[%s%s] %zu/%zu seeds, %.1fs", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(kWidth - filled), ' ').c_str(), done, total, elapsed);
      if (done == total) std::fputc('\n', stderr);
    } else if (done == total || now - last_ >= std::chrono::seconds(3)) {
      std::fprintf(stderr, "sasim report: %zu/%zu seeds, %.1fs\n", done, total, elapsed);
      last_ = now;
    }
    std::fflush(stderr);
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
};

// --sweep ACTOR.KEY=V1,V2,...: the knob and its values. Values are split at
// commas outside braces, brackets and quotes, so that a distribution such
// as {lognormal: {median: 2ms, p99: 20ms}} is one value.
std::optional<std::pair<std::string, std::vector<std::string>>> parse_sweep(const std::string& spec) {
  const std::size_t equals = spec.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) return std::nullopt;
  std::vector<std::string> values;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (char c : spec.substr(equals + 1)) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 0) {
      values.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  values.push_back(current);
  for (const std::string& v : values) {
    if (v.empty()) return std::nullopt;
  }
  return std::make_pair(spec.substr(0, equals), values);
}

// A directory name for a label: letters, digits and ._=- kept, the rest _.
std::string directory_name(const std::string& label) {
  std::string out = label;
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '=' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

// One scenario's sweep over the seeds, explained; nullopt after printing
// the error (exit 2).
std::optional<sasim::tools::SweepResult> sweep_seeds(const sasim::scenarios::Scenario& scenario,
                                                     sasim::tools::SweepOptions options) {
  Progress progress;
  options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
  auto result = sasim::tools::run_sweep(scenario, options);
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().render().c_str());
    return std::nullopt;
  }
  sasim::tools::SweepResult sweep = std::move(result).value();
  sasim::tools::RunOptions explain_options;
  explain_options.wall_limit = options.wall_limit;
  sasim::tools::explain_slow_spans(scenario, explain_options, sweep.report);
  // The replays that explain slow spans are runs too: --max-wall bounds them.
  if (options.wall_limit != nullptr && options.wall_limit->expired()) {
    std::fprintf(stderr, "%s: error: %s\n", scenario.file.c_str(), options.wall_limit->message().c_str());
    return std::nullopt;
  }
  return sweep;
}

// `sasim report --compare DIR_A DIR_B --out DIR`.
int compare_reports(const ReportFlags& flags) {
  if (!flags.file.empty() || !flags.seeds.empty() || !flags.sets.empty() || !flags.sweep.empty()) {
    return usage_error("--compare takes report directories only (no scenario, --seeds, --set or --sweep)");
  }
  if (flags.compare.size() < 2) return usage_error("--compare needs two report directories (or more)");
  std::vector<sasim::reports::ComparedReport> reports;
  for (const std::string& dir : flags.compare) {
    auto read = sasim::tools::read_report_dir(dir, dir);
    if (!read) return usage_error("--compare: " + read.error().message);
    reports.push_back(std::move(read).value());
  }
  if (auto error = sasim::tools::write_comparison(flags.out, reports)) return usage_error("--out: " + error->message);
  std::printf("comparison: %s/compare.html (%zu reports)\n", flags.out.c_str(), reports.size());
  return kExitPassed;
}

// `sasim report --shard I/N`: this shard's seeds, recorded exactly in
// OUT/report-shard.json for sasim merge (which writes the report itself).
int report_shard(const ReportFlags& flags, const sasim::scenarios::Scenario& scenario, sasim::tools::SweepOptions options) {
  const auto shard = parse_shard(flags.shard);
  if (!shard) return usage_error("--shard: expected I/N with 0 <= I < N, such as 0/4, got \"" + flags.shard + "\"");
  options.shard_index = shard->first;
  options.shard_count = shard->second;
  std::ifstream in(flags.file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return usage_error("cannot read " + flags.file);
  Progress progress;
  options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
  auto result = sasim::tools::run_sweep(scenario, options);
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().render().c_str());
    return kExitBadInput;
  }
  sasim::tools::ReportShard record;
  record.sasim = build_text();
  record.scenario_text = text.str();
  record.sets = flags.sets;
  record.shard_index = options.shard_index;
  record.shard_count = options.shard_count;
  record.report = std::move(result.value().report);
  record.failure_replays = result.value().failure_replays;
  const std::string path = (std::filesystem::path(flags.out) / sasim::tools::kReportShardFile).string();
  if (!write_text_file(path, sasim::tools::render_report_shard(record).dump() + "\n")) {
    return usage_error("--out: cannot write " + path);
  }
  std::printf("report shard %llu/%llu: %s (%zu runs of seeds %llu..%llu); once every shard has run, sasim merge --out "
              "DIR SHARD_DIR... writes the report\n",
              static_cast<unsigned long long>(record.shard_index), static_cast<unsigned long long>(record.shard_count),
              path.c_str(), record.report.runs.size(), static_cast<unsigned long long>(record.report.seed_first),
              static_cast<unsigned long long>(record.report.seed_last));
  if (result.value().failed > 0) {
    std::fputs(sasim::tools::report_failed_line(result.value().failed, record.report.runs.size(),
                                                result.value().first_failure_replay)
                   .c_str(),
               stdout);
    return kExitFailed;
  }
  return kExitPassed;
}

// `sasim merge --out DIR SHARD_DIR...`.
int merge_shards(const std::string& out, const std::vector<std::string>& dirs, const std::string& junit) {
  auto merged = sasim::tools::merge_shards(sasim::tools::MergeOptions{out, dirs, junit, build_text()});
  if (!merged) return usage_error(merged.error().message);
  std::fputs(merged.value().printed.c_str(), stdout);
  return merged.value().exit_code;
}

// `sasim report`: one scenario over a range of seeds, into a report
// directory; with --sweep, once per value of a knob, each into its own
// directory, and a comparison of them all.
int report_file(const ReportFlags& flags) {
  if (!flags.compare.empty() && !flags.shard.empty()) return usage_error("--compare takes no --shard");
  if (!flags.compare.empty()) return compare_reports(flags);
  if (flags.file.empty()) return usage_error("report needs a scenario file (or --compare DIR_A DIR_B)");
  if (!flags.shard.empty() && !flags.sweep.empty()) {
    return usage_error("--shard does not take --sweep yet: shard each value's report (--set ACTOR.KEY=V) instead");
  }
  // Before --out is created: a bad flag leaves nothing behind.
  if (!flags.shard.empty() && !parse_shard(flags.shard)) {
    return usage_error("--shard: expected I/N with 0 <= I < N, such as 0/4, got \"" + flags.shard + "\"");
  }
  std::optional<std::pair<std::string, std::vector<std::string>>> sweep;
  if (!flags.sweep.empty()) {
    sweep = parse_sweep(flags.sweep);
    if (!sweep) return usage_error("--sweep: expected ACTOR.KEY=V1,V2,... such as tokens-controller.qps=20,50, got \"" +
                                   flags.sweep + "\"");
  }
  // Each variant's overrides: the --set ones, then the swept value.
  std::vector<std::pair<std::string, std::vector<std::string>>> variants;
  if (!sweep) variants.emplace_back("", flags.sets);
  else {
    for (const std::string& value : sweep->second) {
      std::vector<std::string> sets = flags.sets;
      sets.push_back(sweep->first + "=" + value);
      variants.emplace_back(sweep->first + "=" + value, std::move(sets));
    }
  }
  std::vector<sasim::scenarios::Scenario> scenarios;
  for (const auto& [label, sets] : variants) {
    auto parsed = sasim::scenarios::parse_scenario_file(flags.file, sets);
    if (!parsed) {
      std::fprintf(stderr, "%s\n", parsed.error().render().c_str());
      return kExitBadInput;
    }
    scenarios.push_back(std::move(parsed).value());
  }
  auto wall_limit = wall_limit_of(flags.max_wall);
  if (!wall_limit) return usage_error(wall_limit.error().message);
  if (auto bad = limit_memory(flags.max_memory)) return *bad;
  sasim::tools::SweepOptions options;
  options.wall_limit = wall_limit.value().get();
  if (flags.seeds.empty()) {
    options.first = options.last = scenarios.front().seed;
  } else {
    auto range = sasim::tools::parse_seed_range(flags.seeds);
    if (!range) return usage_error("--seeds: " + range.error().message);
    options.first = range.value().first;
    options.last = range.value().second;
  }
  if (flags.jobs < 0) return usage_error("--jobs: must be at least 1 (or 0: one per hardware thread)");
  if (auto error = sasim::tools::prepare_report_dir(flags.out)) return usage_error("--out: " + error->message);
  options.jobs = flags.jobs > 0 ? flags.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!flags.shard.empty()) return report_shard(flags, scenarios.front(), options);

  std::vector<sasim::reports::ComparedReport> compared;
  std::size_t failed_runs = 0;
  std::string first_failure;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string& label = variants[i].first;
    const std::string dir =
        sweep ? (std::filesystem::path(flags.out) / directory_name(label)).string() : flags.out;
    if (sweep) std::fprintf(stderr, "sasim report: %s\n", label.c_str());
    auto result = sweep_seeds(scenarios[i], options);
    if (!result) return kExitBadInput;
    if (auto error = sasim::tools::write_report(dir, result->report)) return usage_error("--out: " + error->message);
    const auto& report = result->report;
    std::fputs(sasim::tools::report_written_lines(dir, report, label, flags.sets).c_str(), stdout);
    if (result->failed > 0 && failed_runs == 0) first_failure = result->first_failure_replay;
    failed_runs += result->failed;
    if (sweep) compared.push_back(sasim::tools::compared(report, label));
  }
  if (sweep) {
    if (auto error = sasim::tools::write_comparison(flags.out, compared)) return usage_error("--out: " + error->message);
    std::printf("comparison: %s/compare.html (%zu values of %s)\n", flags.out.c_str(), compared.size(),
                sweep->first.c_str());
  }
  if (failed_runs > 0) {
    const std::size_t runs = static_cast<std::size_t>(options.last - options.first + 1) * scenarios.size();
    std::fputs(sasim::tools::report_failed_line(failed_runs, runs, first_failure).c_str(), stdout);
    return kExitFailed;
  }
  return kExitPassed;
}

// `sasim check`: parse and validate only; every problem of every file.
int check_files(const std::vector<std::string>& arguments, const std::vector<std::string>& sets) {
  auto inputs = sasim::tools::scenario_inputs(arguments);
  if (!inputs) return usage_error(inputs.error().message);
  int exit_code = kExitPassed;
  for (const std::string& file : inputs.value()) {
    auto parsed = sasim::scenarios::parse_scenario_file(file, sets);
    if (!parsed) {
      std::fprintf(stderr, "%s\n", parsed.error().render().c_str());
      exit_code = kExitBadInput;
    } else {
      std::printf("%s: ok (%zu steps)\n", file.c_str(), parsed.value().steps.size());
    }
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"sasim: a deterministic simulator of the Kubernetes ServiceAccount machinery"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  sasim::tools::DemoOptions demo;
  std::string horizon = sasim::sim::format_duration(demo.gossip.horizon);
  CLI::App* demo_command = app.add_subcommand(
      "demo", "Run the engine demonstration (a gossip workload with crashes and lossy links) and replay it");
  demo_command->add_option("--seed", demo.seed, "Root of all randomness")->capture_default_str();
  demo_command->add_option("--peers", demo.gossip.peers, "Number of peers")->check(CLI::Range(1, 10000))
      ->capture_default_str();
  demo_command->add_option("--crashes", demo.gossip.crashes, "Crashes drawn from the seed")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  demo_command->add_option("--horizon", horizon, "How long peers keep gossiping (a duration, e.g. 10s)")
      ->capture_default_str();
  demo_command->add_option("--lines", demo.trace_lines, "Trace lines to print (0: all)")->capture_default_str();

  const std::string versions = "Kubernetes versions simulated: " + sasim::model::versions::simulated_versions_text();
  const std::string set_help =
      "Override a knob as the file would set it: ACTOR.KEY=VALUE (tokens-controller.qps=50), cluster.KEY=VALUE "
      "(cluster.serviceAccountLookup=false) or limits.KEY=VALUE; repeatable";

  RunFlags run_flags;
  CLI::App* run_command = app.add_subcommand("run", "Run scenario files and check their expectations and invariants");
  run_command->footer(versions);
  run_command->add_option("files", run_flags.files, "Scenario files, or directories: every *.yaml under each, in name order")
      ->required();
  run_command->add_option("--seed", run_flags.seed, "Override the scenarios' seed");
  run_command->add_flag("--json", run_flags.json, "Print one compact JSON document per scenario per line (JSON Lines)");
  run_command->add_flag("--strict", run_flags.strict, "Fail on known upstream weaknesses too");
  run_command->add_flag("--dump-state", run_flags.dump_state, "Add every object at the end of the run to the JSON");
  run_command->add_flag("--fail-fast", run_flags.fail_fast, "Stop at the first scenario that fails or is invalid");
  run_command->add_flag("--coverage", run_flags.coverage,
                        "Print how often each rule's path was taken (with --json: a \"coverage\" object)");
  run_command
      ->add_option("--check-invariants", run_flags.check_invariants,
                   "How eventually-invariants and {invariant: NAME} conditions are evaluated: incremental (only "
                   "namespaces changed since the last evaluation) or full (the whole store every time: a debugging "
                   "aid, same results)")
      ->check(CLI::IsMember({"incremental", "full"}))
      ->capture_default_str();
  run_command->add_option("--set", run_flags.sets, set_help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run_command->add_option("--report", run_flags.report_dir,
                           "Write the timing report (report.html, report.json, spans.csv) into DIR");
  run_command->add_option("--trace", run_flags.trace_file, "Write the trace as Chrome trace-event JSON for Perfetto (several scenarios: FILE.1.json, ...)");
  run_command->add_option("--max-wall", run_flags.max_wall,
                          "Stop with an error (exit 2) once the command has run this long (wall time, e.g. 30s); the "
                          "files after the one it stops do not run");
  run_command->add_option("--junit", run_flags.junit_file,
                          "Write JUnit XML into FILE: a test suite per scenario, a test case per step and per invariant");

  ReportFlags report_flags;
  CLI::App* report_command =
      app.add_subcommand("report", "Run a scenario over a range of seeds and write its timing report");
  report_command->footer(versions);
  report_command->add_option("file", report_flags.file, "Scenario file");
  report_command->add_option("--seeds", report_flags.seeds, "Seeds A..B (default: the scenario's seed)");
  report_command->add_option("--out", report_flags.out, "Directory for report.html, report.json, spans.csv")
      ->required();
  report_command->add_option("--jobs", report_flags.jobs, "Threads (default: one per hardware thread)");
  report_command->add_option("--set", report_flags.sets, set_help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  report_command->add_option("--sweep", report_flags.sweep,
                             "ACTOR.KEY=V1,V2,...: run the seeds once per value, each into OUT/ACTOR.KEY=V, and "
                             "compare them in OUT/compare.html");
  report_command->add_option("--compare", report_flags.compare,
                             "DIR_A DIR_B...: put the reports in these directories side by side in OUT/compare.html")
      ->expected(2, 64);
  report_command->add_option("--shard", report_flags.shard,
                             "Run the I-th of N disjoint parts of the seeds (I/N) into OUT/report-shard.json; sasim "
                             "merge joins the parts into the report");
  report_command->add_option("--max-memory", report_flags.max_memory,
                             "Cap the process's memory (address space) at SIZE (512MiB, 2GiB, 4G; 0: no cap); past it the command stops with an error (exit 2) rather than being killed. Default: the machine's physical memory. Not applied in a sanitizer build");
  report_command->add_option("--max-wall", report_flags.max_wall,
                             "Stop with an error (exit 2) once the report has taken this long (wall time, e.g. 10m)");

  std::string merge_out;
  std::vector<std::string> merge_dirs;
  std::string merge_junit;
  CLI::App* merge_command = app.add_subcommand(
      "merge", "Join the --shard I/N outputs of a fuzz campaign or a report into the files one machine writes");
  merge_command->add_option("--out", merge_out, "Directory for the merged files")->required();
  merge_command->add_option("--junit", merge_junit,
                            "fuzz: write the JUnit XML sasim fuzz --junit writes for the whole campaign into FILE");
  merge_command->add_option("shards", merge_dirs, "The shards' --out directories, one per shard (any order)")
      ->required();

  // One name per --broken, so that `run --broken X FILE` keeps FILE a file.
  run_command->add_option("--broken", run_flags.broken, broken_help())
      ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  FuzzFlags fuzz_flags;
  CLI::App* fuzz_command = app.add_subcommand(
      "fuzz", "Run generated scenarios until one fails; shrink it and write it as a scenario file");
  fuzz_command->add_option("--seed", fuzz_flags.options.seed, "Seed of the campaign")->capture_default_str();
  fuzz_command->add_option("--cases", fuzz_flags.cases, "Number of cases in the whole campaign (default 1000)");
  fuzz_command->add_option("--time", fuzz_flags.time, "Run for this long instead (wall time, e.g. 60s)");
  fuzz_command->add_option("--max-memory", fuzz_flags.max_memory,
                           "Cap the process's memory (address space) at SIZE (512MiB, 2GiB, 4G; 0: no cap); past it the command stops with an error (exit 2) rather than being killed. Default: the machine's physical memory. Not applied in a sanitizer build");
  fuzz_command->add_option("--max-wall", fuzz_flags.max_wall,
                           "Stop the campaign unfinished (exit 2; 1 if it found a failure) once it has run this long, "
                           "shrinking and replays included (wall time, e.g. 10m); --time is the budget of a campaign "
                           "that is complete when it ends");
  fuzz_command->add_option("--out", fuzz_flags.options.out_dir,
                           "Where to write the counterexample and the campaign's record (fuzz.json, also with --shard)")
      ->capture_default_str();
  fuzz_command->add_option("--shard", fuzz_flags.shard, "Run the I-th of N disjoint parts of the campaign (I/N)");
  fuzz_command->add_option("--broken", fuzz_flags.options.broken, broken_help())
      ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  fuzz_command->add_option("--size", fuzz_flags.options.generator.max_steps, "Most steps in a generated timeline")
      ->check(CLI::Range(0, 200))->capture_default_str();
  fuzz_command->add_option("--version", fuzz_flags.options.generator.version,
                           "Kubernetes minor version every case runs (cluster.version), or a range A..B: cases start in it and may upgrade, one minor at a time, up to B")
      ->capture_default_str();
  fuzz_command->add_flag("--faults,!--no-faults", fuzz_flags.options.generator.faults,
                         "Generate fault steps (the default; --no-faults: user actions only)");
  fuzz_command->add_option("--max-shrink", fuzz_flags.options.shrink.max_runs, "Most case runs spent shrinking")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  fuzz_command->add_option("--junit", fuzz_flags.junit_file,
                           "Write JUnit XML into FILE: a test case for the shard (with its counterexample) and one per "
                           "failure-database entry replayed");
  fuzz_command->add_option("--db", fuzz_flags.db,
                           "Failure database: counterexamples found are kept here and replayed first by the next "
                           "campaign")
      ->capture_default_str();
  fuzz_command->add_flag("--no-db", fuzz_flags.no_db, "Neither replay nor keep counterexamples in the database");
  fuzz_command->add_option("--json", fuzz_flags.json_file,
                           "Write the summary as JSON, per-probe rule coverage counts included (-: stdout)");

  sasim::tools::serve::ServeOptions serve_options;
  std::string serve_clock = "settle";
  std::string serve_accounts = "read-only";
  CLI::App* serve_command = app.add_subcommand(
      "serve", "Serve a scenario's world (or an empty cluster) behind the Kubernetes API for kubectl and client "
               "libraries; Ctrl-C stops and prints the trace digest");
  serve_command->add_option("scenario", serve_options.scenario_file, "Scenario file (default: an empty cluster)");
  serve_command->add_option("--version", serve_options.version, "Kubernetes minor version simulated (cluster.version)");
  serve_command->add_option("--listen", serve_options.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  serve_command->add_option("--kubeconfig", serve_options.kubeconfig, "Where to write the kubeconfig")
      ->capture_default_str();
  serve_command->add_option("--clock", serve_clock,
                            "settle: each request at the current simulated time, then the world runs until quiet; "
                            "realtime: simulated time follows the wall clock (times --speed)")
      ->check(CLI::IsMember({"settle", "realtime"}))
      ->capture_default_str();
  serve_command->add_option("--speed", serve_options.speed, "realtime: simulated seconds per wall second")
      ->capture_default_str();
  serve_command->add_option("--pause", serve_options.pause,
                            "settle: simulated time that passes once the world is quiet, before the next request "
                            "(a person's time to read and type)")
      ->capture_default_str();
  serve_command->add_option("--record", serve_options.record_file,
                            "Write the session as a scenario file that sasim run replays to the same trace digest");
  serve_command->add_flag("--insecure-http", serve_options.insecure_http,
                          "Plain HTTP instead of HTTPS (kubectl sends no token there: every request is the admin's)");
  serve_command->add_option("--serviceaccounts", serve_accounts,
                            "What a ServiceAccount's token may do: read-only (get, list, watch), all, or none "
                            "(discovery only)")
      ->check(CLI::IsMember({"read-only", "all", "none"}))
      ->capture_default_str();
  serve_command->add_flag("--quiet", serve_options.quiet, "Do not log each request on stderr");
  serve_command->add_option("--threads", serve_options.threads, "Connections served at once (each watch holds one)")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  serve_command->add_option("--max-waiting", serve_options.max_waiting,
                            "Connections that may wait for a thread; more get 429 TooManyRequests")
      ->check(CLI::Range(0, 65536))
      ->capture_default_str();

  std::vector<std::string> check_files_list;
  std::vector<std::string> check_sets;
  CLI::App* check_command = app.add_subcommand("check", "Parse and validate scenario files without running them");
  check_command->footer(versions);
  check_command->add_option("files", check_files_list, "Scenario files, or directories of them")->required();
  check_command->add_option("--set", check_sets, set_help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  std::string shell;
  CLI::App* completion_command = app.add_subcommand(
      "completion", "Print a shell completion script: source <(sasim completion bash)");
  completion_command->add_option("shell", shell, "The shell (bash)")->required()->check(CLI::IsMember({"bash"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return usage_error(error.what());
  }

  if (run_command->parsed()) return run_files(run_flags);
  if (check_command->parsed()) return check_files(check_files_list, check_sets);
  if (fuzz_command->parsed()) {
    fuzz_flags.out_given = fuzz_command->get_option("--out")->count() > 0;
    return fuzz(fuzz_flags);
  }
  if (merge_command->parsed()) return merge_shards(merge_out, merge_dirs, merge_junit);
  if (report_command->parsed()) return report_file(report_flags);
  if (completion_command->parsed()) {
    std::vector<std::string> variants;
    for (const auto& variant : sasim::model::broken_variants()) variants.emplace_back(variant.name);
    std::fputs(sasim::tools::bash_completion(app, variants).c_str(), stdout);
    return kExitPassed;
  }
  if (serve_command->parsed()) {
    serve_options.clock =
        serve_clock == "realtime" ? sasim::tools::serve::Clock::kRealtime : sasim::tools::serve::Clock::kSettle;
    serve_options.service_accounts = *sasim::api::parse_service_account_access(serve_accounts);
    return sasim::tools::serve::run_serve(serve_options);
  }
  if (demo_command->parsed()) {
    const auto parsed = sasim::sim::parse_duration(horizon);
    if (!parsed.ok()) return usage_error("--horizon: " + parsed.error().message);
    demo.gossip.horizon = parsed.value();
    const auto first = sasim::tools::run_demo(demo, /*record_trace=*/true);
    const auto replay = sasim::tools::run_demo(demo, /*record_trace=*/false);
    std::string out;
    const bool identical = sasim::tools::render_demo(demo, first, replay, out);
    std::fputs(out.c_str(), stdout);
    return identical ? kExitPassed : kExitFailed;
  }
  return kExitPassed;
} catch (const std::bad_alloc&) {
  // An allocation refused without the new-handler's say (--max-memory's
  // handler ends the process itself): still out of memory, not a bug.
  std::fputs("sasim: error: out of memory\n", stderr);
  return kExitBadInput;
} catch (const std::exception& error) {
  std::fprintf(stderr, "sasim: internal error: %s\n", error.what());
  return kExitInternal;
}
