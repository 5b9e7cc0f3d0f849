#include "tools/report/explain.h"

#include <map>
#include <memory>

#include "reports/critical_path.h"

namespace sasim::tools {
namespace {

struct Wanted {
  std::string span;
  std::string quantile;
  const reports::SpanInstance* instance;
};

// How many contributors a line names: past three the shares are noise.
constexpr std::size_t kSharesShown = 3;

}  // namespace

void explain_slow_spans(const scenarios::Scenario& scenario, const RunOptions& base, reports::TimingReport& report) {
  std::vector<Wanted> wanted;
  for (const char* span : reports::kSpanNames) {
    std::vector<const reports::SpanInstance*> slow = reports::slowest(report, span, SIZE_MAX);
    if (slow.empty()) continue;
    // Nearest rank over the ascending order, as summarize() computes p99.
    const std::size_t n = slow.size();
    const std::size_t rank_ascending = (n * 990 + 999) / 1000;  // 1-based
    const reports::SpanInstance* p99 = slow[n - rank_ascending];
    if (p99 != slow.front() && p99->duration() != slow.front()->duration()) wanted.push_back({span, "p99", p99});
    wanted.push_back({span, "max", slow.front()});
  }

  // One replay per seed, in seed order.
  std::map<std::uint64_t, std::unique_ptr<reports::CausalGraph>> graphs;
  for (const Wanted& w : wanted) graphs.emplace(w.instance->seed, nullptr);
  for (auto& [seed, graph] : graphs) {
    RunOptions options = base;
    options.seed = seed;
    options.record_trace = true;
    options.observer = nullptr;
    auto run = run_scenario(scenario, options);
    if (!run || !run.value().trace) continue;
    graph = std::make_unique<reports::CausalGraph>(run.value().trace->entries, run.value().trace->actor_names);
  }

  for (const Wanted& w : wanted) {
    const auto& graph = graphs[w.instance->seed];
    if (!graph) continue;
    reports::CriticalPath path = graph->critical_path(w.instance->start, w.instance->end_seq);
    // A path that does not cover the instance's time is from some other
    // event: the replay diverged, and a wrong explanation is worse than none.
    if (path.span != w.instance->duration() || path.contributors.empty()) continue;
    reports::SpanContributors out;
    out.span = w.span;
    out.quantile = w.quantile;
    out.subject = w.instance->subject;
    out.seed = w.instance->seed;
    out.duration = w.instance->duration();
    for (const reports::Contributor& c : path.contributors) {
      // Below half a percent a contributor prints as "0 %": noise.
      if (out.shares.size() == kSharesShown || c.share < 0.005) break;
      out.shares.emplace_back(c.label, c.share);
    }
    out.chain = reports::render_critical_path(path);
    report.contributors.push_back(std::move(out));
  }
}

}  // namespace sasim::tools
