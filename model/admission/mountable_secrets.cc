#include "model/admission/mountable_secrets.h"

#include <fmt/format.h>

#include <set>
#include <string_view>
#include <vector>

#include "model/admission/parse_bool.h"
#include "model/objects/constants.h"

namespace sasim::model::admission {

namespace {

std::set<std::string> mountable_secrets(const ServiceAccount& sa) {
  std::set<std::string> names;
  for (const ObjectReference& ref : sa.secrets) names.insert(ref.name);
  return names;
}

// `label` is how upstream names the container kind: "init container", ...
std::optional<std::string> check_containers(std::string_view label, const std::vector<Container>& containers,
                                            const std::set<std::string>& allowed, const ServiceAccount& sa,
                                            const Config& config) {
  for (const Container& container : containers) {
    for (const EnvVar& env : container.env) {
      if (env.secret_key_ref && allowed.count(env.secret_key_ref->name) == 0) {
        return fmt::format(
            "{} {} with envVar {} referencing secret.secretName=\"{}\" is not allowed because service account {} "
            "does not reference that secret",
            label, container.name, env.name, env.secret_key_ref->name, sa.metadata.name);
      }
    }
    if (!config.env_from_fix) continue;
    for (const EnvFromSource& env_from : container.env_from) {
      if (env_from.secret_ref && allowed.count(*env_from.secret_ref) == 0) {
        return fmt::format(
            "{} {} with envFrom referencing secret.secretName=\"{}\" is not allowed because service account {} "
            "does not reference that secret",
            label, container.name, *env_from.secret_ref, sa.metadata.name);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool enforce_mountable_secrets(const ServiceAccount& sa, const Config& config) {
  if (config.limit_secret_references) return true;
  const std::string* value = sa.metadata.annotation(std::string(kEnforceMountableSecretsAnnotation));
  return value != nullptr && parse_go_bool(*value).value_or(false);
}

std::optional<std::string> limit_secret_references(const ServiceAccount& sa, const Pod& pod, const Config& config) {
  const std::set<std::string> allowed = mountable_secrets(sa);
  for (const Volume& volume : pod.spec.volumes) {
    if (volume.secret && allowed.count(volume.secret->secret_name) == 0) {
      return fmt::format(
          "volume with secret.secretName=\"{}\" is not allowed because service account {} does not reference that "
          "secret",
          volume.secret->secret_name, sa.metadata.name);
    }
  }
  if (auto violation = check_containers("init container", pod.spec.init_containers, allowed, sa, config)) {
    return violation;
  }
  if (auto violation = check_containers("container", pod.spec.containers, allowed, sa, config)) return violation;

  const std::set<std::string> pull_secrets(sa.image_pull_secrets.begin(), sa.image_pull_secrets.end());
  for (std::size_t i = 0; i < pod.spec.image_pull_secrets.size(); ++i) {
    const std::string& name = pod.spec.image_pull_secrets[i];
    if (pull_secrets.count(name) == 0) {
      return fmt::format(
          "imagePullSecrets[{}].name=\"{}\" is not allowed because service account {} does not reference that "
          "imagePullSecret",
          i, name, sa.metadata.name);
    }
  }
  return std::nullopt;
}

std::optional<std::string> limit_ephemeral_container_secret_references(const ServiceAccount& sa, const Pod& pod,
                                                                       const Config& config) {
  return check_containers("ephemeral container", pod.spec.ephemeral_containers, mountable_secrets(sa), sa, config);
}

}  // namespace sasim::model::admission
