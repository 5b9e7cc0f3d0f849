// settle on real cluster runs: it ends when the control plane is quiescent,
// not when a timer a healed fault left behind fires.
#include <catch2/catch.hpp>
#include <string>

#include "scenarios/parser.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

reports::RunRecord run(const std::string& yaml) {
  auto parsed = scenarios::parse_scenario_text(yaml, "inline.yaml");
  REQUIRE(parsed.ok());
  auto record = run_scenario(parsed.value(), RunOptions{});
  REQUIRE(record.ok());
  return std::move(record).value();
}

TEST_CASE("settle after a crash it healed does not wait for the crash's own restart") {
  // The crash would restart the controller after 5 minutes; settle heals it
  // (restarts it at once), so the step after the settle starts within a
  // second, not at 5m.
  const reports::RunRecord record = run(R"(
name: crash-then-settle
steps:
  - fault: {crash: tokens-controller, restartAfter: 5m}
  - settle: {}
  - check: {exists: serviceaccount/default}
)");
  REQUIRE(record.passed);
  REQUIRE(record.steps.size() == 3);
  CHECK(record.steps[1].end < sim::Time::from_start(sim::Duration::seconds(1)));
  CHECK(record.steps[2].start == record.steps[1].end);
}

}  // namespace
}  // namespace sasim::tools
