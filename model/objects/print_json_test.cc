// `kubectl get -o json`: Go's MarshalIndent text, escapes and number forms.
#include <catch2/catch.hpp>

#include "model/objects/go_float.h"
#include "model/objects/print.h"

namespace sasim::model {
namespace {

using nlohmann::json;

TEST_CASE("json text is Go's four-space MarshalIndent") {
  const json value = json::parse(R"({"b": [1, {"c": "<a&b>"}], "a": {}, "e": [], "f": 0.5, "g": null,
                                     "h": 1e21, "i": 1e-7, "s": "\b\u2028é\"\\\n", "t": true, "u": 18446744073709551615})");
  CHECK(to_json_text(value) == R"({
    "a": {},
    "b": [
        1,
        {
            "c": "\u003ca\u0026b\u003e"
        }
    ],
    "e": [],
    "f": 0.5,
    "g": null,
    "h": 1e+21,
    "i": 1e-7,
    "s": "\u0008\u2028é\"\\\n",
    "t": true,
    "u": 18446744073709551615
}
)");
}

TEST_CASE("floats format as Go's strconv does") {
  struct Case {
    double value;
    const char* g;
    const char* json;
  };
  const Case cases[] = {
      {0.5, "0.5", "0.5"},          {100000, "100000", "100000"},   {1234567, "1.234567e+06", "1234567"},
      {0.0001, "0.0001", "0.0001"}, {0.00001, "1e-05", "0.00001"},  {1e-7, "1e-07", "1e-7"},
      {-2.5, "-2.5", "-2.5"},       {1e21, "1e+21", "1e+21"},       {123.456, "123.456", "123.456"},
      {0, "0", "0"},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    CHECK(go_format_float(c.value, 'g') == c.g);
    CHECK(go_json_float(c.value) == c.json);
  }
}

}  // namespace
}  // namespace sasim::model
