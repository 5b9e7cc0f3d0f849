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
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/broken_variants.h"
#include "reports/chrome_trace.h"
#include "reports/run_json.h"
#include "reports/run_text.h"
#include "scenarios/parser.h"
#include "sim/duration_text.h"
#include "tools/demo.h"
#include "tools/fuzz/campaign.h"
#include "tools/report/span_collector.h"
#include "tools/report/sweep.h"
#include "tools/report/explain.h"
#include "tools/report/write_report.h"
#include "tools/runner/runner.h"
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

struct RunFlags {
  std::vector<std::string> files;
  std::optional<std::uint64_t> seed;
  bool json = false;
  bool strict = false;
  bool dump_state = false;
  std::string report_dir;
  std::string trace_file;
  std::vector<std::string> broken;
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
};

// `sasim fuzz`: exit 0 when nothing is found, 1 with a counterexample.
int fuzz(FuzzFlags& flags) {
  auto& options = flags.options;
  if (auto bad = check_broken(options.broken)) return *bad;
  if (flags.cases && !flags.time.empty()) return usage_error("fuzz takes --cases or --time, not both");
  options.cases = flags.cases;
  if (!flags.time.empty()) {
    const auto parsed = sasim::sim::parse_duration(flags.time);
    if (!parsed.ok()) return usage_error("--time: " + parsed.error().message);
    options.wall_seconds = static_cast<double>(parsed.value().ns()) / 1e9;
  }
  if (!flags.shard.empty()) {
    unsigned long long index = 0, count = 0;
    char extra = 0;
    if (std::sscanf(flags.shard.c_str(), "%llu/%llu%c", &index, &count, &extra) != 2 || count == 0 || index >= count) {
      return usage_error("--shard: expected I/N with 0 <= I < N, such as 0/4, got \"" + flags.shard + "\"");
    }
    options.shard_index = index;
    options.shard_count = count;
  }
  options.progress = stderr;
  options.progress_is_tty = isatty(fileno(stderr)) != 0;
  const auto result = sasim::tools::fuzz::run_campaign(options);
  std::fputs(sasim::tools::fuzz::render_summary(options, result).c_str(), stdout);
  if (!result.error.empty()) return kExitInternal;
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
  sasim::reports::write_chrome_trace(*record.trace, record.scenario, out);
  out.close();
  return static_cast<bool>(out);
}

// `sasim run`: each file parsed, run, reported; the worst outcome decides
// the exit code (invalid input over failure over success).
int run_files(const RunFlags& flags) {
  if (auto bad = check_broken(flags.broken)) return *bad;
  int exit_code = kExitPassed;
  for (std::size_t file_index = 0; file_index < flags.files.size(); ++file_index) {
    const std::string& file = flags.files[file_index];
    auto parsed = sasim::scenarios::parse_scenario_file(file);
    if (!parsed) {
      std::fprintf(stderr, "%s\n", parsed.error().render().c_str());
      exit_code = kExitBadInput;
      continue;
    }
    sasim::tools::RunOptions options;
    options.seed = flags.seed;
    options.strict = flags.strict;
    options.dump_state = flags.dump_state;
    options.broken = flags.broken;
    const std::uint64_t seed = flags.seed.value_or(parsed.value().seed);
    sasim::tools::SpanCollector collector(seed, /*sample_series=*/true);
    if (!flags.report_dir.empty()) options.observer = &collector;
    // --report explains its slow spans from this run's own trace.
    options.record_trace = !flags.trace_file.empty() || !flags.report_dir.empty();
    const auto started = std::chrono::steady_clock::now();
    auto record = sasim::tools::run_scenario(parsed.value(), options);
    if (!record) {
      std::fprintf(stderr, "%s\n", record.error().render().c_str());
      exit_code = kExitBadInput;
      continue;
    }
    sasim::reports::RunRecord result = std::move(record).value();
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!flags.report_dir.empty()) {
      // Several files: one report directory each, named after the file.
      const std::string dir = flags.files.size() == 1
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
      const std::string path = trace_path(flags.trace_file, file_index, flags.files.size());
      if (!write_trace_file(path, result)) return usage_error("--trace: cannot write " + path);
      result.trace.reset();  // the memory goes before the next scenario runs
    }
    if (flags.json) {
      std::printf("%s\n", sasim::reports::render_run_json(result).dump(2).c_str());
    } else {
      std::fputs(sasim::reports::render_run_text(result).c_str(), stdout);
    }
    if (!result.passed && exit_code == kExitPassed) exit_code = kExitFailed;
  }
  return exit_code;
}

