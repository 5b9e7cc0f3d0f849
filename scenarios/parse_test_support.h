// Test support for the scenario parser's tests: parse a scenario's text as
// the file `path` ("s.yaml" unless said) and fail the test case where the outcome is not the
// expected one, with the parser's own rendering of the error.
#pragma once

#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "scenarios/parser.h"

namespace sasim::scenarios::testing {

inline Scenario parse_ok(const std::string& text, const std::string& path = "s.yaml") {
  auto parsed = parse_scenario_text(text, path);
  if (!parsed) FAIL(parsed.error().render());
  return std::move(parsed).value();
}

// The rendered error ("PATH:LINE:COL: error: ...") of text that must not parse.
inline std::string parse_error(const std::string& text, const std::string& path = "s.yaml") {
  auto parsed = parse_scenario_text(text, path);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().render();
}

}  // namespace sasim::scenarios::testing
