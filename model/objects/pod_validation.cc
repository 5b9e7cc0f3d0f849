// Pod validation (ValidatePod, ValidatePodUpdate), for the fields the
// simulation models plus the few unmodelled ones that commonly matter
// (restartPolicy, nodeSelector, activeDeadlineSeconds, tolerations on update).
// Probes, ports, resources, security contexts and the like are not checked.
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "model/objects/constants.h"
#include "model/objects/field_errors.h"
#include "model/objects/validation.h"

namespace sasim::model {
namespace {

using nlohmann::json;
using Errors = std::vector<FieldError>;

// The volume sources in the order upstream's validateVolumeSource tests them:
// the first one found is the volume's, any later one is an error.
constexpr std::string_view kVolumeSourceOrder[] = {
    "hostPath",      "emptyDir",          "gitRepo",   "gcePersistentDisk", "awsElasticBlockStore", "secret",
    "nfs",           "iscsi",             "glusterfs", "flexVolume",        "persistentVolumeClaim", "rbd",
    "cinder",        "cephfs",            "flocker",   "downwardAPI",       "fc",                   "azureFile",
    "vsphereVolume", "quobyte",           "azureDisk", "photonPersistentDisk", "portworxVolume",    "projected",
    "scaleIO",       "configMap",         "storageos", "csi",               "ephemeral",            "image"};

const json* extra_field(const ExtraFields& extra, const char* key) {
  if (!extra) return nullptr;
  auto it = extra->find(key);
  return it == extra->end() || it->is_null() ? nullptr : &*it;
}

std::vector<std::string_view> volume_sources(const Volume& volume) {
  std::vector<std::string_view> found;
  for (std::string_view source : kVolumeSourceOrder) {
    const bool present = source == "secret" ? volume.secret.has_value()
                                            : extra_field(volume.other_source, std::string(source).c_str()) != nullptr;
    if (present) found.push_back(source);
  }
  return found;
}

void validate_secret_volume(const SecretVolumeSource& secret, const std::string& path, Errors& errs) {
  if (secret.secret_name.empty()) errs.push_back(field::required(field::child(path, "secretName")));
  if (secret.default_mode && (*secret.default_mode > 0777 || *secret.default_mode < 0)) {
    errs.push_back(field::invalid_number(field::child(path, "defaultMode"), *secret.default_mode,
                                         "must be a number between 0 and 0777 (octal), both inclusive"));
  }
}

// ValidateVolumes: returns the names of the volumes that passed, which is
// what volume mounts are checked against.
std::set<std::string> validate_volumes(const std::vector<Volume>& volumes, const std::string& path, Errors& errs) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    const Volume& volume = volumes[i];
    const std::string at = field::index(path, i);
    Errors el;
    const std::vector<std::string_view> sources = volume_sources(volume);
    if (sources.empty()) el.push_back(field::required(at, "must specify a volume type"));
    for (std::size_t s = 1; s < sources.size(); ++s) {
      el.push_back(field::forbidden(field::child(at, sources[s]), "may not specify more than 1 volume type"));
    }
    if (!sources.empty() && sources[0] == "secret") validate_secret_volume(*volume.secret, field::child(at, "secret"), el);
    const std::string name_path = field::child(at, "name");
    if (volume.name.empty()) {
      el.push_back(field::required(name_path));
    } else {
      for (const std::string& msg : is_dns1123_label(volume.name)) el.push_back(field::invalid(name_path, volume.name, msg));
    }
    if (names.contains(volume.name)) el.push_back(field::duplicate(name_path, volume.name));
    if (el.empty()) names.insert(volume.name);
    field::append(errs, std::move(el));
  }
  return names;
}

void validate_secret_key_selector(const SecretKeySelector& selector, const std::string& path, Errors& errs) {
  for (const std::string& msg : name_is_dns_subdomain(selector.name, false)) {
    errs.push_back(field::invalid(field::child(path, "name"), selector.name, msg));
  }
  if (selector.key.empty()) {
    errs.push_back(field::required(field::child(path, "key")));
  } else {
    for (const std::string& msg : is_config_map_key(selector.key)) {
      errs.push_back(field::invalid(field::child(path, "key"), selector.key, msg));
    }
  }
}

void validate_env(const std::vector<EnvVar>& env, const std::string& path, Errors& errs) {
  for (std::size_t i = 0; i < env.size(); ++i) {
    const EnvVar& ev = env[i];
    const std::string at = field::index(path, i);
    if (ev.name.empty()) {
      errs.push_back(field::required(field::child(at, "name")));
    } else {
      for (const std::string& msg : is_env_var_name(ev.name)) errs.push_back(field::invalid(field::child(at, "name"), ev.name, msg));
    }
    const std::string from = field::child(at, "valueFrom");
    std::size_t sources = ev.value_from_extra ? ev.value_from_extra->size() : 0;
    if (ev.secret_key_ref) {
      ++sources;
      validate_secret_key_selector(*ev.secret_key_ref, field::child(from, "secretKeyRef"), errs);
    }
    if (sources == 0) continue;  // no valueFrom at all
    if (ev.value && !ev.value->empty()) {
      errs.push_back(field::invalid(from, "", "may not be specified when `value` is not empty"));
    } else if (sources > 1) {
      errs.push_back(field::invalid(from, "", "may not have more than one field specified at a time"));
    }
  }
}