struct ReportFlags {
  std::string file;
  std::string seeds;
  std::string out;
  int jobs = 0;  // 0: one per hardware thread
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

// `sasim report`: one scenario over a range of seeds, into a report directory.
int report_file(const ReportFlags& flags) {
  auto parsed = sasim::scenarios::parse_scenario_file(flags.file);
  if (!parsed) {
    std::fprintf(stderr, "%s\n", parsed.error().render().c_str());
    return kExitBadInput;
  }
  sasim::tools::SweepOptions options;
  if (flags.seeds.empty()) {
    options.first = options.last = parsed.value().seed;
  } else {
    auto range = sasim::tools::parse_seed_range(flags.seeds);
    if (!range) return usage_error("--seeds: " + range.error().message);
    options.first = range.value().first;
    options.last = range.value().second;
  }
  if (flags.jobs < 0) return usage_error("--jobs: must be at least 1 (or 0: one per hardware thread)");
  if (auto error = sasim::tools::prepare_report_dir(flags.out)) return usage_error("--out: " + error->message);
  options.jobs = flags.jobs > 0 ? flags.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Progress progress;
  options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
  auto result = sasim::tools::run_sweep(parsed.value(), options);
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().render().c_str());
    return kExitBadInput;
  }
  sasim::tools::SweepResult sweep = std::move(result).value();
  sasim::tools::explain_slow_spans(parsed.value(), sasim::tools::RunOptions{}, sweep.report);
  if (auto error = sasim::tools::write_report(flags.out, sweep.report)) {
    return usage_error("--out: " + error->message);
  }
  const auto& report = sweep.report;
  std::printf("report: %s/report.html (%zu runs, seeds %llu..%llu)\n", flags.out.c_str(), report.runs.size(),
              static_cast<unsigned long long>(report.seed_first), static_cast<unsigned long long>(report.seed_last));
  if (sweep.failed > 0) {
    std::printf("%zu of %zu runs failed; the first: %s\n", sweep.failed, report.runs.size(),
                sweep.first_failure_replay.c_str());
    return kExitFailed;
  }
  return kExitPassed;
}

// `sasim check`: parse and validate only.
int check_files(const std::vector<std::string>& files) {
  int exit_code = kExitPassed;
  for (const std::string& file : files) {
    auto parsed = sasim::scenarios::parse_scenario_file(file);
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
  app.set_version_flag("--version", std::string("sasim ") + SASIM_VERSION);
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

  RunFlags run_flags;
  CLI::App* run_command = app.add_subcommand("run", "Run scenario files and check their expectations and invariants");
  run_command->add_option("files", run_flags.files, "Scenario files")->required();
  run_command->add_option("--seed", run_flags.seed, "Override the scenarios' seed");
  run_command->add_flag("--json", run_flags.json, "Print one JSON document per scenario (the documented schema)");
  run_command->add_flag("--strict", run_flags.strict, "Fail on known upstream weaknesses too");
  run_command->add_flag("--dump-state", run_flags.dump_state, "Add every object at the end of the run to the JSON");
  run_command->add_option("--report", run_flags.report_dir,
                           "Write the timing report (report.html, report.json, spans.csv) into DIR");
  run_command->add_option("--trace", run_flags.trace_file, "Write the trace as Chrome trace-event JSON for Perfetto (several scenarios: FILE.1.json, ...)");

  ReportFlags report_flags;
  CLI::App* report_command =
      app.add_subcommand("report", "Run a scenario over a range of seeds and write its timing report");
  report_command->add_option("file", report_flags.file, "Scenario file")->required();
  report_command->add_option("--seeds", report_flags.seeds, "Seeds A..B (default: the scenario's seed)");
  report_command->add_option("--out", report_flags.out, "Directory for report.html, report.json, spans.csv")
      ->required();
  report_command->add_option("--jobs", report_flags.jobs, "Threads (default: one per hardware thread)");

  // One name per --broken, so that `run --broken X FILE` keeps FILE a file.
  run_command->add_option("--broken", run_flags.broken, broken_help())
      ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  FuzzFlags fuzz_flags;
  CLI::App* fuzz_command = app.add_subcommand(
      "fuzz", "Run generated scenarios until one fails; shrink it and write it as a scenario file");
  fuzz_command->add_option("--seed", fuzz_flags.options.seed, "Seed of the campaign")->capture_default_str();
  fuzz_command->add_option("--cases", fuzz_flags.cases, "Number of cases in the whole campaign (default 1000)");
  fuzz_command->add_option("--time", fuzz_flags.time, "Run for this long instead (wall time, e.g. 60s)");
  fuzz_command->add_option("--out", fuzz_flags.options.out_dir, "Where to write the counterexample")->capture_default_str();
  fuzz_command->add_option("--shard", fuzz_flags.shard, "Run the I-th of N disjoint parts of the campaign (I/N)");
  fuzz_command->add_option("--broken", fuzz_flags.options.broken, broken_help())
      ->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  fuzz_command->add_option("--size", fuzz_flags.options.generator.max_steps, "Most steps in a generated timeline")
      ->check(CLI::Range(0, 200))->capture_default_str();
  fuzz_command->add_flag("--faults,!--no-faults", fuzz_flags.options.generator.faults,
                         "Generate fault steps (the default; --no-faults: user actions only)");
  fuzz_command->add_option("--max-shrink", fuzz_flags.options.shrink.max_runs, "Most case runs spent shrinking")
      ->check(CLI::Range(0, 100000))->capture_default_str();

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

  std::vector<std::string> check_files_list;
  CLI::App* check_command = app.add_subcommand("check", "Parse and validate scenario files without running them");
  check_command->add_option("files", check_files_list, "Scenario files")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return usage_error(error.what());
  }

  if (run_command->parsed()) return run_files(run_flags);
  if (check_command->parsed()) return check_files(check_files_list);
  if (fuzz_command->parsed()) return fuzz(fuzz_flags);
  if (report_command->parsed()) return report_file(report_flags);
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
} catch (const std::exception& error) {
  std::fprintf(stderr, "sasim: internal error: %s\n", error.what());
  return kExitInternal;
}
