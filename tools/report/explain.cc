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

using GraphsBySeed = std::map<std::uint64_t, std::unique_ptr<reports::CausalGraph>>;

// How many contributors a line names: past three the shares are noise.
constexpr std::size_t kSharesShown = 3;

// Each span's p99 instance (nearest rank, as summarize() computes it) and
// its slowest.
std::vector<Wanted> wanted_instances(const reports::TimingReport& report) {
  std::vector<Wanted> wanted;
  for (const char* span : reports::kSpanNames) {
    std::vector<const reports::SpanInstance*> slow = reports::slowest(report, span, SIZE_MAX);
    // An auth-outage still open ended with its run, not with an event that
    // a chain of causes could lead to: nothing to explain.
    std::erase_if(slow, [](const reports::SpanInstance* instance) { return instance->open; });
    if (slow.empty()) continue;
    const reports::SpanInstance* p99 = slow[slow.size() - reports::nearest_rank(slow.size(), 990)];
    if (p99 != slow.front() && p99->duration() != slow.front()->duration()) wanted.push_back({span, "p99", p99});
    wanted.push_back({span, "max", slow.front()});
  }
  return wanted;
}

void explain(const std::vector<Wanted>& wanted, const GraphsBySeed& graphs, reports::TimingReport& report) {
  for (const Wanted& w : wanted) {
    auto graph = graphs.find(w.instance->seed);
    if (graph == graphs.end() || !graph->second) continue;
    reports::CriticalPath path = graph->second->critical_path(w.instance->start, w.instance->end_seq);
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

}  // namespace

void explain_slow_spans(const scenarios::Scenario& scenario, const RunOptions& base, reports::TimingReport& report) {
  const std::vector<Wanted> wanted = wanted_instances(report);
  // One replay per seed, in seed order.
  GraphsBySeed graphs;
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
  explain(wanted, graphs, report);
}

void explain_slow_spans(const reports::RecordedTrace& trace, reports::TimingReport& report) {
  GraphsBySeed graphs;
  graphs.emplace(report.seed_first, std::make_unique<reports::CausalGraph>(trace.entries, trace.actor_names));
  explain(wanted_instances(report), graphs, report);
}

}  // namespace sasim::tools