void validate_env_from(const std::vector<EnvFromSource>& env_from, const std::string& path, Errors& errs) {
  for (std::size_t i = 0; i < env_from.size(); ++i) {
    const EnvFromSource& ev = env_from[i];
    const std::string at = field::index(path, i);
    if (!ev.prefix.empty()) {
      for (const std::string& msg : is_env_var_name(ev.prefix)) {
        errs.push_back(field::invalid(field::child(at, "prefix"), ev.prefix, msg));
      }
    }
    std::size_t sources = extra_field(ev.extra, "configMapRef") != nullptr ? 1 : 0;
    if (ev.secret_ref) {
      ++sources;
      const std::string name_path = field::child(field::child(at, "secretRef"), "name");
      if (ev.secret_ref->empty()) {
        errs.push_back(field::required(name_path));
      } else {
        // Upstream checks this name as a prefix (ValidateSecretName(name, true)).
        for (const std::string& msg : name_is_dns_subdomain(*ev.secret_ref, true)) {
          errs.push_back(field::invalid(name_path, *ev.secret_ref, msg));
        }
      }
    }
    if (sources == 0) {
      errs.push_back(field::invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
    } else if (sources > 1) {
      errs.push_back(field::forbidden(path, "may not have more than one field specified at a time"));
    }
  }
}

void validate_volume_mounts(const std::vector<VolumeMount>& mounts, const std::set<std::string>& volumes,
                            const std::string& path, Errors& errs) {
  std::set<std::string> mount_points;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const VolumeMount& mount = mounts[i];
    const std::string at = field::index(path, i);
    if (mount.name.empty()) errs.push_back(field::required(field::child(at, "name")));
    if (!volumes.contains(mount.name)) errs.push_back(field::not_found(field::child(at, "name"), mount.name));
    if (mount.mount_path.empty()) errs.push_back(field::required(field::child(at, "mountPath")));
    if (mount_points.contains(mount.mount_path)) {
      errs.push_back(field::invalid(field::child(at, "mountPath"), mount.mount_path, "must be unique"));
    }
    mount_points.insert(mount.mount_path);
  }
}

// validateContainers: at least one, names DNS labels and unique, image set,
// env, envFrom and mounts checked against the volumes that passed.
void validate_containers(const std::vector<Container>& containers, const std::set<std::string>& volumes,
                         const std::string& path, Errors& errs) {
  if (containers.empty()) {
    errs.push_back(field::required(path));
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const Container& c = containers[i];
    const std::string at = field::index(path, i);
    const std::string name_path = field::child(at, "name");
    if (c.name.empty()) {
      errs.push_back(field::required(name_path));
    } else {
      for (const std::string& msg : is_dns1123_label(c.name)) errs.push_back(field::invalid(name_path, c.name, msg));
    }
    if (names.contains(c.name)) {
      errs.push_back(field::duplicate(name_path, c.name));
    } else {
      names.insert(c.name);
    }
    if (c.image.empty()) errs.push_back(field::required(field::child(at, "image")));
    validate_env(c.env, field::child(at, "env"), errs);
    validate_env_from(c.env_from, field::child(at, "envFrom"), errs);
    validate_volume_mounts(c.volume_mounts, volumes, field::child(at, "volumeMounts"), errs);
  }
}

void validate_init_containers(const PodSpec& spec, const std::set<std::string>& volumes, const std::string& path,
                              Errors& errs) {
  if (!spec.init_containers.empty()) validate_containers(spec.init_containers, volumes, path, errs);
  std::set<std::string> names;
  for (const Container& c : spec.containers) names.insert(c.name);
  for (std::size_t i = 0; i < spec.init_containers.size(); ++i) {
    const Container& c = spec.init_containers[i];
    if (names.contains(c.name)) errs.push_back(field::duplicate(field::child(field::index(path, i), "name"), c.name));
    if (!c.name.empty()) names.insert(c.name);
  }
}

// Each ephemeral container is checked as a one-element container list, so
// upstream's paths carry a second index: spec.ephemeralContainers[0][0].name.
void validate_ephemeral_containers(const PodSpec& spec, const std::set<std::string>& volumes, const std::string& path,
                                   Errors& errs) {
  std::set<std::string> names;
  for (const Container& c : spec.containers) names.insert(c.name);
  for (const Container& c : spec.init_containers) names.insert(c.name);
  for (std::size_t i = 0; i < spec.ephemeral_containers.size(); ++i) {
    const Container& c = spec.ephemeral_containers[i];
    const std::string at = field::index(path, i);
    if (const json* target = extra_field(c.extra, "targetContainerName"); target != nullptr && target->is_string()) {
      if (!names.contains(target->get<std::string>())) {
        errs.push_back(field::not_found(field::child(at, "targetContainerName"), target->get<std::string>()));
      }
    }
    if (c.name.empty()) {
      errs.push_back(field::invalid(at, "", "ephemeralContainer requires a name"));
      continue;
    }
    validate_containers({c}, volumes, at, errs);
    if (names.contains(c.name)) {
      errs.push_back(field::duplicate(field::child(at, "name"), c.name));
    } else {
      names.insert(c.name);
    }
  }
}

