#include "scenarios/yaml_json.h"

#include <utility>

#include <fmt/format.h>

#include "scenarios/scalar_resolve.h"

namespace sasim::scenarios {

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

namespace {

struct ConversionFailure {
  Diagnostic diagnostic;
};

[[noreturn]] void fail(const Location& at, std::string message) { throw ConversionFailure{{at, std::move(message)}}; }

bool has_variable(std::string_view text) { return text.find("${") != std::string_view::npos; }

nlohmann::json tagged_scalar(const YamlNode& node) {
  switch (node.tag) {
    case YamlNode::Tag::kString: return node.text;
    case YamlNode::Tag::kNull: return nullptr;
    case YamlNode::Tag::kInt:
      if (std::optional<nlohmann::json> integer = resolve_integer(node.text)) return *integer;
      fail(node.location, fmt::format("\"{}\" is not an integer (tagged !!int)", node.text));
    case YamlNode::Tag::kFloat: {
      nlohmann::json value = resolve_plain_scalar(node.text);
      if (value.is_number()) return value;
      fail(node.location, fmt::format("\"{}\" is not a number (tagged !!float)", node.text));
    }
    case YamlNode::Tag::kBool: {
      nlohmann::json value = resolve_plain_scalar(node.text);
      if (value.is_boolean()) return value;
      fail(node.location, fmt::format("\"{}\" is not a boolean (tagged !!bool)", node.text));
    }
    case YamlNode::Tag::kNone: break;
  }
  return node.plain ? resolve_plain_scalar(node.text) : nlohmann::json(node.text);
}

// sigs.k8s.io/yaml turns go-yaml's typed keys into strings: `1: x` and
// `yes: x` become "1" and "true".
std::string key_string(const YamlNode& key) {
  const nlohmann::json value = tagged_scalar(key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_null()) fail(key.location, "a map key cannot be null");
  return key.text;
}

class Converter {
 public:
  nlohmann::json convert(const YamlNode& node, const std::string& pointer) {
    switch (node.type) {
      case YamlNode::Type::kNull: return nullptr;
      case YamlNode::Type::kScalar: {
        nlohmann::json value = tagged_scalar(node);
        if (value.is_string() && has_variable(value.get_ref<const std::string&>())) out.has_variables = true;
        return value;
      }
      case YamlNode::Type::kSequence: {
        nlohmann::json array = nlohmann::json::array();
        for (std::size_t i = 0; i < node.children.size(); ++i) {
          const std::string item = pointer + "/" + std::to_string(i);
          out.locations.emplace(item, node.children[i].location);
          array.push_back(convert(node.children[i], item));
        }
        return array;
      }
      case YamlNode::Type::kMap: {
        nlohmann::json object = nlohmann::json::object();
        for (std::size_t i = 0; i < node.entries(); ++i) {
          const std::string name = key_string(node.key(i));
          if (object.contains(name)) fail(node.key(i).location, fmt::format("duplicate key \"{}\"", name));
          if (has_variable(name)) out.has_variables = true;
          const std::string member = pointer + "/" + escape_pointer_token(name);
          out.locations.emplace(member, node.key(i).location);
          object[name] = convert(node.value(i), member);
        }
        return object;
      }
    }
    return nullptr;
  }

  LocatedJson out;
};

}  // namespace

sim::Result<LocatedJson, Diagnostic> to_json(const YamlNode& node) {
  try {
    Converter converter;
    converter.out.locations.emplace("", node.location);
    converter.out.json = converter.convert(node, "");
    return std::move(converter.out);
  } catch (const ConversionFailure& failure) {
    return sim::unexpected(failure.diagnostic);
  }
}

}  // namespace sasim::scenarios
