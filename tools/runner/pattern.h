// Patterns (scenario format §6): YAML matched against an object as
// `kubectl get -o yaml` shows it. Maps match as subsets, recursively; lists
// must have the same length and match element by element; scalars compare
// as strings; "<any>" matches any present value; {"<length>": N} matches a
// list of length N.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sasim::tools {

// Empty when `actual` matches; otherwise where and why it does not, e.g.
// ".secrets: expected a list of length 1, found 2".
std::string pattern_mismatch(const nlohmann::json& pattern, const nlohmann::json& actual);

inline bool pattern_matches(const nlohmann::json& pattern, const nlohmann::json& actual) {
  return pattern_mismatch(pattern, actual).empty();
}

// A scalar as the pattern language compares it: strings bare, numbers and
// booleans in their YAML spelling.
std::string scalar_text(const nlohmann::json& value);

}  // namespace sasim::tools