void validate_spec_extras(const PodSpec& spec, Errors& errs) {
  if (const json* policy = extra_field(spec.extra, "restartPolicy"); policy != nullptr && policy->is_string()) {
    const std::string value = policy->get<std::string>();
    if (value.empty()) {
      errs.push_back(field::required("spec.restartPolicy"));
    } else if (value != "Always" && value != "OnFailure" && value != "Never") {
      errs.push_back(field::not_supported("spec.restartPolicy", value, {"Always", "OnFailure", "Never"}));
    }
  }
  if (const json* selector = extra_field(spec.extra, "nodeSelector"); selector != nullptr && selector->is_object()) {
    for (const auto& [k, v] : selector->items()) {
      for (const std::string& msg : is_qualified_name(k)) errs.push_back(field::invalid("spec.nodeSelector", k, msg));
      const std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      for (const std::string& msg : is_valid_label_value(value)) {
        errs.push_back(field::invalid("spec.nodeSelector", value, msg));
      }
    }
  }
}

void validate_active_deadline(const PodSpec& spec, Errors& errs) {
  const json* deadline = extra_field(spec.extra, "activeDeadlineSeconds");
  if (deadline == nullptr || !deadline->is_number_integer()) return;
  const auto value = deadline->get<std::int64_t>();
  if (value < 1 || value > kMaxInt32) {
    errs.push_back(field::invalid_number("spec.activeDeadlineSeconds", value,
                                         fmt::format("must be between 1 and {}, inclusive", kMaxInt32)));
  }
}

void validate_pod_spec(const PodSpec& spec, Errors& errs) {
  const std::set<std::string> volumes = validate_volumes(spec.volumes, "spec.volumes", errs);
  validate_containers(spec.containers, volumes, "spec.containers", errs);
  validate_init_containers(spec, volumes, "spec.initContainers", errs);
  validate_ephemeral_containers(spec, volumes, "spec.ephemeralContainers", errs);
  validate_spec_extras(spec, errs);
  if (!spec.service_account_name.empty()) {
    for (const std::string& msg : name_is_dns_subdomain(spec.service_account_name, false)) {
      errs.push_back(field::invalid("spec.serviceAccountName", spec.service_account_name, msg));
    }
  }
  if (!spec.node_name.empty()) {
    for (const std::string& msg : name_is_dns_subdomain(spec.node_name, false)) {
      errs.push_back(field::invalid("spec.nodeName", spec.node_name, msg));
    }
  }
  validate_active_deadline(spec, errs);
}

// A projected serviceAccountToken needs an account to bind the token to.
void validate_projected_tokens(const PodSpec& spec, Errors& errs) {
  if (!spec.service_account_name.empty()) return;
  for (std::size_t v = 0; v < spec.volumes.size(); ++v) {
    const json* projected = extra_field(spec.volumes[v].other_source, "projected");
    if (projected == nullptr || !projected->is_object()) continue;
    const json sources = projected->value("sources", json::array());
    if (!sources.is_array()) continue;
    for (std::size_t s = 0; s < sources.size(); ++s) {
      if (sources[s].is_object() && sources[s].contains("serviceAccountToken")) {
        errs.push_back(field::forbidden(
            fmt::format("spec.volumes[{}].projected.sources[{}].serviceAccountToken", v, s),
            "must not be specified when serviceAccountName is not set"));
      }
    }
  }
}

void validate_image_whitespace(const std::vector<Container>& containers, const std::string& path, Errors& errs) {
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const std::string& image = containers[i].image;
    const bool padded = !image.empty() && (image.front() == ' ' || image.back() == ' ' || image.front() == '\t' ||
                                           image.back() == '\t' || image.front() == '\n' || image.back() == '\n');
    if (padded) {
      errs.push_back(field::invalid(field::child(field::index(path, i), "image"), image,
                                    "must not have leading or trailing whitespace"));
    }
  }
}

void validate_mirror_annotation(const Pod& pod, Errors& errs) {
  const std::string* mirror = pod.metadata.annotation(std::string(kMirrorPodAnnotation));
  if (mirror != nullptr && pod.spec.node_name.empty()) {
    errs.push_back(field::invalid(field::key("metadata.annotations", kMirrorPodAnnotation), *mirror,
                                  "must set spec.nodeName if mirror pod annotation is set"));
  }
}

}  // namespace

std::vector<FieldError> validate_pod(const Pod& pod) {
  Errors errs = validate_object_meta(pod.metadata, true, name_is_dns_subdomain);
  validate_mirror_annotation(pod, errs);
  validate_pod_spec(pod.spec, errs);
  validate_projected_tokens(pod.spec, errs);
  validate_image_whitespace(pod.spec.containers, "spec.containers", errs);
  validate_image_whitespace(pod.spec.init_containers, "spec.initContainers", errs);
  return errs;
}

}  // namespace sasim::model
