// The scenario runner's own semantics, on small inline scenarios: when a step
// ends, what its expectations see, and what its record carries.
#include "tools/runner/runner.h"

#include <catch2/catch.hpp>
#include <string>

#include "scenarios/parser.h"

namespace sasim::tools {
namespace {

reports::RunRecord run_yaml(const std::string& yaml) {
  auto parsed = scenarios::parse_scenario_text(yaml, "inline.yaml");
  REQUIRE(parsed.ok());
  auto record = run_scenario(parsed.value(), RunOptions{});
  REQUIRE(record.ok());
  return std::move(record).value();
}

constexpr const char* kPodTooEarly = R"(name: too-early
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - create:
      apiVersion: v1
      kind: Pod
      metadata: {name: too-early}
      spec:
        serviceAccountName: robot
        containers: [{name: app, image: nginx}]
    expect: {error: {reason: ServerTimeout}}
  - wait: 0s
)";

// Admission's ServerTimeout carries Retry-After: 1. Without `retry` there is
// no second attempt, so nothing waits for that second: an API action ends
// when its response arrives.
TEST_CASE("a step refused with ServerTimeout and no retry ends when the response arrives") {
  const reports::RunRecord record = run_yaml(kPodTooEarly);
  REQUIRE(record.passed);
  REQUIRE(record.steps.size() == 3);
  const reports::StepRecord& refused = record.steps[1];
  CHECK(refused.end - refused.start < sim::Duration::milliseconds(100));
  CHECK(record.steps[2].start == refused.end);
}

}  // namespace
}  // namespace sasim::tools
