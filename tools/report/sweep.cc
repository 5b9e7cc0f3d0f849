#include "tools/report/sweep.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "tools/report/span_collector.h"

namespace sasim::tools {
namespace {

struct SeedOutcome {
  std::optional<reports::SeedTiming> timing{};
  std::optional<ScenarioError> error{};
  std::string replay{};
  std::vector<std::pair<std::string, std::string>> parameters{};
};

SeedOutcome run_one(const scenarios::Scenario& scenario, std::uint64_t seed, bool sample_series,
                    const WallLimit* wall_limit, const BuiltinKeys& keys) {
  SeedOutcome out;
  SpanCollector collector(seed, sample_series);
  RunOptions options;
  options.seed = seed;
  options.wall_limit = wall_limit;
  options.builtin_key = keys.key;
  options.builtin_verifying_key = keys.verifying_key;
  options.observer = &collector;
  auto record = run_scenario(scenario, options);
  if (!record) {
    out.error = record.error();
    return out;
  }
  reports::SeedTiming timing = collector.take();
  timing.passed = record.value().passed;
  timing.events = record.value().events;
  timing.simulated_time = record.value().simulated_time;
  timing.trace_digest = record.value().trace_digest;
  out.timing = std::move(timing);
  out.replay = record.value().replay_command;
  out.parameters = collector.parameters();
  return out;
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

sim::Result<std::pair<std::uint64_t, std::uint64_t>> parse_seed_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  const bool ok = dots == std::string::npos
                      ? parse_u64(text, first) && (last = first, true)
                      : parse_u64(std::string_view(text).substr(0, dots), first) &&
                            parse_u64(std::string_view(text).substr(dots + 2), last);
  if (!ok) return sim::unexpected(sim::Error{"expected A..B or A (unsigned integers), got \"" + text + "\""});
  if (first > last) return sim::unexpected(sim::Error{"the range \"" + text + "\" is empty: A must not exceed B"});
  if (last - first >= 10'000'000) return sim::unexpected(sim::Error{"the range \"" + text + "\" holds more than 10,000,000 seeds"});
  return std::make_pair(first, last);
}

sim::Result<SweepResult, ScenarioError> run_sweep(const scenarios::Scenario& scenario, const SweepOptions& options) {
  // This shard's seeds: first + shard_index, then every shard_count-th.
  const std::uint64_t count = std::max<std::uint64_t>(1, options.shard_count);
  const std::uint64_t range = options.last - options.first + 1;
  const std::size_t total =
      options.shard_index >= range ? 0 : static_cast<std::size_t>((range - options.shard_index + count - 1) / count);
  auto seed_of = [&](std::size_t i) { return options.first + options.shard_index + i * count; };
  std::vector<SeedOutcome> outcomes(total);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex progress_mutex;
  std::size_t done = 0;
  const auto started = std::chrono::steady_clock::now();
  // The first exception of a worker thread (std::bad_alloc under a memory
  // limit, say), carried to the caller's thread: one that escaped a
  // std::thread would end the process without a word.
  std::exception_ptr thrown;

  // Parsed once for every seed: parsing a PEM key costs about what a small
  // run does (the runner uses them only when the scenario names no key file).
  const BuiltinKeys keys = load_builtin_keys(scenario.cluster.signing_algorithm);
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= total || stop.load()) return;
      // Only the first seed keeps its time series: the report plots one run.
      outcomes[i] =
          run_one(scenario, seed_of(i), /*sample_series=*/seed_of(i) == options.first, options.wall_limit, keys);
      if (outcomes[i].error) stop.store(true);
      std::lock_guard<std::mutex> lock(progress_mutex);
      ++done;
      if (options.progress) options.progress(done, total);
    }
  };
  auto worker = [&] {
    try {
      work();
    } catch (...) {
      stop.store(true);
      std::lock_guard<std::mutex> lock(progress_mutex);
      if (!thrown) thrown = std::current_exception();
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::min<std::size_t>(total, 1024))));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) {
    // A thread the system refuses (its stack does not fit under
    // --max-memory, say) is one worker fewer, not an error: this thread
    // works too, and the report does not depend on the number of threads.
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      break;
    }
  }
  worker();
  for (std::thread& t : threads) t.join();
  if (thrown) std::rethrow_exception(thrown);

  SweepResult result;
  reports::TimingReport& report = result.report;
  report.scenario = scenario.name;
  report.file = scenario.file;
  report.version = scenario.cluster.version;
  report.seed_first = options.first;
  report.seed_last = options.last;
  report.jobs = static_cast<int>(threads.size()) + 1;  // the threads that did run
  // In seed order: the first error, then every run. A scenario's own error
  // comes before --max-wall's: the seeds after it may have been stopped.
  for (SeedOutcome& outcome : outcomes) {
    if (outcome.error && !outcome.error->wall_limit) return sim::unexpected(*outcome.error);
  }
  for (SeedOutcome& outcome : outcomes) {
    if (outcome.error) return sim::unexpected(*outcome.error);
  }
  for (SeedOutcome& outcome : outcomes) {
    if (!outcome.timing) continue;
    if (report.parameters.empty()) report.parameters = outcome.parameters;
    if (!outcome.timing->passed) {
      if (result.failed++ == 0) result.first_failure_replay = outcome.replay;
      result.failure_replays.emplace_back(outcome.timing->seed, outcome.replay);
    }
    report.runs.push_back(std::move(*outcome.timing));
  }
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace sasim::tools
