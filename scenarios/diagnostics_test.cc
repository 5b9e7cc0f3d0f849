// Every problem of a file, in file order, and ${VAR}s no earlier step captures.
#include <catch2/catch.hpp>

#include "scenarios/parser.h"

namespace sasim::scenarios {
namespace {

std::vector<std::string> errors(const std::string& text) {
  auto parsed = parse_scenario_text(text, "d.yaml");
  REQUIRE_FALSE(parsed.ok());
  std::vector<std::string> out;
  const std::string all = parsed.error().render();
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = std::min(all.find('\n', start), all.size());
    out.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST_CASE("every error of a file is reported in file order") {
  const auto found = errors(R"(name: many-mistakes
sede: 4
actors:
  tokens-controller: {qps: fast}
steps:
  - wait: 5
  - create: {apiVersion: v1, kind: Namespace, metadata: {name: ok}}
  - awiat: {exists: ns/ok}
limits: {time: 0s}
)");
  REQUIRE(found.size() == 5);
  CHECK(found[0] == "d.yaml:2:1: error: unknown key \"sede\" (did you mean \"seed\"?)");
  CHECK(found[1] == "d.yaml:4:28: error: expected an integer, got the string \"fast\"");
  CHECK(found[2] == "d.yaml:6:12: error: a duration needs a unit, e.g. 5s (units: h, m, s, ms, us, ns)");
  CHECK(found[3].rfind("d.yaml:8:5: error: unknown key \"awiat\"", 0) == 0);
  CHECK(found[4] == "d.yaml:9:16: error: the time limit must be positive");
}

TEST_CASE("a ${VAR} that no earlier step captures is an error at the string that uses it") {
  const auto found = errors(R"(steps:
  - authenticate: {secret: "${TOKEN}"}
  - get: serviceaccount/default
    capture:
      TOKEN: {object: serviceaccount/default, jsonpath: "{.secrets[0].name}"}
  - authenticate: {secret: "${TOKN}"}
  - authenticate: {secret: "${TOKEN}"}
  - delete: "secret/${OTHER}"
)");
  REQUIRE(found.size() == 3);
  CHECK(found[0] == "d.yaml:2:28: error: ${TOKEN} is not captured by an earlier step (no step before this one "
                    "captures anything)");
  CHECK(found[1] == "d.yaml:6:28: error: ${TOKN} is not captured by an earlier step (did you mean ${TOKEN}?)");
  CHECK(found[2] == "d.yaml:8:13: error: ${OTHER} is not captured by an earlier step (captured before it: \"TOKEN\")");
}

TEST_CASE("a step's own capture is not there for its own strings and objects have none") {
  const auto found = errors(R"(objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: x, labels: {a: "${A}"}}}
steps:
  - get: serviceaccount/${SELF}
    capture:
      SELF: {object: serviceaccount/default, jsonpath: "{.metadata.name}"}
)");
  REQUIRE(found.size() == 2);
  CHECK(found[0].find("${A} is not captured by an earlier step (objects are created before the first step") !=
        std::string::npos);
  CHECK(found[1].rfind("d.yaml:4:10: error: ${SELF} is not captured", 0) == 0);
}

TEST_CASE("count takes allNamespaces") {
  auto parsed = parse_scenario_text("steps:\n  - check: {count: serviceaccounts, allNamespaces: true, atLeast: 3}\n",
                                    "d.yaml");
  REQUIRE(parsed.ok());
  const auto& check = std::get<CheckAction>(parsed.value().steps[0].action);
  const auto& count = std::get<CountCondition>(check.condition.test);
  CHECK(count.all_namespaces);
  CHECK(count.comparison == CountCondition::Comparison::kAtLeast);
  const auto bad = errors("steps:\n  - check: {exists: ns/x, allNamespaces: true}\n");
  CHECK(bad[0] == "d.yaml:2:27: error: \"allNamespaces\" goes with \"count\", not with \"exists\"");
}

}  // namespace
}  // namespace sasim::scenarios
