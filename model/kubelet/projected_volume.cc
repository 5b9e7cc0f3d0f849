#include "model/kubelet/projected_volume.h"

#include <nlohmann/json.hpp>

namespace sasim::model::kubelet {
namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<KeyToPath> items_of(const json& object) {
  std::vector<KeyToPath> items;
  auto it = object.find("items");
  if (it == object.end() || !it->is_array()) return items;
  for (const json& item : *it) {
    if (item.is_object()) items.push_back({string_at(item, "key"), string_at(item, "path")});
  }
  return items;
}

bool optional_of(const json& object) {
  auto it = object.find("optional");
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// Downward API fields the simulation knows; others resolve to "".
std::string field_value(const Pod& pod, const std::string& field_path) {
  if (field_path == "metadata.namespace") return pod.metadata.namespace_;
  if (field_path == "metadata.name") return pod.metadata.name;
  if (field_path == "metadata.uid") return pod.metadata.uid;
  if (field_path == "spec.serviceAccountName") return pod.spec.service_account_name;
  if (field_path == "spec.nodeName") return pod.spec.node_name;
  return {};
}

// The keys of an object projected into the volume: the listed items, or every key.
void project(const std::map<std::string, DataValue>& data, const std::vector<KeyToPath>& items, const char* missing_key,
             Payload& payload, std::vector<std::string>& errors) {
  if (items.empty()) {
    for (const auto& [key, value] : data) payload[key] = value;
    return;
  }
  for (const KeyToPath& item : items) {
    auto it = data.find(item.key);
    if (it == data.end()) {
      errors.push_back(std::string(missing_key) + item.key);
      continue;
    }
    payload[item.path] = it->second;
  }
}

}  // namespace

std::optional<ProjectedVolume> projected_volume_of(const Volume& volume) {
  if (!volume.other_source || !volume.other_source->is_object()) return std::nullopt;
  auto p = volume.other_source->find("projected");
  if (p == volume.other_source->end() || !p->is_object()) return std::nullopt;
  ProjectedVolume out;
  out.name = volume.name;
  if (auto mode = p->find("defaultMode"); mode != p->end() && mode->is_number_integer()) out.default_mode = mode->get<int>();
  auto sources = p->find("sources");
  if (sources == p->end() || !sources->is_array()) return out;
  for (const json& entry : *sources) {
    ProjectedSource source;
    if (!entry.is_object()) {
      out.sources.push_back(source);
      continue;
    }
    if (auto t = entry.find("serviceAccountToken"); t != entry.end() && t->is_object()) {
      source.type = ProjectedSource::Type::kServiceAccountToken;
      source.audience = string_at(*t, "audience");
      source.path = string_at(*t, "path");
      if (auto e = t->find("expirationSeconds"); e != t->end() && e->is_number_integer()) {
        source.expiration_seconds = e->get<std::int64_t>();
      }
    } else if (auto c = entry.find("configMap"); c != entry.end() && c->is_object()) {
      source.type = ProjectedSource::Type::kConfigMap;
      source.name = string_at(*c, "name");
      source.items = items_of(*c);
      source.optional = optional_of(*c);
    } else if (auto s = entry.find("secret"); s != entry.end() && s->is_object()) {
      source.type = ProjectedSource::Type::kSecret;
      source.name = string_at(*s, "name");
      source.items = items_of(*s);
      source.optional = optional_of(*s);
    } else if (auto d = entry.find("downwardAPI"); d != entry.end() && d->is_object()) {
      source.type = ProjectedSource::Type::kDownwardApi;
      if (auto items = d->find("items"); items != d->end() && items->is_array()) {
        for (const json& item : *items) {
          if (!item.is_object()) continue;
          auto ref = item.find("fieldRef");
          std::string field = ref != item.end() && ref->is_object() ? string_at(*ref, "fieldPath") : std::string();
          source.fields.push_back({std::move(field), string_at(item, "path")});
        }
      }
    }
    out.sources.push_back(std::move(source));
  }
  return out;
}

TokenRequest kubelet_token_request(const ProjectedSource& source, const Pod& pod) {
  TokenRequest request;
  if (!source.audience.empty()) request.audiences = {source.audience};
  request.expiration_seconds = source.expiration_seconds;
  request.bound_object_ref =
      BoundObjectReference{.kind = "Pod", .api_version = "v1", .name = pod.metadata.name, .uid = pod.metadata.uid};
  return request;
}

ProjectedPayload collect_projected_payload(const ProjectedVolume& volume, const Pod& pod, const ProjectedInputs& inputs) {
  ProjectedPayload out;
  if (!volume.default_mode) {
    out.error = "no defaultMode used, not even the default value for it";
    return out;
  }
  Payload payload;
  std::vector<std::string> errors;
  std::size_t token_index = 0;
  for (const ProjectedSource& source : volume.sources) {
    switch (source.type) {
      case ProjectedSource::Type::kServiceAccountToken: {
        if (token_index >= inputs.tokens.size()) {
          errors.push_back("no token for source " + source.path);
          break;
        }
        const auto& [token, error] = inputs.tokens[token_index++];
        if (!token) {
          errors.push_back(error);
          break;
        }
        payload[source.path] = *token;
        break;
      }
      case ProjectedSource::Type::kConfigMap:
      case ProjectedSource::Type::kSecret: {
        const bool is_config_map = source.type == ProjectedSource::Type::kConfigMap;
        const SourceObject found = is_config_map ? inputs.config_map(source.name) : inputs.secret(source.name);
        if (!found.data) {
          if (found.not_found && source.optional) break;
          errors.push_back(found.error);
          break;
        }
        project(*found.data, source.items,
                is_config_map ? "configmap references non-existent config key: "
                              : "secret references non-existent secret key: ",
                payload, errors);
        break;
      }
      case ProjectedSource::Type::kDownwardApi:
        for (const KeyToPath& field : source.fields) payload[field.path] = DataValue(field_value(pod, field.key));
        break;
      case ProjectedSource::Type::kOther:
        break;
    }
  }
  if (errors.empty()) {
    out.payload = std::move(payload);
  } else if (errors.size() == 1) {
    out.error = errors.front();
  } else {
    out.error = "[";
    for (std::size_t i = 0; i < errors.size(); ++i) out.error += (i ? ", " : "") + errors[i];
    out.error += "]";
  }
  return out;
}

}  // namespace sasim::model::kubelet
