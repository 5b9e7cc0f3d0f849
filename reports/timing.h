// Timing report data (scenario-format §10): span instances measured in one
// or many runs, object counts and queue depths over simulated time, and the
// summaries the renderings print. Plain data: the measuring happens in
// tools/report, which sees the model; this layer only computes statistics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace sasim::reports {

// Every span, in the contract's order: 1.20's eight, then those of bound
// tokens and the legacy-token cleaner. A span the collector records but this
// list omits would be in spans.csv and missing from every summary.
inline constexpr const char* kSpanNames[] = {
    "default-serviceaccount-ready", "token-ready",              "token-replaced",
    "token-populated",              "pod-admitted",             "pod-running",
    "revocation",                   "auth-outage",              "token-refreshed",
    "bound-token-revocation",       "legacy-token-invalidated", "legacy-token-cleaned",
};

struct SpanInstance {
  std::string span{};
  std::string subject{};  // "namespace/name" (a namespace alone for default-serviceaccount-ready)
  std::uint64_t seed = 0;
  sim::Time start{};
  // None: still open when the run ended. An auth-outage still open then ends
  // with the run (§10), so it has an end and `open` too.
  std::optional<sim::Time> end{};
  bool open = false;
  // The engine event during which the span ended: where a critical-path
  // walk over the trace starts.
  std::uint64_t end_seq = 0;
  int retries = 0;  // pod-admitted: ServerTimeout retries

  sim::Duration duration() const { return end ? *end - start : sim::Duration::zero(); }
  bool is_open() const { return open || !end; }
};

// A step function of simulated time: each point holds until the next.
struct Series {
  std::string name{};
  std::vector<std::pair<sim::Time, std::int64_t>> points{};
};

// What one seed's run measured.
struct SeedTiming {
  std::uint64_t seed = 0;
  bool passed = true;
  std::uint64_t events = 0;
  sim::Time simulated_time{};
  std::uint64_t trace_digest = 0;
  std::vector<SpanInstance> spans{};  // in the order they ended (open ones last)
  std::vector<Series> object_counts{};  // per kind
  std::vector<Series> queue_depths{};   // per controller actor
};

// The biggest contributors to a span at a quantile, as the critical-path
// analysis of the trace finds them; shares are fractions of the span's
// time (0..1), biggest first. Filled by the caller; printed when present.
struct SpanContributors {
  std::string span{};
  std::string quantile{};  // "p99", "max"
  std::vector<std::pair<std::string, double>> shares{};  // ("tokens-controller client rate limit", 0.8)
  // The instance explained, and its chain of causes as text for people.
  std::string subject{};
  std::uint64_t seed = 0;
  sim::Duration duration{};
  std::string chain{};
};

struct TimingReport {
  std::string scenario{};
  std::string file{};
  std::string version{};
  std::uint64_t seed_first = 0;
  std::uint64_t seed_last = 0;
  std::vector<std::pair<std::string, std::string>> parameters{};  // knob, value (as the scenario format spells it)
  std::vector<SeedTiming> runs{};  // in seed order
  std::vector<SpanContributors> contributors{};
  // Wall clock (the only non-deterministic part of a report).
  double wall_seconds = 0;
  int jobs = 1;
};

struct SpanSummary {
  std::string span{};
  std::size_t count = 0;  // instances with an end (open auth-outages, ended by their run, included)
  std::size_t open = 0;   // still open at the end of their run
  sim::Duration min{}, p50{}, p90{}, p99{}, max{};
  // The latest end of an instance within its run (the time until, say, every
  // account had a token), the maximum over runs.
  sim::Time last_end{};
  int max_retries = 0;
  std::uint64_t total_retries = 0;
};

// The nearest-rank percentile (the smallest value with at least `permille`
// thousandths of the values at or below it), on sorted durations. Integer
// arithmetic: the same figures on every machine. Zero for no values.
sim::Duration percentile(const std::vector<sim::Duration>& sorted, int permille);
// That value's 1-based rank among `n` ascending values (0 when there are none).
std::size_t nearest_rank(std::size_t n, int permille);

// One summary per span of kSpanNames, in that order, over every run.
std::vector<SpanSummary> summarize(const TimingReport& report);

// The finished instances of `span`, slowest first (ties: seed, then start):
// what a critical-path analysis would look at.
std::vector<const SpanInstance*> slowest(const TimingReport& report, const std::string& span, std::size_t limit);

std::uint64_t total_events(const TimingReport& report);
sim::Duration total_simulated(const TimingReport& report);

}  // namespace sasim::reports
