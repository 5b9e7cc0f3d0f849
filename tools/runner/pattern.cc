#include "tools/runner/pattern.h"

#include <fmt/format.h>

namespace sasim::tools {
namespace {

std::string mismatch_at(const std::string& path, const nlohmann::json& pattern, const nlohmann::json& actual) {
  if (pattern.is_string() && pattern.get<std::string>() == "<any>") {
    return actual.is_null() ? fmt::format("{}: expected a value, found none", path.empty() ? "." : path) : "";
  }
  if (pattern.is_object() && pattern.size() == 1 && pattern.contains("<length>")) {
    if (!actual.is_array()) return fmt::format("{}: expected a list, found {}", path.empty() ? "." : path, actual.dump());
    const std::string wanted = scalar_text(pattern["<length>"]);
    if (std::to_string(actual.size()) != wanted) {
      return fmt::format("{}: expected a list of length {}, found {}", path.empty() ? "." : path, wanted, actual.size());
    }
    return "";
  }
  if (pattern.is_object()) {
    if (!actual.is_object()) return fmt::format("{}: expected a map, found {}", path.empty() ? "." : path, actual.dump());
    for (const auto& [key, value] : pattern.items()) {
      const std::string child = path + "." + key;
      if (!actual.contains(key)) return fmt::format("{}: missing", child);
      std::string inner = mismatch_at(child, value, actual[key]);
      if (!inner.empty()) return inner;
    }
    return "";
  }
  if (pattern.is_array()) {
    if (!actual.is_array()) return fmt::format("{}: expected a list, found {}", path.empty() ? "." : path, actual.dump());
    if (pattern.size() != actual.size()) {
      return fmt::format("{}: expected a list of length {}, found {}", path.empty() ? "." : path, pattern.size(),
                         actual.size());
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      std::string inner = mismatch_at(fmt::format("{}[{}]", path, i), pattern[i], actual[i]);
      if (!inner.empty()) return inner;
    }
    return "";
  }
  if (actual.is_object() || actual.is_array()) {
    return fmt::format("{}: expected {}, found {}", path.empty() ? "." : path, scalar_text(pattern), actual.dump());
  }
  if (scalar_text(pattern) != scalar_text(actual)) {
    return fmt::format("{}: expected \"{}\", found \"{}\"", path.empty() ? "." : path, scalar_text(pattern),
                       scalar_text(actual));
  }
  return "";
}

}  // namespace

std::string scalar_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "null";
  return value.dump();
}

std::string pattern_mismatch(const nlohmann::json& pattern, const nlohmann::json& actual) {
  return mismatch_at("", pattern, actual);
}

}  // namespace sasim::tools
