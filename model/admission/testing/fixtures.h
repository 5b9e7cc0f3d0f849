// Builders for the objects of upstream's admission tests, and one-line
// descriptions of what admission changes, so that a failed comparison
// prints both sides readably.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/admission/attributes.h"
#include "model/admission/config.h"
#include "model/objects/constants.h"
#include "model/objects/pod.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"

namespace sasim::model::admission::testing {

inline constexpr const char* kNs = "myns";

inline ServiceAccount make_sa(std::string name, std::string uid = "", std::vector<std::string> secrets = {}) {
  ServiceAccount sa;
  sa.metadata.namespace_ = kNs;
  sa.metadata.name = std::move(name);
  sa.metadata.uid = std::move(uid);
  for (std::string& secret : secrets) sa.secrets.push_back(ObjectReference{std::move(secret), "", "", "", "", "", ""});
  return sa;
}

// upstream's newSecret: the name and uid annotations, of any type.
inline Secret make_secret(std::string_view type, std::string name, std::string sa_name, std::string sa_uid) {
  Secret secret;
  secret.metadata.namespace_ = kNs;
  secret.metadata.name = std::move(name);
  secret.metadata.annotations[std::string(kServiceAccountNameKey)] = std::move(sa_name);
  secret.metadata.annotations[std::string(kServiceAccountUidKey)] = std::move(sa_uid);
  secret.type = std::string(type);
  return secret;
}

inline Secret make_token(std::string name, std::string sa_name, std::string sa_uid) {
  Secret secret = make_secret(kSecretTypeServiceAccountToken, std::move(name), std::move(sa_name), std::move(sa_uid));
  secret.data[std::string(kServiceAccountTokenKey)] = "token-data";
  return secret;
}

inline Container make_container(std::string name = "") {
  Container container;
  container.name = std::move(name);
  return container;
}

inline EnvVar secret_env(std::string name, std::string secret) {
  EnvVar env;
  env.name = std::move(name);
  env.secret_key_ref = SecretKeySelector{std::move(secret), "key", std::nullopt};
  return env;
}

inline EnvFromSource secret_env_from(std::string secret) {
  EnvFromSource env_from;
  env_from.secret_ref = std::move(secret);
  return env_from;
}

inline Volume secret_volume(std::string name, std::string secret) {
  Volume volume;
  volume.name = std::move(name);
  volume.secret.emplace();
  volume.secret->secret_name = std::move(secret);
  return volume;
}

// A volume of a kind the model keeps as JSON: `{"projected": {...}}`.
inline Volume json_volume(std::string name, const char* source) {
  Volume volume;
  volume.name = std::move(name);
  volume.other_source = std::make_shared<const nlohmann::json>(nlohmann::json::parse(source));
  return volume;
}

inline VolumeMount make_mount(std::string name, std::string path, bool read_only) {
  VolumeMount mount;
  mount.name = std::move(name);
  mount.mount_path = std::move(path);
  mount.read_only = read_only;
  return mount;
}

inline VolumeMount token_mount(std::string name) {
  return make_mount(std::move(name), std::string(kDefaultApiTokenMountPath), true);
}

inline Pod pod_with(int init_containers, int containers) {
  Pod pod;
  for (int i = 0; i < init_containers; ++i) pod.spec.init_containers.push_back(make_container());
  for (int i = 0; i < containers; ++i) pod.spec.containers.push_back(make_container());
  return pod;
}

inline Pod mirror_pod() {
  Pod pod;
  pod.metadata.annotations[std::string(kMirrorPodAnnotation)] = "true";
  return pod;
}

inline Attributes create_attributes(std::string subresource = "") {
  Attributes attributes;
  attributes.operation = Operation::kCreate;
  attributes.resource = "pods";
  attributes.subresource = std::move(subresource);
  attributes.namespace_ = kNs;
  attributes.name = "myname";
  return attributes;
}

inline Config gate(bool bound_token_volume) {
  Config config;
  config.bound_service_account_token_volume = bound_token_volume;
  return config;
}

// Later releases' semantics, for the ADMT-new cases.
inline Config with_fixes(Config config) {
  config.ephemeral_containers_fix = true;
  config.env_from_fix = true;
  return config;
}

// upstream's testBoundServiceAccountTokenVolumePhases.
struct Phase {
  const char* name;
  bool bound_token_volume;
};
inline constexpr Phase kPhases[] = {{"BoundServiceAccountTokenVolume disabled", false},
                                    {"BoundServiceAccountTokenVolume enabled", true}};

inline std::string describe(const VolumeMount& mount) {
  return mount.name + "@" + mount.mount_path + (mount.read_only ? " ro" : " rw");
}

inline std::string describe(const Volume& volume) {
  std::string out = volume.name;
  if (volume.secret) out += " secret:" + volume.secret->secret_name;
  if (volume.other_source) out += " " + volume.other_source->dump();
  return out;
}

inline std::string describe(const std::vector<Container>& containers) {
  std::string out;
  for (const Container& container : containers) {
    out += "[";
    for (const VolumeMount& mount : container.volume_mounts) out += describe(mount) + ";";
    out += "]";
  }
  return out;
}

// Everything admission may change.
inline std::string describe(const Pod& pod) {
  std::string out = "sa=" + pod.spec.service_account_name + " pull=";
  for (const std::string& name : pod.spec.image_pull_secrets) out += name + ";";
  out += " volumes=";
  for (const Volume& volume : pod.spec.volumes) out += describe(volume) + ";";
  out += " init=" + describe(pod.spec.init_containers) + " containers=" + describe(pod.spec.containers) +
         " ephemeral=" + describe(pod.spec.ephemeral_containers);
  return out;
}

}  // namespace sasim::model::admission::testing
