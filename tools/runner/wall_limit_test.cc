// --max-wall: a run stopped by its wall-time budget is an error naming the
// flag; a run within it is the same run (same digest) as one without.
#include "tools/runner/wall_limit.h"

#include <catch2/catch.hpp>
#include <string>

#include "scenarios/parser.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

constexpr const char* kCreates = R"(name: creates
limits: {settle: 1m}
steps:
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: team}}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, namespace: team}}
  - wait: 10m
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: second, namespace: team}}
)";

// A clock that moves one millisecond each time it is read: a limit of N ms
// expires at its Nth reading after the start, whatever the machine's speed.
struct SteppingClock {
  WallLimit::Clock::time_point now{};
  int reads = 0;
  WallLimit::Clock::time_point operator()() {
    ++reads;
    now += std::chrono::milliseconds(1);
    return now;
  }
};

sim::Result<reports::RunRecord, ScenarioError> run_within(const WallLimit* limit) {
  auto parsed = scenarios::parse_scenario_text(kCreates, "walled.yaml");
  if (!parsed) FAIL(parsed.error().render());
  RunOptions options;
  options.wall_limit = limit;
  return run_scenario(parsed.value(), options);
}

TEST_CASE("wall limit: the budget is spent once the clock reaches its deadline and stays spent") {
  SteppingClock clock;
  WallLimit limit(sim::Duration::milliseconds(2), std::ref(clock));  // read at 1ms: the deadline is 3ms
  CHECK_FALSE(limit.expired());  // 2ms
  CHECK(limit.expired());        // 3ms
  clock.now -= std::chrono::hours(1);
  CHECK(limit.expired());
  CHECK(limit.message() == "the run took longer than --max-wall 2ms of wall time");
}

TEST_CASE("wall limit: a run within its budget is the run without one with the same digest") {
  const auto free_run = run_within(nullptr);
  REQUIRE(free_run.ok());
  REQUIRE(free_run.value().passed);

  SteppingClock counting;
  const WallLimit generous(sim::Duration::hours(1), std::ref(counting));
  const auto within = run_within(&generous);
  REQUIRE(within.ok());
  CHECK(within.value().passed);
  CHECK(within.value().trace_digest == free_run.value().trace_digest);
  CHECK(within.value().events == free_run.value().events);
  CHECK(counting.reads > 3);  // the runner did read the clock during the run
}

TEST_CASE("wall limit: a run past its budget stops with an error naming --max-wall at the start or midway") {
  SteppingClock counting;
  const WallLimit generous(sim::Duration::hours(1), std::ref(counting));
  REQUIRE(run_within(&generous).ok());
  const int reads = counting.reads - 1;  // the construction's reading excluded
  REQUIRE(reads > 3);
  // Expiring at the first reading (while the objects are created), midway,
  // and at the last reading of the run: each is the same error.
  for (const int expire_at : {1, reads / 2, reads}) {
    SteppingClock clock;
    const WallLimit limit(sim::Duration::milliseconds(expire_at), std::ref(clock));
    const auto stopped = run_within(&limit);
    INFO("expiring at reading " << expire_at << " of " << reads);
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.error().wall_limit);
    CHECK(stopped.error().render() == "walled.yaml: error: the run took longer than --max-wall " +
                                          std::to_string(expire_at) + "ms of wall time");
    CHECK(clock.reads == expire_at + 1);  // no reading after it expired
  }
  // One reading more than the run takes: it finishes.
  SteppingClock clock;
  const WallLimit enough(sim::Duration::milliseconds(reads + 1), std::ref(clock));
  CHECK(run_within(&enough).ok());
}

}  // namespace
}  // namespace sasim::tools
