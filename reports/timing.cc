#include "reports/timing.h"

#include <algorithm>
#include <tuple>

namespace sasim::reports {

std::size_t nearest_rank(std::size_t n, int permille) {
  if (n == 0) return 0;
  const std::size_t p = static_cast<std::size_t>(std::clamp(permille, 0, 1000));
  const std::size_t rank = (p * n + 999) / 1000;  // ceil(p/1000 * n)
  return rank == 0 ? 1 : rank;
}

sim::Duration percentile(const std::vector<sim::Duration>& sorted, int permille) {
  if (sorted.empty()) return sim::Duration::zero();
  return sorted[nearest_rank(sorted.size(), permille) - 1];
}

std::vector<SpanSummary> summarize(const TimingReport& report) {
  std::vector<SpanSummary> out;
  for (const char* name : kSpanNames) {
    SpanSummary summary;
    summary.span = name;
    std::vector<sim::Duration> durations;
    for (const SeedTiming& run : report.runs) {
      for (const SpanInstance& instance : run.spans) {
        if (instance.span != name) continue;
        if (instance.is_open()) ++summary.open;
        if (!instance.end) continue;
        durations.push_back(instance.duration());
        summary.last_end = std::max(summary.last_end, *instance.end);
        summary.max_retries = std::max(summary.max_retries, instance.retries);
        summary.total_retries += static_cast<std::uint64_t>(instance.retries);
      }
    }
    std::sort(durations.begin(), durations.end());
    summary.count = durations.size();
    if (!durations.empty()) {
      summary.min = durations.front();
      summary.max = durations.back();
      summary.p50 = percentile(durations, 500);
      summary.p90 = percentile(durations, 900);
      summary.p99 = percentile(durations, 990);
    }
    out.push_back(std::move(summary));
  }
  return out;
}

std::vector<const SpanInstance*> slowest(const TimingReport& report, const std::string& span, std::size_t limit) {
  std::vector<const SpanInstance*> found;
  for (const SeedTiming& run : report.runs) {
    for (const SpanInstance& instance : run.spans) {
      if (instance.span == span && instance.end) found.push_back(&instance);
    }
  }
  // Only the first `limit` are wanted, of every instance of every seed (a
  // 1,000-seed report holds hundreds of thousands), and comparing by
  // reference copies no subject string.
  const auto slower = [](const SpanInstance* a, const SpanInstance* b) {
    const auto da = a->duration();
    const auto db = b->duration();
    if (da != db) return da > db;
    return std::tie(a->seed, a->start, a->subject) < std::tie(b->seed, b->start, b->subject);
  };
  const std::size_t keep = std::min(limit, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(), slower);
  found.resize(keep);
  return found;
}

std::uint64_t total_events(const TimingReport& report) {
  std::uint64_t events = 0;
  for (const SeedTiming& run : report.runs) events += run.events;
  return events;
}

sim::Duration total_simulated(const TimingReport& report) {
  sim::Duration total{};
  for (const SeedTiming& run : report.runs) total += run.simulated_time.since_start();
  return total;
}

}  // namespace sasim::reports
