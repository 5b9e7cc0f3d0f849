// Critical paths on real cluster runs: the causal graph names the wait that
// dominated a token's arrival, whether a controller's client rate limit or
// an informer's watch lag.
#include <catch2/catch.hpp>
#include <string>

#include "reports/critical_path.h"
#include "scenarios/parser.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

reports::RunRecord run_recorded(const std::string& yaml) {
  auto parsed = scenarios::parse_scenario_text(yaml, "inline.yaml");
  REQUIRE(parsed.ok());
  RunOptions options;
  options.record_trace = true;
  auto record = run_scenario(parsed.value(), options);
  REQUIRE(record.ok());
  REQUIRE(record.value().passed);
  REQUIRE(record.value().trace.has_value());
  return std::move(record).value();
}

// The event that committed the tokens controller's UPDATE of NS/default
// (adding the token reference): the apiserver's latency timer that follows
// the request's arrival.
std::uint64_t token_ready_seq(const reports::RecordedTrace& trace, const std::string& ns) {
  const std::string request = "UPDATE serviceaccounts " + ns + "/default by tokens-controller";
  std::uint64_t arrival = 0;
  for (const sim::TraceEntry& e : trace.entries) {
    if (arrival == 0 && e.kind == sim::TraceKind::kMessage && e.text.rfind(request, 0) == 0) arrival = e.seq;
    if (arrival != 0 && e.kind == sim::TraceKind::kTimer && e.origin.cause == arrival) return e.seq;
  }
  FAIL("no committed " << request);
  return 0;
}

TEST_CASE("critical path on a cluster: many namespaces at once wait on the controllers' 20 qps") {
  std::string yaml = "name: many-namespaces\ncluster:\n  namespaces: [";
  for (int i = 0; i < 150; ++i) yaml += (i ? ", ns-" : "ns-") + std::to_string(i);
  yaml += "]\nsteps:\n  - settle: {timeout: 10m}\n";
  const reports::RunRecord record = run_recorded(yaml);
  const reports::CausalGraph graph(record.trace->entries, record.trace->actor_names);
  // The slowest token of all: the span instance a report would explain.
  reports::CriticalPath path;
  for (int i = 0; i < 150; ++i) {
    reports::CriticalPath candidate =
        graph.critical_path(sim::Time::zero(), token_ready_seq(*record.trace, "ns-" + std::to_string(i)));
    if (candidate.span > path.span) path = std::move(candidate);
  }
  INFO(reports::render_critical_path(path));
  REQUIRE_FALSE(path.contributors.empty());
  const std::string top = path.contributors.front().label;
  CHECK((top == "tokens-controller client rate limit" || top == "serviceaccounts-controller client rate limit"));
  CHECK(path.contributors.front().share > 0.5);
  CHECK(path.span > sim::Duration::seconds(10));  // 150 accounts, 3 requests each, at 20 per second
}

TEST_CASE("critical path on a cluster: a large informer lag dominates a token's arrival") {
  const reports::RunRecord record = run_recorded(R"(
name: lagged-tokens-controller
actors:
  tokens-controller: {watchLag: 30s}
steps:
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: lagged}}
  - await: {object: serviceaccount/default, matches: {secrets: [{name: "<any>"}]}}
    namespace: lagged
    timeout: 2m
)");
  const reports::CausalGraph graph(record.trace->entries, record.trace->actor_names);
  const sim::Time created = record.steps.at(0).start;
  const reports::CriticalPath path = graph.critical_path(created, token_ready_seq(*record.trace, "lagged"));
  INFO(reports::render_critical_path(path));
  REQUIRE_FALSE(path.contributors.empty());
  CHECK(path.contributors.front().label == "tokens-controller watch lag");
  CHECK(path.contributors.front().share > 0.9);
  // Without the lag, the same arrival is no longer dominated by it.
  const reports::RunRecord quick = run_recorded(R"(
name: prompt-tokens-controller
steps:
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: lagged}}
  - await: {object: serviceaccount/default, matches: {secrets: [{name: "<any>"}]}}
    namespace: lagged
    timeout: 2m
)");
  const reports::CausalGraph quick_graph(quick.trace->entries, quick.trace->actor_names);
  const reports::CriticalPath quick_path =
      quick_graph.critical_path(quick.steps.at(0).start, token_ready_seq(*quick.trace, "lagged"));
  REQUIRE_FALSE(quick_path.contributors.empty());
  CHECK(quick_path.span < path.span);
  for (const reports::Contributor& c : quick_path.contributors) {
    if (c.label == "tokens-controller watch lag") CHECK(c.share < 0.9);
  }
}

}  // namespace
}  // namespace sasim::tools
