#include "model/admission/token_volume.h"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"

namespace sasim::model::admission {

namespace {

using nlohmann::json;

json projected_volume_source(const Config& config) {
  json token = json::object();
  token["path"] = "token";
  token["expirationSeconds"] = config.bound_token_expiration_seconds;

  json ca_item = json::object();
  ca_item["key"] = std::string(kServiceAccountRootCaKey);
  ca_item["path"] = std::string(kServiceAccountRootCaKey);
  json config_map = json::object();
  config_map["name"] = std::string(kRootCaConfigMapName);
  config_map["items"] = json::array({ca_item});

  json field_ref = json::object();
  field_ref["apiVersion"] = "v1";
  field_ref["fieldPath"] = "metadata.namespace";
  json namespace_item = json::object();
  namespace_item["path"] = std::string(kServiceAccountNamespaceKey);
  namespace_item["fieldRef"] = field_ref;
  json downward_api = json::object();
  downward_api["items"] = json::array({namespace_item});

  json sources = json::array();
  sources.push_back(json::object({{"serviceAccountToken", token}}));
  sources.push_back(json::object({{"configMap", config_map}}));
  sources.push_back(json::object({{"downwardAPI", downward_api}}));

  json projected = json::object();
  if (config.bound_token_default_mode) projected["defaultMode"] = *config.bound_token_default_mode;
  projected["sources"] = std::move(sources);
  return json::object({{"projected", std::move(projected)}});
}

bool mounts_token_path(const Container& container) {
  for (const VolumeMount& mount : container.volume_mounts) {
    if (mount.mount_path == kDefaultApiTokenMountPath) return true;
  }
  return false;
}

// Returns whether any container was given the mount.
bool add_token_mounts(std::vector<Container>& containers, const std::string& volume_name) {
  bool added = false;
  for (Container& container : containers) {
    if (mounts_token_path(container)) continue;
    VolumeMount mount;
    mount.name = volume_name;
    mount.mount_path = std::string(kDefaultApiTokenMountPath);
    mount.read_only = true;
    container.volume_mounts.push_back(std::move(mount));
    added = true;
  }
  return added;
}

bool is_existing_token_volume(const Volume& volume, const std::string& token_secret, const Config& config) {
  if (config.bound_service_account_token_volume) return volume.name.rfind(kTokenVolumePrefix, 0) == 0;
  return volume.secret && volume.secret->secret_name == token_secret;
}

// The gate-off volume name: the Secret's, with the dots a volume name may
// not contain made dashes, made unique with a random suffix on a clash.
std::string secret_volume_name(const std::string& token_secret, const std::set<std::string>& taken, Env& env) {
  std::string name = token_secret;
  for (char& c : name) {
    if (c == '.') c = '-';
  }
  if (taken.count(name) != 0) name = env.generate_name(name + "-");
  return name;
}

}  // namespace

std::vector<const Secret*> get_service_account_tokens(const ServiceAccount& sa,
                                                      const std::vector<const Secret*>& secrets) {
  std::vector<const Secret*> tokens;
  for (const Secret* secret : secrets) {
    if (secret != nullptr && is_service_account_token(*secret, sa)) tokens.push_back(secret);
  }
  return tokens;
}

std::string referenced_service_account_token(const ServiceAccount& sa, const std::vector<const Secret*>& secrets) {
  std::set<std::string> token_names;
  for (const Secret* token : get_service_account_tokens(sa, secrets)) token_names.insert(token->metadata.name);
  for (const ObjectReference& ref : sa.secrets) {
    if (token_names.count(ref.name) != 0) return ref.name;
  }
  return "";
}

ApiStatus missing_api_token_status(std::string_view sa_name) {
  ApiStatus status = status_server_timeout("serviceaccounts", "create pod", 1);
  // Upstream formats the name with %q; account names are DNS subdomains, so
  // Go's quoting is plain double quotes here.
  status.message = fmt::format(
      "No API token found for service account \"{}\", retry after the token is automatically created and added to "
      "the service account",
      sa_name);
  return status;
}

Volume token_secret_volume(std::string name, std::string secret_name) {
  Volume volume;
  volume.name = std::move(name);
  volume.secret.emplace();
  volume.secret->secret_name = std::move(secret_name);
  return volume;
}

Volume bound_token_volume(std::string name, const Config& config) {
  Volume volume;
  volume.name = std::move(name);
  volume.other_source = std::make_shared<const json>(projected_volume_source(config));
  return volume;
}

std::optional<ApiStatus> mount_service_account_token(const ServiceAccount& sa, Pod& pod, Env& env,
                                                     const Config& given) {
  Config broken_config;
  if (given.broken.secret_volume_mount) {
    broken_config = given;
    broken_config.bound_service_account_token_volume = false;
  }
  const Config& config = given.broken.secret_volume_mount ? broken_config : given;
  std::string token_secret;
  if (!config.bound_service_account_token_volume) {
    // Upstream does not list Secrets for an account that references none.
    if (!sa.secrets.empty()) {
      token_secret = referenced_service_account_token(sa, env.cached_secrets(sa.metadata.namespace_));
    }
    if (token_secret.empty()) {
      if (config.require_api_token) {
        env.probe(coverage::Probe::kL1NoApiToken);
        return missing_api_token_status(sa.metadata.name);
      }
      return std::nullopt;
    }
  }
  env.probe(config.bound_service_account_token_volume ? coverage::Probe::kL3ProjectedVolume
                                                      : coverage::Probe::kL2TokenSecretMounted);

  std::string volume_name;
  bool has_volume = false;
  std::set<std::string> taken;
  for (const Volume& volume : pod.spec.volumes) {
    taken.insert(volume.name);
    if (is_existing_token_volume(volume, token_secret, config)) {
      env.probe(coverage::Probe::kL4ExistingVolumeKept);
      volume_name = volume.name;
      has_volume = true;
      break;
    }
  }
  if (volume_name.empty()) {
    volume_name = config.bound_service_account_token_volume ? env.generate_name(kTokenVolumePrefix)
                                                            : secret_volume_name(token_secret, taken, env);
  }

  // Both lists are always visited: a container's mount does not depend on
  // whether an init container got one.
  const bool init_mounted = add_token_mounts(pod.spec.init_containers, volume_name);
  const bool mounted = add_token_mounts(pod.spec.containers, volume_name);
  if (init_mounted || mounted) env.probe(coverage::Probe::kR6TokenMounted);
  if (!has_volume && (init_mounted || mounted)) {
    pod.spec.volumes.push_back(config.bound_service_account_token_volume
                                   ? bound_token_volume(volume_name, config)
                                   : token_secret_volume(volume_name, token_secret));
  }
  return std::nullopt;
}

}  // namespace sasim::model::admission
