// The critical paths a report prints come from replays of the measured runs.
#include "tools/report/explain.h"

#include <catch2/catch.hpp>

#include "reports/timing_json.h"
#include "scenarios/parser.h"
#include "tools/report/sweep.h"

namespace sasim::tools {
namespace {

scenarios::Scenario load(const std::string& path) {
  auto parsed = scenarios::parse_scenario_file(std::string(SASIM_SOURCE_DIR) + "/" + path);
  if (!parsed) FAIL(parsed.error().render());
  return std::move(parsed).value();
}

const reports::SpanContributors* find(const reports::TimingReport& report, const std::string& span,
                                      const std::string& quantile) {
  for (const reports::SpanContributors& c : report.contributors) {
    if (c.span == span && c.quantile == quantile) return &c;
  }
  return nullptr;
}

TEST_CASE("explain: a namespace burst's slowest token waits on a controller's client rate limit") {
  const scenarios::Scenario scenario = load("docs/example-namespace-burst.yaml");
  auto sweep = run_sweep(scenario, SweepOptions{.first = 1, .last = 2, .jobs = 1});
  REQUIRE(sweep.ok());
  reports::TimingReport report = sweep.value().report;
  explain_slow_spans(scenario, RunOptions{}, report);

  const reports::SpanContributors* token = find(report, "token-ready", "max");
  REQUIRE(token != nullptr);
  const reports::SpanInstance* slowest = reports::slowest(report, "token-ready", 1).front();
  CHECK(token->subject == slowest->subject);
  CHECK(token->seed == slowest->seed);
  CHECK(token->duration == slowest->duration());
  REQUIRE_FALSE(token->shares.empty());
  INFO(token->chain);
  // 100 namespaces at 20 qps: the time goes to waiting for the client-go
  // token bucket, and the replay found the very event the span ended with.
  CHECK(token->shares.front().first.find("client rate limit") != std::string::npos);
  CHECK(token->shares.front().second > 0.5);
  CHECK(token->chain.find("client rate limit") != std::string::npos);
  CHECK(find(report, "token-ready", "p99") != nullptr);
  CHECK(reports::render_timing_json(report)["contributors"].size() == report.contributors.size());
}

TEST_CASE("explain: a pod refused with ServerTimeout waited in its client's retries and not in the harness") {
  const scenarios::Scenario scenario = load("docs/example-namespace-burst.yaml");
  auto sweep = run_sweep(scenario, SweepOptions{.first = 1, .last = 1, .jobs = 1});
  REQUIRE(sweep.ok());
  reports::TimingReport report = sweep.value().report;
  explain_slow_spans(scenario, RunOptions{}, report);
  const reports::SpanContributors* admitted = find(report, "pod-admitted", "max");
  REQUIRE(admitted != nullptr);
  INFO(admitted->chain);
  REQUIRE_FALSE(admitted->shares.empty());
  CHECK(admitted->shares.front().first == "kubectl client retry");
  CHECK(admitted->chain.find("harness") == std::string::npos);
  // The rate-limited chains are shown, grouped, never "... more" alone.
  const reports::SpanContributors* token = find(report, "token-ready", "max");
  REQUIRE(token != nullptr);
  CHECK(token->chain.find("client rate limit x") != std::string::npos);
  CHECK(token->chain.find("shorter waits between them") != std::string::npos);
}

TEST_CASE("explain: a run's own trace explains its spans as a replay of its seed does") {
  const scenarios::Scenario scenario = load("docs/example-namespace-burst.yaml");
  auto sweep = run_sweep(scenario, SweepOptions{.first = 1, .last = 1, .jobs = 1});
  REQUIRE(sweep.ok());
  reports::TimingReport replayed = sweep.value().report;
  reports::TimingReport from_trace = sweep.value().report;
  explain_slow_spans(scenario, RunOptions{}, replayed);
  auto run = run_scenario(scenario, RunOptions{.seed = 1, .record_trace = true});
  REQUIRE(run.ok());
  REQUIRE(run.value().trace);
  explain_slow_spans(*run.value().trace, from_trace);
  REQUIRE_FALSE(from_trace.contributors.empty());
  CHECK(reports::render_timing_json(from_trace)["contributors"] == reports::render_timing_json(replayed)["contributors"]);
}

TEST_CASE("explain: an instance whose end event is not in the replay is left unexplained") {
  const scenarios::Scenario scenario = load("scenarios/library/seed-delete-token.yaml");
  auto sweep = run_sweep(scenario, SweepOptions{.first = 1, .last = 1, .jobs = 1});
  REQUIRE(sweep.ok());
  reports::TimingReport report = sweep.value().report;
  REQUIRE_FALSE(report.runs.front().spans.empty());
  // A measurement that the replay cannot match (another seed's events).
  for (reports::SpanInstance& instance : report.runs.front().spans) instance.end_seq += 1000000;
  explain_slow_spans(scenario, RunOptions{}, report);
  CHECK(report.contributors.empty());
}

}  // namespace
}  // namespace sasim::tools
