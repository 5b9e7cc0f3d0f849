#include "api/media.h"
#include "model/objects/ascii.h"

#include <cstdint>
#include <vector>

namespace sasim::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

struct MediaRange {
  std::string type;  // "application/json"
  std::string as, group, version;
};

MediaRange parse_range(std::string_view text) {
  const std::vector<std::string_view> parts = split(text, ';');
  MediaRange range;
  range.type = model::ascii_lower(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = model::ascii_lower(trim(parts[i].substr(0, eq)));
    std::string_view value = trim(parts[i].substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (key == "as") range.as = std::string(value);
    else if (key == "g") range.group = std::string(value);
    else if (key == "v") range.version = std::string(value);
  }
  return range;
}

}  // namespace

std::string media_type(std::string_view header) { return parse_range(header).type; }

std::optional<ResponseFormat> negotiate_response(std::string_view accept) {
  if (trim(accept).empty()) return ResponseFormat{};
  for (std::string_view part : split(accept, ',')) {
    if (part.empty()) continue;
    const MediaRange range = parse_range(part);
    const bool json = range.type == "application/json" || range.type == "*/*" || range.type == "application/*";
    const bool yaml = range.type == "application/yaml";
    if (!json && !yaml) continue;
    if (!range.as.empty()) {
      // Only meta.k8s.io's Table is offered; any other conversion (such as
      // PartialObjectMetadata) falls through to the next range.
      if (range.as != "Table" || range.group != "meta.k8s.io" || (range.version != "v1" && range.version != "v1beta1")) {
        continue;
      }
    }
    ResponseFormat format;
    format.encoding = yaml ? ResponseFormat::Encoding::kYaml : ResponseFormat::Encoding::kJson;
    if (!range.as.empty()) format.table_version = "meta.k8s.io/" + range.version;
    return format;
  }
  return std::nullopt;
}

BodyType body_type(std::string_view content_type) {
  const std::string type = media_type(content_type);
  if (type.empty() || type == "application/json") return BodyType::kJson;
  if (type == "application/yaml") return BodyType::kYaml;
  if (type == "application/vnd.kubernetes.protobuf") return BodyType::kProtobuf;
  if (type == "application/merge-patch+json") return BodyType::kMergePatch;
  if (type == "application/strategic-merge-patch+json") return BodyType::kStrategicMergePatch;
  if (type == "application/json-patch+json") return BodyType::kJsonPatch;
  if (type == "application/apply-patch+yaml") return BodyType::kApplyPatch;
  return BodyType::kOther;
}

}  // namespace sasim::api
