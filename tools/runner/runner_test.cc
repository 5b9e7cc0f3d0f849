// The scenario runner's own semantics, on small inline scenarios: when a step
// ends, what its expectations see, and what its record carries.
#include "tools/runner/runner.h"

#include <catch2/catch.hpp>
#include <string>

#include "reports/run_json.h"
#include "scenarios/parser.h"

namespace sasim::tools {
namespace runner_test {

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

// What the apiserver answered, field by field (admission's L1 ServerTimeout),
// for consumers that would otherwise parse the step's message.
TEST_CASE("a step's record carries the API status it got as typed fields and the JSON output shows it") {
  const reports::RunRecord record = run_yaml(kPodTooEarly);
  REQUIRE(record.steps.size() == 3);
  CHECK_FALSE(record.steps[0].status.has_value());  // a success
  CHECK_FALSE(record.steps[2].status.has_value());  // no request
  REQUIRE(record.steps[1].status.has_value());
  const reports::StatusRecord& status = *record.steps[1].status;
  CHECK(status.code == 500);
  CHECK(status.reason == "ServerTimeout");
  CHECK(status.message.rfind("No API token found for service account \"robot\"", 0) == 0);
  CHECK(status.kind == "serviceaccounts");
  CHECK(status.name == "create pod");
  CHECK(status.retry_after_seconds == 1);

  const nlohmann::ordered_json run_json = reports::render_run_json(record);
  CHECK_FALSE(run_json["steps"][0].contains("status"));
  const auto& rendered = run_json["steps"][1]["status"];
  CHECK(rendered["code"] == 500);
  CHECK(rendered["reason"] == "ServerTimeout");
  CHECK(rendered["message"] == status.message);
  CHECK(rendered["details"] == nlohmann::ordered_json::parse(
                                   R"({"name":"create pod","kind":"serviceaccounts","retryAfterSeconds":1})"));
  // The contract's fields stay as they were.
  for (const char* key : {"index", "name", "action", "start", "end", "ok", "message"}) CHECK(run_json["steps"][1].contains(key));
}

TEST_CASE("an Invalid status keeps its causes") {
  const reports::RunRecord record = run_yaml(R"(name: invalid
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: Not_Valid}}
    expect: {error: {code: 422}}
)");
  REQUIRE(record.steps.size() == 1);
  REQUIRE(record.steps[0].status.has_value());
  const reports::StatusRecord& status = *record.steps[0].status;
  CHECK(status.reason == "Invalid");
  CHECK(status.kind == "ServiceAccount");
  REQUIRE_FALSE(status.causes.empty());
  CHECK(status.causes[0].type == "FieldValueInvalid");
  CHECK(status.causes[0].field == "metadata.name");
  const nlohmann::ordered_json run_json = reports::render_run_json(record);
  CHECK(run_json["steps"][0]["status"]["details"]["causes"][0]["reason"] == "FieldValueInvalid");
  CHECK(run_json["steps"][0]["status"]["details"]["causes"][0]["field"] == "metadata.name");
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

// A variable no earlier step captures is an error of the file, wherever in
// expect it is: the check sees expect's strings as the runner substitutes them.
TEST_CASE("a variable in expect that no step captured is an error of the file") {
  auto parsed = scenarios::parse_scenario_text(R"(name: unknown-var
steps:
  - authenticate: {value: "not a token"}
    expect: {rejected: "${NOWHERE}"}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: default}}
    expect: {error: {reason: "${NOWHERE}"}}
)",
                                               "inline.yaml");
  REQUIRE_FALSE(parsed.ok());
  const std::string rendered = parsed.error().render();
  CHECK(rendered.find("inline.yaml:4:24: error: ${NOWHERE} is not captured by an earlier step") != std::string::npos);
  CHECK(rendered.find("inline.yaml:6:30: error: ${NOWHERE} is not captured by an earlier step") != std::string::npos);
}


// Awaits of counts are tallied from the commits (count_tallies.h) unless
// --check-invariants full asks for the re-evaluation of everything: both
// must end every step at the same instant with the same result.
constexpr const char* kCountAwaits = R"(name: count-awaits
objects:
  - forEach: {I: "1..20"}
    objects:
      - {apiVersion: v1, kind: Namespace, metadata: {name: "team-${I:02}"}}
steps:
  - name: every default account has its token
    await: {count: secrets, allNamespaces: true, where: {type: kubernetes.io/service-account-token}, atLeast: 20}
    timeout: 5m
  - namespace: team-01
    create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - name: team-01 holds two token Secrets, and the 23 other namespaces (the system's four too) one each
    namespace: team-01
    await:
      all:
        - {count: secrets, where: {type: kubernetes.io/service-account-token}, equals: 2}
        - {count: secrets, allNamespaces: true, where: {type: kubernetes.io/service-account-token}, equals: 25}
        - {not: {count: serviceaccounts, atMost: 1}}
    timeout: 5m
  - namespace: team-01
    delete: serviceaccount/robot
  - name: the tokens controller deletes the robot's token
    namespace: team-01
    await: {count: secrets, where: {type: kubernetes.io/service-account-token}, atMost: 1}
    timeout: 5m
  - delete: namespace/team-02
  - name: the namespace's content goes with it
    await: {count: secrets, allNamespaces: true, atMost: 23}
    timeout: 10m
  - name: never reached, and timed out identically both ways
    await: {count: namespaces, atLeast: 100}
    timeout: 30s
)";

TEST_CASE("awaits of counts end at the same instants with tallies and with the full re-evaluation") {
  auto parsed = scenarios::parse_scenario_text(kCountAwaits, "inline.yaml");
  if (!parsed) FAIL(parsed.error().render());
  RunOptions tallied;
  RunOptions full;
  full.check_invariants = properties::EvaluationMode::kFull;
  auto a = run_scenario(parsed.value(), tallied);
  auto b = run_scenario(parsed.value(), full);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a.value().steps.size() == 8);
  REQUIRE(b.value().steps.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    INFO("step " << i);
    CHECK(a.value().steps[i].ok == b.value().steps[i].ok);
    CHECK(a.value().steps[i].end == b.value().steps[i].end);
    CHECK(a.value().steps[i].message == b.value().steps[i].message);
    CHECK(a.value().steps[i].ok == (i != 7));
  }
  // The awaits waited for the controllers, not for nothing.
  CHECK(a.value().steps[0].end > a.value().steps[0].start);
  CHECK(a.value().steps[4].end > a.value().steps[4].start);
  CHECK(a.value().steps[6].end > a.value().steps[6].start);
  CHECK(a.value().steps[7].message.find("found 23 namespaces") != std::string::npos);
  CHECK(a.value().trace_digest == b.value().trace_digest);
}

}  // namespace runner_test
}  // namespace sasim::tools
