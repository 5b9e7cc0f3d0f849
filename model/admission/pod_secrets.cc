#include "model/admission/pod_secrets.h"

#include <nlohmann/json.hpp>

namespace sasim::model::admission {

namespace {

using nlohmann::json;

// A present, non-null field; unmodelled sources arrive as parsed JSON, so
// anything may be missing or malformed.
const json* field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string name_in(const json& reference, const char* key) {
  const json* name = field(reference, key);
  return name != nullptr && name->is_string() ? name->get<std::string>() : std::string();
}

void add_container_secrets(const std::vector<Container>& containers, std::vector<std::string>& out) {
  for (const Container& container : containers) {
    for (const EnvFromSource& env_from : container.env_from) {
      if (env_from.secret_ref) out.push_back(*env_from.secret_ref);
    }
    for (const EnvVar& env : container.env) {
      if (env.secret_key_ref) out.push_back(env.secret_key_ref->name);
    }
  }
}

// The JSON key of each volume kind whose Secret reference is an object with
// a `name` (LocalObjectReference or SecretReference).
constexpr std::pair<const char*, const char*> kSecretRefFields[] = {
    {"cephfs", "secretRef"},  {"cinder", "secretRef"}, {"flexVolume", "secretRef"}, {"rbd", "secretRef"},
    {"scaleIO", "secretRef"}, {"iscsi", "secretRef"},  {"storageos", "secretRef"},  {"csi", "nodePublishSecretRef"},
};

void add_unmodelled_source_secrets(const json& source, std::vector<std::string>& out) {
  if (const json* azure = field(source, "azureFile")) {
    // Upstream skips an empty secretName here, unlike every other kind.
    std::string name = name_in(*azure, "secretName");
    if (!name.empty()) out.push_back(std::move(name));
    return;
  }
  if (const json* projected = field(source, "projected")) {
    const json* sources = field(*projected, "sources");
    if (sources == nullptr || !sources->is_array()) return;
    for (const json& projection : *sources) {
      if (const json* secret = field(projection, "secret")) out.push_back(name_in(*secret, "name"));
    }
    return;
  }
  for (const auto& [kind, ref_key] : kSecretRefFields) {
    if (const json* volume = field(source, kind)) {
      if (const json* ref = field(*volume, ref_key)) out.push_back(name_in(*ref, "name"));
      return;
    }
  }
}

}  // namespace

std::vector<std::string> pod_secret_names(const Pod& pod) {
  std::vector<std::string> out(pod.spec.image_pull_secrets.begin(), pod.spec.image_pull_secrets.end());
  add_container_secrets(pod.spec.init_containers, out);
  add_container_secrets(pod.spec.containers, out);
  add_container_secrets(pod.spec.ephemeral_containers, out);
  for (const Volume& volume : pod.spec.volumes) {
    if (volume.secret) {
      out.push_back(volume.secret->secret_name);
    } else if (volume.other_source) {
      add_unmodelled_source_secrets(*volume.other_source, out);
    }
  }
  return out;
}

bool has_service_account_token_projection(const Pod& pod) {
  for (const Volume& volume : pod.spec.volumes) {
    if (!volume.other_source) continue;
    const json* projected = field(*volume.other_source, "projected");
    const json* sources = projected ? field(*projected, "sources") : nullptr;
    if (sources == nullptr || !sources->is_array()) continue;
    for (const json& projection : *sources) {
      if (field(projection, "serviceAccountToken") != nullptr) return true;
    }
  }
  return false;
}

}  // namespace sasim::model::admission
