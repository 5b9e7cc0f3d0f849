#include "api/bodies.h"

#include <fmt/format.h>

#include "api/go_json.h"
#include "api/protobuf.h"
#include "scenarios/yaml_json.h"
#include "scenarios/yaml_tree.h"

namespace sasim::api {
namespace {

using nlohmann::json;

// What transformDecodeError quotes of a body it could not read.
std::string summarize(std::string_view data, std::size_t max_length = 30) {
  if (data.empty()) return "<empty>";
  if (data[0] == '{') {
    if (data.size() > max_length) return std::string(data.substr(0, max_length)) + " ...";
    return std::string(data);
  }
  std::string hex;
  const std::size_t n = std::min(data.size(), max_length);
  for (std::size_t i = 0; i < n; ++i) hex += fmt::format("{:02x}", static_cast<unsigned char>(data[i]));
  return data.size() > max_length ? hex + " ..." : hex;
}

std::string go_value_kind(const json& value) {
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_number()) return "number";
  if (value.is_boolean()) return "bool";
  return "object";
}

// Removes the value at a JSON pointer (an unknown field's key).
bool erase_at(json& document, const std::string& pointer) {
  if (pointer.empty()) return false;
  const std::size_t slash = pointer.rfind('/');
  const json::json_pointer parent(pointer.substr(0, slash));
  std::string key = pointer.substr(slash + 1);
  // Unescape RFC 6901 (~1 is '/', ~0 is '~').
  for (std::size_t at = key.find("~1"); at != std::string::npos; at = key.find("~1", at)) key.replace(at, 2, "/");
  for (std::size_t at = key.find("~0"); at != std::string::npos; at = key.find("~0", at)) key.replace(at, 2, "~");
  if (!document.contains(parent)) return false;
  json& container = document[parent];
  if (!container.is_object() || !container.contains(key)) return false;
  container.erase(key);
  return true;
}

}  // namespace

sim::Result<json, model::ApiStatus> parse_body(std::string_view body, BodyType type) {
  if (type == BodyType::kYaml || type == BodyType::kApplyPatch) {
    auto nodes = scenarios::load_yaml(body, "body");
    if (!nodes) {
      return sim::unexpected(model::status_bad_request("error converting YAML to JSON: yaml: " + nodes.error().message));
    }
    if (nodes.value().empty()) return json();
    auto converted = scenarios::to_json(nodes.value().front());
    if (!converted) {
      return sim::unexpected(
          model::status_bad_request("error converting YAML to JSON: yaml: " + converted.error().message));
    }
    return converted.value().json;
  }
  if (auto error = go_json_syntax_error(body)) return sim::unexpected(model::status_bad_request(*error));
  return parse_go_json(body);
}

sim::Result<DecodedObject, model::ApiStatus> decode_object_body(std::string_view body, BodyType type,
                                                                model::Kind kind, const model::EncodeOptions& encode) {
  const std::string kind_name(model::kind_name(kind));
  auto unrecognized = [&](const std::string& why) {
    return sim::unexpected(model::status_bad_request(
        fmt::format("the object provided is unrecognized (must be of type {}): {} ({})", kind_name, why, summarize(body))));
  };
  json manifest;
  if (type == BodyType::kYaml) {
    auto parsed = parse_body(body, type);
    if (!parsed) return unrecognized(parsed.error().message);
    manifest = std::move(parsed).value();
  } else if (type == BodyType::kProtobuf) {
    auto decoded = protobuf_manifest(body);
    if (!decoded && decoded.error().unsupported_kind) {
      model::ApiStatus status;
      status.code = 415;
      status.reason = "UnsupportedMediaType";
      status.message = decoded.error().message + "; send it as application/json";
      return sim::unexpected(std::move(status));
    }
    if (!decoded) return unrecognized(decoded.error().message);
    manifest = std::move(decoded).value();
  } else {
    if (auto error = go_json_syntax_error(body)) {
      return unrecognized("couldn't get version/kind; json parse error: " + *error);
    }
    manifest = parse_go_json(body);
  }
  if (!manifest.is_object()) {
    return unrecognized(fmt::format(
        "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ "
        "APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
        go_value_kind(manifest)));
  }
  for (const char* key : {"apiVersion", "kind"}) {
    if (manifest.contains(key) && !manifest[key].is_string() && !manifest[key].is_null()) {
      return unrecognized(fmt::format(
          "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{} of type "
          "string",
          go_value_kind(manifest[key]), key));
    }
  }
  // The endpoint supplies what the body leaves out (the Python client sends
  // neither).
  const std::string api_version = manifest.value("apiVersion", json("")).is_string()
                                      ? manifest.value("apiVersion", std::string())
                                      : std::string();
  const std::string body_kind = manifest.value("kind", json("")).is_string() ? manifest.value("kind", std::string())
                                                                            : std::string();
  const std::string version = api_version.empty() ? "v1" : api_version;
  const std::string actual = body_kind.empty() ? kind_name : body_kind;
  if (actual != kind_name) {
    const bool known = model::kind_from_manifest(actual).has_value() && version == "v1";
    const std::string why =
        known ? fmt::format("converting (v1.{}) to (core.{}): unknown conversion", actual, kind_name)
              : fmt::format("no kind \"{}\" is registered for version \"{}\" in scheme "
                            "\"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"",
                            actual, version);
    return sim::unexpected(model::status_bad_request(
        fmt::format("{} in version \"{}\" cannot be handled as a {}: {}", actual, version, kind_name, why)));
  }
  if (version != "v1") {
    return sim::unexpected(model::status_bad_request(
        fmt::format("the API version in the data ({}) does not match the expected API version (v1)", version)));
  }
  manifest["apiVersion"] = "v1";
  manifest["kind"] = kind_name;
  // The 1.20 apiserver drops keys its types do not have; the model's decoder
  // rejects them (as kubectl's schema check would), so drop them one by one.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto decoded = model::decode_object(manifest, encode);
    if (decoded) return DecodedObject{std::move(decoded).value(), std::move(manifest)};
    const model::DecodeError& error = decoded.error();
    if (error.message.starts_with("unknown field \"") && erase_at(manifest, error.path)) continue;
    return sim::unexpected(model::status_bad_request(
        fmt::format("{} in version \"v1\" cannot be handled as a {}: {}", kind_name, kind_name, error.message)));
  }
  return sim::unexpected(model::status_bad_request("too many unknown fields"));
}

}  // namespace sasim::api
