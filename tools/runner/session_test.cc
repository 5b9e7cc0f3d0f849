// A Session runs a scenario one step at a time, as run_scenario does, and
// lets its caller add steps; and the runner's extensions for sasim serve's
// recordings: quiesce, JSON patches, lists across namespaces.
#include <catch2/catch.hpp>
#include <string>

#include "model/cluster/cluster.h"
#include "scenarios/parser.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

scenarios::Scenario parse(const std::string& yaml) {
  auto parsed = scenarios::parse_scenario_text(yaml, "inline.yaml");
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

constexpr const char* kScenario = R"(
objects:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: build-robot}}
steps:
  - get: sa/build-robot
  - wait: 30s
  - delete: sa/build-robot
  - get: sa/build-robot
    expect: {error: {code: 404}}
)";

TEST_CASE("a session run step by step gives run_scenario's digest and record") {
  const scenarios::Scenario scenario = parse(kScenario);
  auto whole = run_scenario(scenario, RunOptions{});
  REQUIRE(whole.ok());
  auto session = Session::start(scenario, RunOptions{});
  REQUIRE(session.ok());
  for (const scenarios::Step& step : scenario.steps) session.value()->run_step(step);
  const reports::RunRecord record = session.value()->finish();
  CHECK(record.trace_digest == whole.value().trace_digest);
  CHECK(record.events == whole.value().events);
  CHECK(record.passed);
  CHECK(record.steps.size() == whole.value().steps.size());
}

TEST_CASE("time advanced in pieces is the same as a step's at") {
  // sasim serve's real-time clock advances the session between requests
  // and records the next request with `at:` its start.
  const scenarios::Scenario whole = parse(R"(
objects:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: build-robot}}
steps:
  - at: 2m
    get: sa/build-robot
)");
  auto reference = run_scenario(whole, RunOptions{});
  REQUIRE(reference.ok());
  auto session = Session::start(whole, RunOptions{});
  REQUIRE(session.ok());
  for (int second = 1; second < 120; second += 7) {
    session.value()->advance_to(sim::Time::from_start(sim::Duration::seconds(second)));
  }
  session.value()->run_step(whole.steps[0]);
  CHECK(session.value()->finish().trace_digest == reference.value().trace_digest);
}

TEST_CASE("a session keeps the last API response and token review") {
  const scenarios::Scenario scenario = parse(kScenario);
  auto session = Session::start(scenario, RunOptions{});
  REQUIRE(session.ok());
  Session& s = *session.value();
  s.run_step(scenario.steps[0]);
  REQUIRE(s.last_response().has_value());
  CHECK(s.last_response()->ok());
  CHECK(model::meta(*s.last_response()->object).name == "build-robot");
  s.run_step(scenario.steps[1]);  // a wait: no API action
  CHECK_FALSE(s.last_response().has_value());
  s.run_step(scenario.steps[2]);
  s.run_step(scenario.steps[3]);
  REQUIRE(s.last_response().has_value());
  CHECK(s.last_response()->error->code == 404);
}

TEST_CASE("quiesce leaves faults in place where settle heals them") {
  // The tokens controller is cut off: with quiesce the new account stays
  // without a token; a settle heals the partition and the token comes.
  const scenarios::Scenario scenario = parse(R"(
steps:
  - fault: {partition: tokens-controller}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: cut-off}}
  - quiesce: {timeout: 5m}
  - check: {not: {object: sa/cut-off, matches: {secrets: "<any>"}}}
  - settle: {timeout: 5m}
  - check: {object: sa/cut-off, matches: {secrets: {"<length>": 1}}}
)");
  auto record = run_scenario(scenario, RunOptions{});
  REQUIRE(record.ok());
  for (const auto& step : record.value().steps) {
    INFO(step.index << " " << step.action << ": " << step.message);
    CHECK(step.ok);
  }
}

TEST_CASE("the runner sends JSON patches and lists every namespace") {
  const scenarios::Scenario scenario = parse(R"(
cluster: {namespaces: [default, other]}
steps:
  - await: {exists: sa/default}
  - namespace: other
    await: {exists: sa/default}
  - patch: sa/default
    merge: {automountServiceAccountToken: false}
  - patch: sa/default
    json: [{op: remove, path: /automountServiceAccountToken}]
  - check: {not: {object: sa/default, matches: {automountServiceAccountToken: "<any>"}}}
  - patch: sa/default
    json: [{op: remove, path: /automountServiceAccountToken}]
    expect: {error: {code: 422}}
  - list: serviceaccounts
    allNamespaces: true
)");
  auto session = Session::start(scenario, RunOptions{});
  REQUIRE(session.ok());
  for (const scenarios::Step& step : scenario.steps) {
    const reports::StepRecord out = session.value()->run_step(step);
    INFO(step.index << " " << out.action << ": " << out.message);
    CHECK(out.ok);
  }
  REQUIRE(session.value()->last_response().has_value());
  CHECK(session.value()->last_response()->items.size() == 2);  // default/default and other/default
}

}  // namespace
}  // namespace sasim::tools
