// Field and label selectors of LIST and WATCH requests, parsed and matched
// as the apiserver does (fields.ParseSelector with each kind's supported
// field labels; labels.Parse's grammar).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/route.h"
#include "model/objects/object.h"
#include "sim/result.h"

namespace sasim::api {

struct FieldRequirement {
  std::string field;  // "metadata.name"
  bool equals = true;  // = and ==; false: !=
  std::string value;
};

struct FieldSelector {
  std::vector<FieldRequirement> requirements;  // all must hold
  bool empty() const { return requirements.empty(); }
  // The name a `metadata.name=X` requirement pins, if any (kubectl's
  // delete and single-object watch use it).
  std::optional<std::string> pinned_name() const;
};

// Errors are the 400's message: "field label not supported: spec.foo",
// "invalid selector: 'x'; can't understand 'x'".
sim::Result<FieldSelector> parse_field_selector(std::string_view text, const Resource& resource);
// The value of a supported field label on an object (an absent value is "").
std::string field_value(const model::Object& object, std::string_view field);
bool matches(const FieldSelector& selector, const model::Object& object);

struct LabelRequirement {
  enum class Op : std::uint8_t { kExists, kNotExists, kEquals, kNotEquals, kIn, kNotIn, kGreater, kLess };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;
};

struct LabelSelector {
  std::vector<LabelRequirement> requirements;  // all must hold
};

sim::Result<LabelSelector> parse_label_selector(std::string_view text);
bool matches(const LabelSelector& selector, const std::map<std::string, std::string>& labels);

}  // namespace sasim::api
