// §1 references, token sources and patterns.
#include <fmt/format.h>

#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"
#include "scenarios/yaml_json.h"

namespace sasim::scenarios::parse {

namespace {

// kubectl's spellings that model::parse_kind accepts, for suggestions.
constexpr std::string_view kKindSpellings[] = {"namespace", "namespaces", "ns",     "serviceaccount", "serviceaccounts",
                                               "sa",        "secret",     "secrets", "pod",            "pods",
                                               "po",        "node",       "nodes",   "no",             "configmap",
                                               "configmaps", "cm"};
constexpr std::string_view kSimulatedKinds = "namespace (ns), serviceaccount (sa), secret, pod (po), node (no), configmap (cm)";

model::Kind kind_from_text(std::string_view text, const Location& at, std::string_view context) {
  if (std::optional<model::Kind> kind = model::parse_kind(text)) return *kind;
  if (std::optional<std::string> near = suggest(text, kKindSpellings)) {
    fail(at, fmt::format("unknown kind \"{}\"{} (did you mean \"{}\"?)", text, context, *near));
  }
  fail(at, fmt::format("unknown kind \"{}\"{} (simulated kinds: {})", text, context, kSimulatedKinds));
}

// Walks a pattern for the `{"<length>": N}` convention, which must stand alone.
void check_pattern(const nlohmann::json& value, const std::string& pointer, const LocatedJson& located) {
  if (value.is_object()) {
    if (value.contains("<length>")) {
      const Location at = located.locations.at(pointer + "/<length>");
      if (value.size() != 1) fail(at, "{\"<length>\": N} must be the only key of its map");
      const nlohmann::json& n = value["<length>"];
      if (!n.is_number_integer() || (!n.is_number_unsigned() && n.get<std::int64_t>() < 0)) {
        fail(at, "\"<length>\" takes a non-negative integer");
      }
      return;
    }
    for (const auto& [key, member] : value.items()) {
      check_pattern(member, pointer + "/" + escape_pointer_token(key), located);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) check_pattern(value[i], pointer + "/" + std::to_string(i), located);
  }
}

}  // namespace

ObjectRef parse_object_ref(const YamlNode& node) {
  if (!node.is_scalar()) fail(node.location, fmt::format("expected KIND/NAME such as secret/my-token, got {}", describe(node)));
  const std::string& text = node.text;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    fail(node.location, fmt::format("expected KIND/NAME such as secret/my-token, got \"{}\"", text));
  }
  ObjectRef ref;
  ref.location = node.location;
  ref.kind = kind_from_text(text.substr(0, slash), node.location, fmt::format(" in \"{}\"", text));
  ref.name = text.substr(slash + 1);
  if (ref.name.empty()) fail(node.location, fmt::format("\"{}\" has no name after the '/'", text));
  if (ref.name.find('/') != std::string::npos) {
    fail(node.location, fmt::format("\"{}\": a reference is KIND/NAME; names cannot contain '/'", text));
  }
  return ref;
}

model::Kind parse_kind_name(const YamlNode& node) {
  const std::string text = read_string(node);
  if (text.find('/') != std::string::npos) {
    fail(node.location, fmt::format("expected a kind such as secrets, got the reference \"{}\"", text));
  }
  return kind_from_text(text, node.location, "");
}

TokenSource parse_token_source(const YamlNode& node) {
  static constexpr std::string_view kKeys[] = {"secret", "pod", "value", "audiences", "process"};
  constexpr std::string_view kWhat =
      "a token: {secret: NAME}, {pod: NAME} (with optional process: true) or {value: TOKEN}, with optional audiences";
  check_map(node, kWhat, kKeys);
  TokenSource token;
  token.location = node.location;
  const YamlNode* source = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const std::string& key = node.key(i).text;
    if (key == "audiences") {
      token.audiences = read_string_list(node.value(i), "a list of audiences");
      continue;
    }
    if (key == "process") {
      token.process = read_bool(node.value(i));
      continue;
    }
    if (source != nullptr) fail(node.key(i).location, fmt::format("expected {}, with one of secret, pod and value", kWhat));
    source = &node.key(i);
    token.from = key == "secret" ? TokenSource::From::kSecret
                 : key == "pod"  ? TokenSource::From::kPod
                                 : TokenSource::From::kValue;
    token.text = token.from == TokenSource::From::kValue ? read_string(node.value(i))
                                                         : read_name(node.value(i), fmt::format("the {} name", key));
  }
  if (source == nullptr) fail(node.location, fmt::format("expected {}, with one of secret, pod and value", kWhat));
  if (token.process && token.from != TokenSource::From::kPod) {
    fail(node.find("process")->location, "process: true applies to {pod: NAME} only");
  }
  return token;
}

Pattern parse_pattern(const YamlNode& node, std::string_view what) {
  if (!node.is_map()) fail(node.location, fmt::format("expected {} (a map), got {}", what, describe(node)));
  sim::Result<LocatedJson, Diagnostic> located = to_json(node);
  if (!located) throw Failure{located.error()};
  check_pattern(located.value().json, "", located.value());
  Pattern pattern;
  pattern.location = node.location;
  pattern.json = located.value().json;
  pattern.locations = located.value().locations;
  return pattern;
}

}  // namespace sasim::scenarios::parse
