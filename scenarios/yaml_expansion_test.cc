#include "scenarios/yaml_expansion.h"

#include <catch2/catch.hpp>
#include <yaml-cpp/exceptions.h>

namespace sasim::scenarios {
namespace {

std::string refusal(std::string_view text, std::size_t max_nodes) {
  const std::optional<Diagnostic> refused = check_yaml_expansion(text, "t.yaml", max_nodes);
  REQUIRE(refused.has_value());
  return refused->render();
}

TEST_CASE("the expansion counts every key and value and alias copy: at the limit passes and one over fails") {
  // map, a, [x, x] = 5; b, [*a, *a] = 2 + 3 + 3; 13 in all.
  const std::string text = "a: &a [x, x]\nb: [*a, *a]\n";
  CHECK_FALSE(check_yaml_expansion(text, "t.yaml", 13).has_value());
  CHECK(refusal(text, 12) ==
        "t.yaml:2:9: error: the document expands to more than 12 nodes (aliases that multiply: a YAML bomb?)");
}

TEST_CASE("the expansion adds up the documents of a file") {
  const std::string text = "--- [a]\n--- [b]\n";
  CHECK_FALSE(check_yaml_expansion(text, "t.yaml", 4).has_value());
  CHECK(refusal(text, 3) ==
        "t.yaml:2:6: error: the document expands to more than 3 nodes (aliases that multiply: a YAML bomb?)");
}

TEST_CASE("an alias copies the latest node its anchor names") {
  // map, a, [1, 2, 3] = 6; b, 1 = 2; c, [*x, *x] = 2 + 1 + 1; 12 in all.
  const std::string text = "a: &x [1, 2, 3]\nb: &x 1\nc: [*x, *x]\n";
  CHECK_FALSE(check_yaml_expansion(text, "t.yaml", 12).has_value());
  CHECK(refusal(text, 11).starts_with("t.yaml:3:9: error: the document expands to more than 11 nodes"));
}

TEST_CASE("an alias inside the node it names is refused at the alias") {
  CHECK(refusal("steps: &s [*s]\n", 1000) ==
        "t.yaml:1:12: error: the alias *s is inside the node it names, which would nest without end");
  CHECK(refusal("a: &outer {b: [1, {c: *outer}]}\n", 1000) ==
        "t.yaml:1:23: error: the alias *outer is inside the node it names, which would nest without end");
}

TEST_CASE("a billion laughs is refused at the alias that crosses the budget before any copy") {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 30; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  // 10^30 nodes expanded: counting is linear in the text, so this returns
  // at once; the copies would never fit in memory.
  CHECK(refusal(text, 1'000'000).starts_with("t.yaml:6:45: error: the document expands to more than 1000000 nodes"));
}

TEST_CASE("a document yaml-cpp loops on without reading on is refused where it is stuck") {
  // Found by the scenario fuzz target: 0.7 emits an empty node at the ','
  // forever. Refused after a thousand, not after the whole node budget.
  for (const std::string text : {"s:\n%\n,\n", "s:\n% {a: b\n , p}\n"}) {
    CHECK(refusal(text, 1'000'000).starts_with("t.yaml:3:"));
    CHECK(refusal(text, 1'000'000).find("the YAML parser cannot get past this point") != std::string::npos);
  }
  // Many nodes, each at a place of its own, are not stuck.
  std::string many = "a: [";
  for (int i = 0; i < 5000; ++i) many += "x, ";
  many += "x]\n";
  CHECK_FALSE(check_yaml_expansion(many, "t.yaml", 1'000'000).has_value());
}

TEST_CASE("syntax errors are left to the caller as yaml-cpp's exceptions") {
  CHECK_THROWS_AS(check_yaml_expansion("a: [1, 2\n", "t.yaml", 1000), YAML::Exception);
  CHECK_THROWS_AS(check_yaml_expansion("a: *nowhere\n", "t.yaml", 1000), YAML::Exception);
}

}  // namespace
}  // namespace sasim::scenarios
