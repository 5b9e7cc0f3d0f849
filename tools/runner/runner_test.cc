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
  if (!parsed) FAIL(parsed.error().render());
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

// The contract: ${VAR} is substituted in every string of a step, expect
// included.
TEST_CASE("captured variables are substituted in every string of expect") {
  const reports::RunRecord record = run_yaml(R"(name: vars-in-expect
objects:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: robot
      annotations: {reason: AlreadyExists, rejection: "Token has been invalidated"}
steps:
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
    capture:
      TOKEN: {object: serviceaccount/robot, jsonpath: "{.secrets[0].name}"}
      NS: {object: serviceaccount/robot, jsonpath: "{.metadata.namespace}"}
      UID: {object: serviceaccount/robot, jsonpath: "{.metadata.uid}"}
      NAME: {object: serviceaccount/robot, jsonpath: "{.metadata.name}"}
      REASON: {object: serviceaccount/robot, jsonpath: "{.metadata.annotations.reason}"}
      WHY: {object: serviceaccount/robot, jsonpath: "{.metadata.annotations.rejection}"}
  - authenticate: {secret: "${TOKEN}"}
    expect: {user: "system:serviceaccount:${NS}:robot", uid: "${UID}", groups: [system:serviceaccounts, "system:serviceaccounts:${NS}"]}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
    expect: {error: {code: 409, reason: "${REASON}", message: "\"${NAME}\" already exists"}}
  # After the mutation cache's minute, so that the deletion is noticed.
  - after: 61s
    delete: secret/${TOKEN}
  - await: {not: {object: serviceaccount/robot, matches: {secrets: [{name: "${TOKEN}"}]}}}
  - authenticate: {secret: "${TOKEN}"}
    expect: {rejected: "${WHY}"}
)");
  for (const reports::StepRecord& step : record.steps) {
    INFO(step.index << " " << step.action << ": " << step.message);
    CHECK(step.ok);
  }
  CHECK(record.passed);
}

TEST_CASE("a variable in expect that no step captured fails the step") {
  const reports::RunRecord record = run_yaml(R"(name: unknown-var
steps:
  - authenticate: {value: "not a token"}
    expect: {rejected: "${NOWHERE}"}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: default}}
    expect: {error: {reason: "${NOWHERE}"}}
)");
  REQUIRE(record.steps.size() == 2);
  for (const reports::StepRecord& step : record.steps) {
    CHECK_FALSE(step.ok);
    CHECK(step.message == "${NOWHERE} was not captured by an earlier step");
  }
}

}  // namespace
}  // namespace sasim::tools
