// Pod decoding. The field lists are core/v1's as of 1.20, plus the fields
// later versions added: a newer manifest is accepted (the 1.20 apiserver
// would drop what it does not know) rather than rejected as a typo.
#include <fmt/format.h>

#include "model/objects/decode_kinds.h"

namespace sasim::model::decode {
namespace {

constexpr std::string_view kPodSpecUnmodelled[] = {
    "restartPolicy",     "activeDeadlineSeconds",
    "dnsPolicy",         "nodeSelector",                  "hostNetwork",
    "hostPID",           "hostIPC",                       "shareProcessNamespace",
    "securityContext",   "hostname",                      "subdomain",
    "affinity",          "schedulerName",                 "tolerations",
    "hostAliases",       "priorityClassName",             "priority",
    "dnsConfig",         "readinessGates",                "runtimeClassName",
    "enableServiceLinks", "preemptionPolicy",             "overhead",
    "topologySpreadConstraints", "setHostnameAsFQDN",     "os",
    "hostUsers",         "schedulingGates",               "resourceClaims",
    "resources"};
constexpr std::string_view kContainerUnmodelled[] = {
    "command",        "args",           "workingDir",     "ports",
    "resources",      "volumeDevices",  "livenessProbe",  "readinessProbe",
    "startupProbe",   "lifecycle",      "terminationMessagePath", "terminationMessagePolicy",
    "imagePullPolicy", "securityContext", "stdin",        "stdinOnce",
    "tty",            "resizePolicy",   "restartPolicy"};
constexpr std::string_view kEphemeralContainerUnmodelled[] = {
    "command",        "args",           "workingDir",     "ports",
    "resources",      "volumeDevices",  "livenessProbe",  "readinessProbe",
    "startupProbe",   "lifecycle",      "terminationMessagePath", "terminationMessagePolicy",
    "imagePullPolicy", "securityContext", "stdin",        "stdinOnce",
    "tty",            "resizePolicy",   "restartPolicy",  "targetContainerName"};
constexpr std::string_view kVolumeMountUnmodelled[] = {"subPath", "mountPropagation", "subPathExpr",
                                                       "recursiveReadOnly"};
// Every VolumeSource but `secret`, which is modelled.
constexpr std::string_view kOtherVolumeSources[] = {
    "hostPath",   "emptyDir",  "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
    "nfs",        "iscsi",     "glusterfs",         "persistentVolumeClaim", "rbd",
    "flexVolume", "cinder",    "cephfs",            "flocker",              "downwardAPI",
    "fc",         "azureFile", "configMap",         "vsphereVolume",        "quobyte",
    "azureDisk",  "photonPersistentDisk", "projected", "portworxVolume",    "scaleIO",
    "storageos",  "csi",       "ephemeral",         "image"};
constexpr std::string_view kSecretVolumeUnmodelled[] = {"items"};
constexpr std::string_view kEnvVarSourceUnmodelled[] = {"fieldRef", "resourceFieldRef", "configMapKeyRef"};
constexpr std::string_view kEnvFromUnmodelled[] = {"configMapRef"};
constexpr std::string_view kSecretEnvUnmodelled[] = {"optional"};

constexpr Shape kPodShape{"Pod", "io.k8s.api.core.v1.Pod", {}};
constexpr Shape kPodSpecShape{"PodSpec", "io.k8s.api.core.v1.PodSpec", kPodSpecUnmodelled};
constexpr Shape kPodStatusShape{"PodStatus", "io.k8s.api.core.v1.PodStatus", {}, true};
constexpr Shape kContainerShape{"Container", "io.k8s.api.core.v1.Container", kContainerUnmodelled};
constexpr Shape kEphemeralContainerShape{"EphemeralContainer", "io.k8s.api.core.v1.EphemeralContainer",
                                         kEphemeralContainerUnmodelled};
constexpr Shape kVolumeMountShape{"VolumeMount", "io.k8s.api.core.v1.VolumeMount", kVolumeMountUnmodelled};
constexpr Shape kVolumeShape{"Volume", "io.k8s.api.core.v1.Volume", kOtherVolumeSources};
constexpr Shape kSecretVolumeShape{"SecretVolumeSource", "io.k8s.api.core.v1.SecretVolumeSource",
                                   kSecretVolumeUnmodelled};
constexpr Shape kEnvVarShape{"EnvVar", "io.k8s.api.core.v1.EnvVar", {}};
constexpr Shape kEnvVarSourceShape{"EnvVarSource", "io.k8s.api.core.v1.EnvVarSource", kEnvVarSourceUnmodelled};
constexpr Shape kSecretKeySelectorShape{"SecretKeySelector", "io.k8s.api.core.v1.SecretKeySelector", {}};
constexpr Shape kEnvFromShape{"EnvFromSource", "io.k8s.api.core.v1.EnvFromSource", kEnvFromUnmodelled};
constexpr Shape kSecretEnvShape{"SecretEnvSource", "io.k8s.api.core.v1.SecretEnvSource", kSecretEnvUnmodelled};

// Decodes each element of a list with `one(element, site)`.
template <class T, class F>
std::vector<T> decode_list(const json& value, const Site& site, std::string_view go_type, F one) {
  std::vector<T> out;
  const auto* items = read_array(value, site, go_type);
  if (items == nullptr) return out;
  for (std::size_t i = 0; i < items->size(); ++i) out.push_back(one((*items)[i], index_site(site, i)));
  return out;
}

SecretKeySelector decode_secret_key_selector(const json& value, const Site& site) {
  SecretKeySelector selector;
  read_struct(value, site, "v1.SecretKeySelector", kSecretKeySelectorShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (key == "name") selector.name = read_string(field, where);
                else if (key == "key") selector.key = read_string(field, where);
                else if (key == "optional") selector.optional = read_optional_bool(field, where);
                else return false;
                return true;
              });
  return selector;
}

EnvVar decode_env_var(const json& value, const Site& site) {
  EnvVar env;
  read_struct(value, site, "v1.EnvVar", kEnvVarShape, [&](const std::string& key, const json& field, const Site& where) {
    if (key == "name") {
      env.name = read_string(field, where);
    } else if (key == "value") {
      // Go cannot tell "" from absent either (omitempty).
      if (std::string text = read_string(field, where); !text.empty()) env.value = std::move(text);
    } else if (key == "valueFrom") {
      env.value_from_extra = read_struct(field, where, "v1.EnvVarSource", kEnvVarSourceShape,
                                         [&](const std::string& k, const json& f, const Site& s) {
                                           if (k != "secretKeyRef") return false;
                                           if (!f.is_null()) env.secret_key_ref = decode_secret_key_selector(f, s);
                                           return true;
                                         });
    } else {
      return false;
    }
    return true;
  });
  return env;
}

EnvFromSource decode_env_from(const json& value, const Site& site) {
  EnvFromSource env_from;
  ExtraFields secret_ref_extra;
  ExtraFields level = read_struct(value, site, "v1.EnvFromSource", kEnvFromShape,
                                  [&](const std::string& key, const json& field, const Site& where) {
                                    if (key == "prefix") {
                                      env_from.prefix = read_string(field, where);
                                    } else if (key == "secretRef") {
                                      if (field.is_null()) return true;
                                      std::string name;
                                      secret_ref_extra = read_struct(
                                          field, where, "v1.SecretEnvSource", kSecretEnvShape,
                                          [&](const std::string& k, const json& f, const Site& s) {
                                            if (k != "name") return false;
                                            name = read_string(f, s);
                                            return true;
                                          });
                                      env_from.secret_ref = std::move(name);
                                    } else {
                                      return false;
                                    }
                                    return true;
                                  });
  // secretRef.optional is kept one level down, under "secretRef", where it
  // appeared; the encoder merges it back.
  json extra = level ? *level : json::object();
  if (secret_ref_extra) extra["secretRef"] = *secret_ref_extra;
  env_from.extra = make_extra(std::move(extra));
  return env_from;
}

VolumeMount decode_volume_mount(const json& value, const Site& site) {
  VolumeMount mount;
  mount.extra = read_struct(value, site, "v1.VolumeMount", kVolumeMountShape,
                            [&](const std::string& key, const json& field, const Site& where) {
                              if (key == "name") mount.name = read_string(field, where);
                              else if (key == "mountPath") mount.mount_path = read_string(field, where);
                              else if (key == "readOnly") mount.read_only = read_optional_bool(field, where).value_or(false);
                              else return false;
                              return true;
                            });
  return mount;
}

Container decode_container(const json& value, const Site& site, std::string_view go_type, const Shape& shape) {
  Container c;
  c.extra = read_struct(value, site, go_type, shape, [&](const std::string& key, const json& field, const Site& where) {
    if (key == "name") {
      c.name = read_string(field, where);
    } else if (key == "image") {
      c.image = read_string(field, where);
    } else if (key == "env") {
      c.env = decode_list<EnvVar>(field, where, "[]v1.EnvVar", decode_env_var);
    } else if (key == "envFrom") {
      c.env_from = decode_list<EnvFromSource>(field, where, "[]v1.EnvFromSource", decode_env_from);
    } else if (key == "volumeMounts") {
      c.volume_mounts = decode_list<VolumeMount>(field, where, "[]v1.VolumeMount", decode_volume_mount);
    } else if (key == "resources") {
      // Go's Container.resources is a struct without omitempty: the API
      // always prints `resources: {}`, and the encoder writes it back, so an
      // empty one is not worth keeping.
      if (!field.is_null() && !field.is_object()) type_error(field, where, "v1.ResourceRequirements");
      return field.is_null() || field.empty() ? true : false;
    } else {
      return false;
    }
    return true;
  });
  return c;
}

SecretVolumeSource decode_secret_volume(const json& value, const Site& site) {
  SecretVolumeSource secret;
  secret.extra = read_struct(value, site, "v1.SecretVolumeSource", kSecretVolumeShape,
                             [&](const std::string& key, const json& field, const Site& where) {
                               if (key == "secretName") {
                                 secret.secret_name = read_string(field, where);
                               } else if (key == "defaultMode") {
                                 if (!field.is_null()) secret.default_mode = static_cast<int>(read_int(field, where, 32));
                               } else if (key == "optional") {
                                 secret.optional = read_optional_bool(field, where);
                               } else {
                                 return false;
                               }
                               return true;
                             });
  return secret;
}

Volume decode_volume(const json& value, const Site& site) {
  Volume volume;
  volume.other_source = read_struct(value, site, "v1.Volume", kVolumeShape,
                                    [&](const std::string& key, const json& field, const Site& where) {
                                      if (key == "name") {
                                        volume.name = read_string(field, where);
                                      } else if (key == "secret") {
                                        if (!field.is_null()) volume.secret = decode_secret_volume(field, where);
                                      } else {
                                        return false;
                                      }
                                      return true;
                                    });
  return volume;
}

PodSpec decode_pod_spec(const json& value, const Site& site) {
  PodSpec spec;
  auto container = [](const json& v, const Site& s) { return decode_container(v, s, "v1.Container", kContainerShape); };
  auto ephemeral = [](const json& v, const Site& s) {
    return decode_container(v, s, "v1.EphemeralContainer", kEphemeralContainerShape);
  };
  spec.extra = read_struct(value, site, "v1.PodSpec", kPodSpecShape,
                           [&](const std::string& key, const json& field, const Site& where) {
                             if (key == "serviceAccountName") {
                               spec.service_account_name = read_string(field, where);
                             } else if (key == "serviceAccount") {
                               spec.service_account = read_string(field, where);
                             } else if (key == "automountServiceAccountToken") {
                               spec.automount_service_account_token = read_optional_bool(field, where);
                             } else if (key == "imagePullSecrets") {
                               spec.image_pull_secrets = decode_local_object_references(field, where);
                             } else if (key == "volumes") {
                               spec.volumes = decode_list<Volume>(field, where, "[]v1.Volume", decode_volume);
                             } else if (key == "initContainers") {
                               spec.init_containers = decode_list<Container>(field, where, "[]v1.Container", container);
                             } else if (key == "containers") {
                               spec.containers = decode_list<Container>(field, where, "[]v1.Container", container);
                             } else if (key == "ephemeralContainers") {
                               spec.ephemeral_containers =
                                   decode_list<Container>(field, where, "[]v1.EphemeralContainer", ephemeral);
                             } else if (key == "nodeName") {
                               spec.node_name = read_string(field, where);
                             } else if (key == "terminationGracePeriodSeconds") {
                               if (!field.is_null()) spec.termination_grace_period_seconds = read_int(field, where, 64);
                             } else {
                               return false;
                             }
                             return true;
                           });
  return spec;
}

PodPhase decode_pod_phase(const std::string& text, const Site& site) {
  if (text.empty() || text == "Pending") return PodPhase::kPending;
  if (text == "Running") return PodPhase::kRunning;
  if (text == "Succeeded") return PodPhase::kSucceeded;
  if (text == "Failed") return PodPhase::kFailed;
  if (text == "Unknown") return PodPhase::kUnknown;
  fail(site.pointer, fmt::format("Unsupported value: \"{}\": supported values: \"Pending\", \"Running\", "
                                 "\"Succeeded\", \"Failed\", \"Unknown\"",
                                 text));
}

PodStatus decode_pod_status(const json& value, const Site& site, const EncodeOptions& options) {
  PodStatus status;
  status.extra = read_struct(value, site, "v1.PodStatus", kPodStatusShape,
                             [&](const std::string& key, const json& field, const Site& where) {
                               if (key == "phase") status.phase = decode_pod_phase(read_string(field, where), where);
                               else if (key == "startTime") status.start_time = read_time(field, where, options);
                               else return false;
                               return true;
                             });
  return status;
}

}  // namespace

Pod decode_pod(const json& manifest, const Site& root, const EncodeOptions& options) {
  Pod pod;
  read_struct(manifest, root, "v1.Pod", kPodShape, [&](const std::string& key, const json& field, const Site& where) {
    if (key == "apiVersion" || key == "kind") return true;
    if (key == "metadata") pod.metadata = decode_meta(field, where, options);
    else if (key == "spec") pod.spec = decode_pod_spec(field, where);
    else if (key == "status") pod.status = decode_pod_status(field, where, options);
    else return false;
    return true;
  });
  return pod;
}

}  // namespace sasim::model::decode
