// field.Error constructors (apimachinery/pkg/util/validation/field) and path
// builders, for the validators. Internal to model/objects: the types are
// model/api's FieldError, built here without linking model/api.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/api/status.h"

namespace sasim::model::field {

inline std::string child(const std::string& path, std::string_view name) { return path + "." + std::string(name); }
inline std::string index(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }
inline std::string key(const std::string& path, std::string_view k) { return fmt::format("{}[{}]", path, k); }

inline FieldError invalid(std::string path, std::string value, std::string detail) {
  return {"FieldValueInvalid", std::move(path), std::move(value), std::move(detail), true};
}
// Upstream prints a number unquoted (`Invalid value: 0: must be ...`);
// FieldError quotes its value, so the number leads the detail instead.
inline FieldError invalid_number(std::string path, std::int64_t value, std::string_view detail) {
  return {"FieldValueInvalid", std::move(path), std::to_string(value), fmt::format("{}: {}", value, detail), false};
}
inline FieldError required(std::string path, std::string detail = "") {
  return {"FieldValueRequired", std::move(path), "", std::move(detail), false};
}
inline FieldError forbidden(std::string path, std::string detail) {
  return {"FieldValueForbidden", std::move(path), "", std::move(detail), false};
}
inline FieldError not_found(std::string path, std::string value) {
  return {"FieldValueNotFound", std::move(path), std::move(value), "", true};
}
inline FieldError duplicate(std::string path, std::string value) {
  return {"FieldValueDuplicate", std::move(path), std::move(value), "", true};
}
inline FieldError too_long(std::string path, std::int64_t max_bytes) {
  return {"FieldValueTooLong", std::move(path), "", fmt::format("must have at most {} bytes", max_bytes), false};
}
inline FieldError not_supported(std::string path, std::string value, const std::vector<std::string>& supported) {
  std::string list;
  for (const std::string& s : supported) list += (list.empty() ? "" : ", ") + fmt::format("\"{}\"", s);
  return {"FieldValueNotSupported", std::move(path), std::move(value), "supported values: " + list, true};
}

inline void append(std::vector<FieldError>& to, std::vector<FieldError> more) {
  for (FieldError& e : more) to.push_back(std::move(e));
}

}  // namespace sasim::model::field
