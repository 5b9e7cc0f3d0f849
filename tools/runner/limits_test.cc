// The run's limits (limits.events, limits.time): a run that fits exactly
// passes, one event or one nanosecond less is an error at `limits:`.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenarios/parser.h"
#include "sim/duration_text.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

// The last events are the controllers' work after the last step, in the
// final settle.
constexpr const char* kCreates = R"(name: creates
limits: {settle: 1m}
steps:
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: team}}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, namespace: team}}
)";

// Ends with a wait: the run's last instant is the wait's end.
constexpr const char* kWaits = R"(name: waits
limits: {settle: 1m}
steps:
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: team}}
  - wait: 1s
)";

sim::Result<reports::RunRecord, ScenarioError> run_with(const char* yaml, const std::string& set) {
  std::vector<std::string> sets;
  if (!set.empty()) sets.push_back(set);
  auto parsed = scenarios::parse_scenario_text(yaml, "limited.yaml", sets);
  if (!parsed) FAIL(parsed.error().render());
  return run_scenario(parsed.value(), RunOptions{});
}

TEST_CASE("a run that uses exactly its event limit passes and one event less is an error at limits") {
  const auto free_run = run_with(kCreates, "");
  REQUIRE(free_run.ok());
  REQUIRE(free_run.value().passed);
  const std::uint64_t events = free_run.value().events;

  const auto at_limit = run_with(kCreates, "limits.events=" + std::to_string(events));
  REQUIRE(at_limit.ok());
  CHECK(at_limit.value().passed);
  CHECK(at_limit.value().trace_digest == free_run.value().trace_digest);

  const auto over = run_with(kCreates, "limits.events=" + std::to_string(events - 1));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().render() ==
        "limited.yaml:2:9: error: the run reached its event limit (limits.events: " + std::to_string(events - 1) +
            ") with work still pending; raise the limit");

  // Cut earlier: the same error.
  const std::string half = std::to_string(events / 2);
  const auto early = run_with(kCreates, "limits.events=" + half);
  REQUIRE_FALSE(early.ok());
  CHECK_THAT(early.error().message, Catch::StartsWith("the run reached its event limit (limits.events: " + half + ")"));
}

TEST_CASE("a run that ends exactly at its time limit passes and one nanosecond less is an error at limits") {
  const auto free_run = run_with(kWaits, "");
  REQUIRE(free_run.ok());
  REQUIRE(free_run.value().passed);
  const sim::Duration end = free_run.value().simulated_time - sim::Time::zero();

  const auto at_limit = run_with(kWaits, "limits.time=" + sim::format_duration(end));
  REQUIRE(at_limit.ok());
  CHECK(at_limit.value().passed);
  CHECK(at_limit.value().trace_digest == free_run.value().trace_digest);

  const auto over = run_with(kWaits, "limits.time=" + sim::format_duration(end - sim::Duration::nanoseconds(1)));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().render() == "limited.yaml:2:9: error: the run reached its simulated-time limit (limits.time: " +
                                     sim::format_duration(end - sim::Duration::nanoseconds(1)) +
                                     ") with a wait still to end; raise the limit");
}

TEST_CASE("the error points at the file's start under the default limits and at the --set that set one") {
  const char* yaml = "name: tiny\nsteps:\n  - wait: 25h\n";
  auto parsed = scenarios::parse_scenario_text(yaml, "tiny.yaml", std::vector<std::string>{});
  REQUIRE(parsed.ok());
  const auto over = run_scenario(parsed.value(), RunOptions{});
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().render() ==
        "tiny.yaml:1:1: error: the run reached its simulated-time limit (limits.time: 24h) with a wait still to end; "
        "raise the limit");

  const std::vector<std::string> sets{"limits.time=1h"};
  auto overridden = scenarios::parse_scenario_text(yaml, "tiny.yaml", sets);
  REQUIRE(overridden.ok());
  const auto over_set = run_scenario(overridden.value(), RunOptions{});
  REQUIRE_FALSE(over_set.ok());
  CHECK_THAT(over_set.error().render(), Catch::StartsWith("--set limits.time=1h:1:"));
}

}  // namespace
}  // namespace sasim::tools
