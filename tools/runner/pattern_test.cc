#include <catch2/catch.hpp>

#include "tools/runner/jsonpath.h"
#include "tools/runner/pattern.h"

namespace sasim::tools {
namespace {

using nlohmann::json;

TEST_CASE("patterns match as the scenario format says") {
  const json sa = json::parse(R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"build-robot",
      "resourceVersion":"42"},"secrets":[{"name":"build-robot-token-abcde"}],"automountServiceAccountToken":false})");
  struct Case {
    const char* name;
    const char* pattern;
    bool matches;
  };
  const Case cases[] = {
      {"maps match as subsets", R"({"metadata":{"name":"build-robot"}})", true},
      {"a missing key fails", R"({"metadata":{"uid":"x"}})", false},
      {"scalars compare as strings", R"({"metadata":{"resourceVersion":42}})", true},
      {"booleans compare as strings", R"({"automountServiceAccountToken":"false"})", true},
      {"any matches a present value", R"({"secrets":[{"name":"<any>"}]})", true},
      {"any needs the value present", R"({"imagePullSecrets":"<any>"})", false},
      {"length matches the list size", R"({"secrets":{"<length>":1}})", true},
      {"length mismatch fails", R"({"secrets":{"<length>":2}})", false},
      {"lists must have the same length", R"({"secrets":[]})", false},
      {"a scalar against a map fails", R"({"metadata":"x"})", false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(pattern_matches(json::parse(c.pattern), sa) == c.matches);
  }
  CHECK(pattern_mismatch(json::parse(R"({"secrets":{"<length>":2}})"), sa) ==
        ".secrets: expected a list of length 2, found 1");
}

TEST_CASE("jsonpath templates resolve as kubectl's do") {
  const json sa = json::parse(R"({"metadata":{"name":"a","annotations":{"kubernetes.io/x":"y"}},
      "secrets":[{"name":"s1"},{"name":"s2"}]})");
  CHECK(evaluate_jsonpath("{.secrets[0].name}", sa).value() == "s1");
  CHECK(evaluate_jsonpath("{.secrets[-1].name}", sa).value() == "s2");
  CHECK(evaluate_jsonpath("{.secrets[*].name}", sa).value() == "s1 s2");
  CHECK(evaluate_jsonpath("name={.metadata.name}", sa).value() == "name=a");
  CHECK(evaluate_jsonpath("{.metadata.annotations.kubernetes\\.io/x}", sa).value() == "y");
  CHECK_FALSE(evaluate_jsonpath("{.secrets[5].name}", sa).ok());
  CHECK(evaluate_jsonpath("{.spec}", sa).error().message == "spec is not found");
  CHECK_FALSE(evaluate_jsonpath("{.secrets[0", sa).ok());
}

}  // namespace
}  // namespace sasim::tools
