// §5: manifests, inline or from files, one object or a v1 List of them.
#include <fmt/format.h>

#include "model/objects/codec.h"
#include "scenarios/files.h"
#include "scenarios/locate.h"
#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/yaml_json.h"

namespace sasim::scenarios::parse {

namespace {

constexpr std::string_view kManifestWhat = "a Kubernetes manifest (a map with apiVersion, kind and metadata)";

// The locations under `prefix`, re-rooted so that `prefix` becomes "".
std::map<std::string, Location> subtree(const std::map<std::string, Location>& locations, const std::string& prefix) {
  std::map<std::string, Location> out;
  for (auto it = locations.lower_bound(prefix); it != locations.end(); ++it) {
    const std::string& pointer = it->first;
    if (pointer.compare(0, prefix.size(), prefix) != 0) break;
    if (pointer.size() > prefix.size() && pointer[prefix.size()] != '/') continue;
    out.emplace(pointer.substr(prefix.size()), it->second);
  }
  return out;
}

bool json_has_variables(const nlohmann::json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find("${") != std::string::npos;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key.find("${") != std::string::npos || json_has_variables(member)) return true;
    }
  }
  if (value.is_array()) {
    for (const nlohmann::json& item : value) {
      if (json_has_variables(item)) return true;
    }
  }
  return false;
}

Manifest decode_one(nlohmann::json json, std::map<std::string, Location> locations, const Location& at,
                    const Context& context, bool allow_variables) {
  Manifest manifest;
  manifest.location = at;
  manifest.has_variables = json_has_variables(json);
  sim::Result<model::Object, model::DecodeError> object =
      model::decode_object(json, model::EncodeOptions{.epoch_unix_seconds = context.epoch_unix_seconds});
  if (object) {
    manifest.object = std::move(object).value();
  } else if (!(allow_variables && manifest.has_variables)) {
    fail(locate(locations, object.error().path, at), object.error().message);
  }
  manifest.json = std::move(json);
  manifest.locations = std::move(locations);
  return manifest;
}

// One YAML document or inline manifest: an object, or a v1 List of them.
void add_manifests(const YamlNode& node, const Context& context, bool allow_variables, std::vector<Manifest>& out) {
  if (!node.is_map()) fail(node.location, fmt::format("expected {}, got {}", kManifestWhat, describe(node)));
  sim::Result<LocatedJson, Diagnostic> converted = to_json(node);
  if (!converted) throw Failure{converted.error()};
  LocatedJson located = std::move(converted).value();
  const nlohmann::json& json = located.json;
  const auto kind = json.find("kind");
  if (kind == json.end() || *kind != "List") {
    out.push_back(decode_one(std::move(located.json), std::move(located.locations), node.location, context,
                             allow_variables));
    return;
  }
  for (const auto& [key, value] : json.items()) {
    if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "items") {
      fail(locate(located.locations, "/" + escape_pointer_token(key), node.location),
           fmt::format("unknown field \"{}\" in List", key));
    }
  }
  if (json.value("apiVersion", nlohmann::json()) != "v1") {
    fail(locate(located.locations, "/apiVersion", node.location), "a List must have apiVersion \"v1\"");
  }
  const auto items = json.find("items");
  if (items == json.end() || items->is_null()) return;
  if (!items->is_array()) {
    fail(locate(located.locations, "/items", node.location), "a List's items must be a sequence of manifests");
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string prefix = "/items/" + std::to_string(i);
    const Location at = locate(located.locations, prefix, node.location);
    if (!(*items)[i].is_object()) fail(at, fmt::format("expected {}, got {}", kManifestWhat, (*items)[i].type_name()));
    if ((*items)[i].value("kind", nlohmann::json()) == "List") fail(at, "a List cannot hold another List");
    out.push_back(decode_one((*items)[i], subtree(located.locations, prefix), at, context, allow_variables));
  }
}

std::vector<Manifest> manifests_from_file(const YamlNode& file_node, const Context& context, bool allow_variables,
                                          std::string* file_out) {
  const std::string written = read_name(file_node, "the file path");
  const std::string path = resolve_path(context.file, written);
  sim::Result<std::string, std::string> text = read_file(path);
  if (!text) fail(file_node.location, fmt::format("cannot read \"{}\": {}", path, text.error()));
  sim::Result<std::vector<YamlNode>, Diagnostic> documents = load_yaml(text.value(), path);
  if (!documents) throw Failure{documents.error()};
  std::vector<Manifest> out;
  for (const YamlNode& document : documents.value()) {
    // Empty documents (a trailing `---`) are skipped, as kubectl skips them.
    if (document.is_null()) continue;
    add_manifests(document, context, allow_variables, out);
  }
  if (out.empty()) fail(file_node.location, fmt::format("no objects in \"{}\"", path));
  if (file_out != nullptr) *file_out = path;
  return out;
}

}  // namespace

std::vector<Manifest> parse_manifests(const YamlNode& node, const Context& context, bool allow_variables,
                                      std::string* file_out) {
  if (const YamlNode* file = node.find("file")) {
    static constexpr std::string_view kKeys[] = {"file"};
    check_map(node, "{file: PATH}", kKeys);
    return manifests_from_file(*file, context, allow_variables, file_out);
  }
  std::vector<Manifest> out;
  add_manifests(node, context, allow_variables, out);
  return out;
}

}  // namespace sasim::scenarios::parse
