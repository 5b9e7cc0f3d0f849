// The decoder's building blocks: where a value sits (for the error's JSON
// pointer and for Go's field path), type-checked reads, and the split of a
// manifest object into modelled fields, kept extra fields and unknown keys.
// Internal to the codec.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/extra_fields.h"

namespace sasim::model::decode {

using nlohmann::json;

// Thrown from deep inside a decode and caught at the public entry points,
// which return it as a value: every read would otherwise have to test and
// forward a Result, burying the field logic.
struct Failure {
  DecodeError error;
};

struct Site {
  std::string pointer;    // "/spec/containers/0/name"
  std::string go_field;   // "spec.containers.name": Go's UnmarshalTypeError.Field has no indices
  std::string go_struct;  // the Go struct that declares the field: "Container"
};

// The shape of one Go struct: its name in messages and the fields that are
// real but not modelled (kept as ExtraFields). `open` keeps any key, for
// levels written by the system rather than users (status).
struct Shape {
  std::string_view go_struct;    // "Container"
  std::string_view schema_name;  // "io.k8s.api.core.v1.Container"
  std::span<const std::string_view> unmodelled;
  bool open = false;
};

// The JSON kinds as Go's UnmarshalTypeError names them: "string", "number", "bool", "array", "object", "null".
std::string json_kind(const json& value);

[[noreturn]] void fail(const std::string& pointer, std::string message);
[[noreturn]] void type_error(const json& value, const Site& site, std::string_view go_type);

Site field_site(const Site& parent, std::string_view key, std::string_view go_struct);
Site index_site(const Site& parent, std::size_t index);
// A map entry (labels, data): Go names the map field itself.
Site entry_site(const Site& parent, std::string_view key);

// Null reads as the zero value, as Go's decoder leaves the field untouched.
std::string read_string(const json& value, const Site& site);
std::optional<bool> read_optional_bool(const json& value, const Site& site);
std::int64_t read_int(const json& value, const Site& site, int bits);
std::map<std::string, std::string> read_string_map(const json& value, const Site& site);
std::vector<std::string> read_string_list(const json& value, const Site& site, std::string_view go_type);
// nullptr for null.
const json::array_t* read_array(const json& value, const Site& site, std::string_view go_type);
std::optional<sim::Time> read_time(const json& value, const Site& site, const EncodeOptions& options);

// Walks the keys of `value` (which must be an object of Go type
// `go_type`): each key that `on_field` accepts (returns true for) is
// modelled; the shape's unmodelled keys are returned as ExtraFields (null
// values dropped, as Go would drop them); any other key is an error.
using FieldVisitor = std::function<bool(const std::string& key, const json& field, const Site& site)>;
ExtraFields read_struct(const json& value, const Site& site, std::string_view go_type, const Shape& shape,
                        const FieldVisitor& on_field);

// Wraps a JSON object as ExtraFields: null when empty.
ExtraFields make_extra(json object);

}  // namespace sasim::model::decode
