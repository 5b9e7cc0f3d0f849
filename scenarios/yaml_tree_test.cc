#include "scenarios/yaml_tree.h"

#include <catch2/catch.hpp>

#include "scenarios/locate.h"
#include "scenarios/text_checks.h"
#include "scenarios/yaml_json.h"

namespace sasim::scenarios {
namespace {

YamlNode load_one(std::string_view text) {
  auto documents = load_yaml(text, "t.yaml");
  REQUIRE(documents.ok());
  REQUIRE(documents.value().size() == 1);
  return documents.value()[0];
}

Diagnostic load_error(std::string_view text) {
  auto documents = load_yaml(text, "t.yaml");
  REQUIRE_FALSE(documents.ok());
  return documents.error();
}

TEST_CASE("documents beginning with a comma are refused before yaml-cpp loops on them") {
  // Each of these never returns from Debian 12's yaml-cpp 0.7.
  for (const char* text : {",", "&a,", "&a ,", "!t ,", "--- ,", "a: 1\n---\n,", "# note\n  ,", "%YAML 1.2\n---\n&a !t ,",
                           "&labelSelector=v1\",\"data\":{\".d\":\"k\"}"}) {
    const auto loaded = load_yaml(text, "f.yaml");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message == "YAML syntax error: a document may not begin with ','");
  }
  const auto located = load_yaml("a: 1\n---\n  &x ,\n", "f.yaml");
  REQUIRE_FALSE(located.ok());
  CHECK(located.error().location.line == 3);
  CHECK(located.error().location.column == 6);
  // A comma anywhere else is yaml-cpp's to judge (it accepts some, refuses
  // others with its own words).
  for (const char* text : {"x: ,", "a,", "- ,", "[&a ,]", "x:\n  ,", "? ,"}) {
    const auto loaded = load_yaml(text, "f.yaml");
    CHECK((loaded.ok() || loaded.error().message != "YAML syntax error: a document may not begin with ','"));
  }
  CHECK(load_yaml("a,", "f.yaml").ok());
}

TEST_CASE("nodes carry 1-based locations and whether a scalar was plain") {
  const YamlNode root = load_one("a: 1\nb:\n  - \"x\"\n  - |\n    text\n");
  REQUIRE(root.is_map());
  REQUIRE(root.entries() == 2);
  CHECK(root.key(0).location == Location{"t.yaml", 1, 1});
  CHECK(root.value(0).location == Location{"t.yaml", 1, 4});
  CHECK(root.value(0).plain);
  const YamlNode& list = *root.find("b");
  REQUIRE(list.children.size() == 2);
  CHECK_FALSE(list.children[0].plain);
  CHECK(list.children[0].location == Location{"t.yaml", 3, 5});
  CHECK_FALSE(list.children[1].plain);
  CHECK(list.children[1].text == "text\n");
}

TEST_CASE("an empty value is located at its key") {
  const YamlNode root = load_one("a:\nb: 2\n");
  CHECK(root.value(0).is_null());
  CHECK(root.value(0).location == Location{"t.yaml", 1, 1});
}

TEST_CASE("explicit core tags are kept and others refused") {
  const YamlNode root = load_one("a: !!str 5\n");
  CHECK(root.value(0).tag == YamlNode::Tag::kString);
  CHECK(load_error("a: !custom 5\n").render() ==
        "t.yaml:1:4: error: unsupported YAML tag \"!custom\" (supported: !!str, !!int, !!float, !!bool, !!null)");
}

TEST_CASE("merge keys apply with the map's own keys winning") {
  const YamlNode root = load_one("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
  const YamlNode& m = *root.find("m");
  REQUIRE(m.entries() == 2);
  CHECK(m.find("x")->text == "1");
  CHECK(m.find("y")->text == "3");
}

TEST_CASE("duplicate keys are errors at the second") {
  CHECK(load_error("a: 1\nb: 2\na: 3\n").render() == "t.yaml:3:1: error: duplicate key \"a\" (first at line 1, column 1)");
}

TEST_CASE("aliases expand into copies") {
  const YamlNode root = load_one("a: &x [1, 2]\nb: *x\n");
  CHECK(root.find("b")->children.size() == 2);
}

TEST_CASE("an alias bomb is refused at the node budget") {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  // About 10^9 nodes; the budget is crossed by the eighth copy of l4
  // (111,111 nodes each) in l5's list.
  CHECK(load_error(text).render() ==
        "t.yaml:6:45: error: the document expands to more than 1000000 nodes (aliases that multiply: a YAML bomb?)");
}

TEST_CASE("an alias that contains itself is refused at the alias") {
  CHECK(load_error("a: &s [1, *s]\n").render() ==
        "t.yaml:1:11: error: the alias *s is inside the node it names, which would nest without end");
}

TEST_CASE("syntax errors carry yaml-cpp's mark") {
  CHECK(load_error("a: [1, 2\n").render() == "t.yaml:2:1: error: YAML syntax error: end of sequence flow not found");
  CHECK(load_error("a: b: c\n").render() == "t.yaml:1:5: error: YAML syntax error: illegal map value");
}

TEST_CASE("invalid UTF-8 and control characters are refused where they are") {
  CHECK(load_error("a: ok\nb: \xff\n").render() ==
        "t.yaml:2:4: error: invalid UTF-8 (byte 0xFF): a scenario file must be UTF-8 text");
  CHECK(load_error(std::string("a: x\0y\n", 7)).render() ==
        "t.yaml:1:5: error: control character U+0000 is not allowed in YAML text");
  // Overlong encodings and surrogates are invalid too.
  CHECK_THAT(load_error("a: \xc0\xaf\n").message, Catch::Contains("invalid UTF-8"));
  CHECK_THAT(load_error("a: \xed\xa0\x80\n").message, Catch::Contains("invalid UTF-8"));
  // A byte-order mark and multi-byte text are fine.
  CHECK(load_one("\xEF\xBB\xBF" "a: caf\xc3\xa9\n").find("a")->text == "caf\xc3\xa9");
}

TEST_CASE("input beyond the size cap is refused before parsing") {
  const std::string big(kMaxInputBytes + 1, ' ');
  CHECK(load_error(big).render() == "t.yaml:1:1: error: file too large: 16777217 bytes (the limit is 16 MiB)");
}

TEST_CASE("to_json types scalars as kubectl and maps pointers to keys") {
  const YamlNode root = load_one(
      "metadata:\n  name: web\n  labels:\n    on: \"true\"\n    n: 5\n    count: 5\nspec:\n  containers:\n    - name: a\n      x: 1.0\n");
  auto located = to_json(root);
  REQUIRE(located.ok());
  const nlohmann::json& json = located.value().json;
  CHECK(json["metadata"]["labels"]["true"] == "true");  // go-yaml reads the key `on` as true
  CHECK(json["metadata"]["labels"]["false"] == 5);  // and `n` as false
  CHECK(json["metadata"]["labels"]["count"] == 5);
  CHECK(json["spec"]["containers"][0]["x"] == 1);
  const auto& locations = located.value().locations;
  CHECK(locations.at("/spec/containers/0") == Location{"t.yaml", 9, 7});
  CHECK(locations.at("/spec/containers/0/name") == Location{"t.yaml", 9, 7});
  CHECK(locations.at("/metadata/name") == Location{"t.yaml", 2, 3});
  CHECK(locate(locations, "/spec/containers/0/missing", Location{}) == Location{"t.yaml", 9, 7});
  CHECK(locate(locations, "/nothing/here", Location{"f", 9, 9}) == Location{"t.yaml", 1, 1});
}

TEST_CASE("to_json notices variables") {
  auto located = to_json(load_one("a: ${X}\n"));
  REQUIRE(located.ok());
  CHECK(located.value().has_variables);
}

TEST_CASE("line_column counts lines and bytes") {
  const LineColumn at = line_column("ab\ncd", 4);
  CHECK(at.line == 2);
  CHECK(at.column == 2);
}

}  // namespace
}  // namespace sasim::scenarios
