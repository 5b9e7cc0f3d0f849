// Test oracle: a FieldError rendered as upstream's field.Error.Error() renders
// it, type names included (Not found, Too long, ...).
#pragma once

#include <string>
#include <vector>

#include "model/api/status.h"

namespace sasim::model {

inline std::string upstream_text(const FieldError& e) {
  std::string type = e.type;
  if (type == "FieldValueInvalid") type = "Invalid value";
  else if (type == "FieldValueRequired") type = "Required value";
  else if (type == "FieldValueForbidden") type = "Forbidden";
  else if (type == "FieldValueNotSupported") type = "Unsupported value";
  else if (type == "FieldValueDuplicate") type = "Duplicate value";
  else if (type == "FieldValueNotFound") type = "Not found";
  else if (type == "FieldValueTooLong") type = "Too long";
  std::string out = e.field + ": " + type;
  if (e.show_value) out += ": \"" + e.value + "\"";
  if (!e.detail.empty()) out += ": " + e.detail;
  return out;
}

inline std::vector<std::string> texts(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(upstream_text(e));
  return out;
}

}  // namespace sasim::model
