#include "model/objects/decode_support.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "model/objects/timestamp.h"

namespace sasim::model::decode {
namespace {

// RFC 6901: '~' and '/' inside a key are escaped.
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string json_kind(const json& value) {
  switch (value.type()) {
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "bool";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "number";
    default: return "null";
  }
}

void fail(const std::string& pointer, std::string message) { throw Failure{DecodeError{pointer, std::move(message)}}; }

void type_error(const json& value, const Site& site, std::string_view go_type) {
  fail(site.pointer, fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of type {}", json_kind(value),
                                 site.go_struct, site.go_field, go_type));
}

Site field_site(const Site& parent, std::string_view key, std::string_view go_struct) {
  Site s;
  s.pointer = parent.pointer + "/" + pointer_token(key);
  s.go_field = parent.go_field.empty() ? std::string(key) : parent.go_field + "." + std::string(key);
  s.go_struct = std::string(go_struct);
  return s;
}

Site index_site(const Site& parent, std::size_t index) {
  Site s = parent;
  s.pointer += "/" + std::to_string(index);
  return s;
}

Site entry_site(const Site& parent, std::string_view key) {
  Site s = parent;
  s.pointer += "/" + pointer_token(key);
  return s;
}

std::string read_string(const json& value, const Site& site) {
  if (value.is_null()) return "";
  if (!value.is_string()) type_error(value, site, "string");
  return value.get<std::string>();
}

std::optional<bool> read_optional_bool(const json& value, const Site& site) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_boolean()) type_error(value, site, "bool");
  return value.get<bool>();
}

std::int64_t read_int(const json& value, const Site& site, int bits) {
  const std::string go_type = fmt::format("int{}", bits);
  if (value.is_null()) return 0;
  const std::int64_t max = bits >= 64 ? std::numeric_limits<std::int64_t>::max()
                                      : (std::int64_t{1} << (bits - 1)) - 1;
  const std::int64_t min = -max - 1;
  auto out_of_range = [&](const std::string& literal) {
    fail(site.pointer, fmt::format("json: cannot unmarshal number {} into Go struct field {}.{} of type {}", literal,
                                   site.go_struct, site.go_field, go_type));
  };
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(max)) out_of_range(std::to_string(v));
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v > max || v < min) out_of_range(std::to_string(v));
    return v;
  }
  if (value.is_number_float()) out_of_range(fmt::format("{}", value.get<double>()));
  type_error(value, site, go_type);
}

std::map<std::string, std::string> read_string_map(const json& value, const Site& site) {
  std::map<std::string, std::string> out;
  if (value.is_null()) return out;
  if (!value.is_object()) type_error(value, site, "map[string]string");
  for (const auto& [key, item] : value.items()) {
    out[key] = read_string(item, entry_site(site, key));
  }
  return out;
}

std::vector<std::string> read_string_list(const json& value, const Site& site, std::string_view go_type) {
  std::vector<std::string> out;
  const json::array_t* items = read_array(value, site, go_type);
  if (items == nullptr) return out;
  for (std::size_t i = 0; i < items->size(); ++i) out.push_back(read_string((*items)[i], index_site(site, i)));
  return out;
}

const json::array_t* read_array(const json& value, const Site& site, std::string_view go_type) {
  if (value.is_null()) return nullptr;
  if (!value.is_array()) type_error(value, site, go_type);
  return value.get_ptr<const json::array_t*>();
}

std::optional<sim::Time> read_time(const json& value, const Site& site, const EncodeOptions& options) {
  if (value.is_null()) return std::nullopt;
  // metav1.Time unmarshals its own string, so Go's message has no field.
  if (!value.is_string()) {
    fail(site.pointer, fmt::format("json: cannot unmarshal {} into Go value of type string", json_kind(value)));
  }
  auto parsed = parse_rfc3339(value.get<std::string>());
  if (!parsed) fail(site.pointer, parsed.error());
  return sim_time_from_wall(parsed.value(), options.epoch_unix_seconds);
}

ExtraFields read_struct(const json& value, const Site& site, std::string_view go_type, const Shape& shape,
                        const FieldVisitor& on_field) {
  if (value.is_null()) return nullptr;
  if (!value.is_object()) type_error(value, site, go_type);
  json extra = json::object();
  for (const auto& [key, field] : value.items()) {
    const Site where = field_site(site, key, shape.go_struct);
    if (on_field(key, field, where)) continue;
    const bool known = shape.open || std::find(shape.unmodelled.begin(), shape.unmodelled.end(), key) !=
                                         shape.unmodelled.end();
    if (!known) fail(where.pointer, fmt::format("unknown field \"{}\" in {}", key, shape.schema_name));
    if (!field.is_null()) extra[key] = field;
  }
  return make_extra(std::move(extra));
}

ExtraFields make_extra(json object) {
  if (object.is_null() || object.empty()) return nullptr;
  return std::make_shared<const json>(std::move(object));
}

}  // namespace sasim::model::decode
