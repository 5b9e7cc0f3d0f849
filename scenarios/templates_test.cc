// forEach templates: objects and steps repeated with ${VAR} substituted,
// zero padding, lists, nesting, and errors that point at the template.
#include "scenarios/templates.h"

#include <catch2/catch.hpp>

#include "scenarios/parse_test_support.h"
#include "scenarios/parser.h"

namespace sasim::scenarios {
namespace {

using testing::parse_error;
using testing::parse_ok;

std::string name_of(const Manifest& m) { return m.json["metadata"]["name"].get<std::string>(); }

TEST_CASE("forEach repeats objects over a range with zero padding") {
  const Scenario s = parse_ok(R"(
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: first}}
  - forEach: {I: "1..300"}
    objects:
      - {apiVersion: v1, kind: Namespace, metadata: {name: "team-${I:03}"}}
      - apiVersion: v1
        kind: ServiceAccount
        metadata: {name: "robot-${I}", namespace: "team-${I:03}", labels: {index: "${I}"}}
)");
  REQUIRE(s.objects.size() == 1 + 600);
  CHECK(name_of(s.objects[0]) == "first");
  CHECK(name_of(s.objects[1]) == "team-001");
  CHECK(name_of(s.objects[2]) == "robot-1");
  CHECK(s.objects[2].json["metadata"]["namespace"] == "team-001");
  CHECK(name_of(s.objects[600]) == "robot-300");
  CHECK(s.objects[600].json["metadata"]["labels"]["index"] == "300");
  // A copy keeps the template's location.
  CHECK(s.objects[599].location.line == s.objects[1].location.line);
  CHECK(s.objects[1].object.has_value());
}

TEST_CASE("forEach repeats steps over a list keeping each step's own at and after") {
  const Scenario s = parse_ok(R"(
steps:
  - forEach: {NS: [alpha, beta]}
    steps:
      - create: {apiVersion: v1, kind: Namespace, metadata: {name: "${NS}"}}
      - namespace: "${NS}"
        after: 1s
        await: {exists: serviceaccount/default}
  - at: 1m
    wait: 1s
)");
  REQUIRE(s.steps.size() == 5);
  CHECK(s.steps[1].namespace_ == "alpha");
  CHECK(s.steps[3].namespace_ == "beta");
  CHECK(s.steps[3].after == sim::Duration::seconds(1));
  CHECK(s.steps[2].index == 2);
  CHECK(s.steps[4].at == sim::Duration::minutes(1));
}

TEST_CASE("forEach nests with the inner one seeing the outer variables and combines several variables") {
  const Scenario s = parse_ok(R"(
objects:
  - forEach: {N: "1..2"}
    objects:
      - forEach: {M: "1..${N}"}
        objects:
          - {apiVersion: v1, kind: Namespace, metadata: {name: "n${N}-m${M}"}}
  - forEach: {A: [x, y], B: "7..8"}
    objects:
      - {apiVersion: v1, kind: Namespace, metadata: {name: "${A}${B}"}}
)");
  std::vector<std::string> names;
  for (const Manifest& m : s.objects) names.push_back(name_of(m));
  CHECK(names == std::vector<std::string>{"n1-m1", "n2-m1", "n2-m2", "x7", "x8", "y7", "y8"});
}

TEST_CASE("forEach leaves captured variables for the runner") {
  const Scenario s = parse_ok(R"(
steps:
  - get: serviceaccount/default
    capture:
      TOKEN: {object: serviceaccount/default, jsonpath: "{.secrets[0].name}"}
  - forEach: {I: "1..2"}
    steps:
      - name: "try ${I}"
        authenticate: {secret: "${TOKEN}"}
)");
  REQUIRE(s.steps.size() == 3);
  CHECK(*s.steps[2].name == "try 2");
  CHECK(std::get<AuthenticateAction>(s.steps[2].action).token.text == "${TOKEN}");
}

TEST_CASE("an error inside a template points at the template's line once with the values") {
  const std::string error = parse_error(R"(
objects:
  - forEach: {I: "1..300"}
    objects:
      - {apiVersion: v1, kind: Namespace, metadata: {name: "team-${I}", labels: [oops]}}
)");
  // Line 5 is the template; three hundred copies of one mistake are one error.
  CHECK(error.rfind("s.yaml:5:", 0) == 0);
  CHECK(error.find("(in forEach I=1)") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
}

TEST_CASE("forEach's own mistakes are errors at the forEach") {
  CHECK(parse_error("objects:\n  - forEach: {I: \"5..1\"}\n    objects: []\n") ==
        "s.yaml:2:18: error: the range \"5..1\" is empty: A must not exceed B");
  CHECK(parse_error("objects:\n  - forEach: {I: \"1-3\"}\n    objects: []\n").find("expected a range") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - forEach: {I: [a]}\n    objects: []\n") ==
        "s.yaml:3:5: error: a forEach inside steps: repeats steps: [...], not objects");
  CHECK(parse_error("steps:\n  - forEach: {I: [a]}\n    stpes: []\n") ==
        "s.yaml:3:5: error: unknown key \"stpes\" in forEach (did you mean \"steps\"?)");
  CHECK(parse_error("objects:\n  - forEach: {I: [a]}\n    objects:\n      - forEach: {I: [b]}\n        objects: []\n")
            .find("forEach variable I is already bound by an enclosing forEach") != std::string::npos);
  CHECK(parse_error("objects:\n  - forEach: {N: [abc]}\n    objects:\n"
                    "      - {apiVersion: v1, kind: Namespace, metadata: {name: \"x${N:03}\"}}\n")
            .find("${N:03} pads integers with zeros, but N is \"abc\" (in forEach N=abc)") != std::string::npos);
  CHECK(parse_error("objects:\n  - forEach: {I: \"0..100000\"}\n    objects: []\n").find("more than 100000 values") !=
        std::string::npos);
}

TEST_CASE("variable references are found with their formats") {
  const auto refs = variable_references("a ${X} b ${Y:03} ${unclosed");
  REQUIRE(refs.size() == 3);
  CHECK(refs[0].name == "X");
  CHECK(refs[0].offset == 2);
  CHECK(refs[1].format == "03");
  CHECK(refs[2].name.empty());
}

}  // namespace
}  // namespace sasim::scenarios
