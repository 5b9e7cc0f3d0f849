// Objects to the API's JSON. Each field follows its Go json tag: omitempty
// fields are left out when empty, structs and non-omitempty fields are always
// written (`containers`, `resources: {}`, `creationTimestamp`). Kept extra
// fields are the starting point of each level; modelled fields go on top.
#include <fmt/format.h>

#include "model/objects/base64.h"
#include "model/objects/codec.h"
#include "model/objects/node_status_structs.h"

namespace sasim::model {
namespace {

using nlohmann::json;

json level(const ExtraFields& extra) { return extra ? *extra : json::object(); }

std::string time_text(sim::Time t, const EncodeOptions& options) {
  return format_rfc3339(wall_seconds(t, options.epoch_unix_seconds));
}

void put_if(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

json encode_meta(const ObjectMeta& meta, const EncodeOptions& options) {
  json out = level(meta.extra);
  put_if(out, "name", meta.name);
  put_if(out, "generateName", meta.generate_name);
  put_if(out, "namespace", meta.namespace_);
  put_if(out, "uid", meta.uid);
  if (meta.resource_version != 0) out["resourceVersion"] = std::to_string(meta.resource_version);
  out["creationTimestamp"] = time_text(meta.creation_timestamp, options);
  if (meta.deletion_timestamp) out["deletionTimestamp"] = time_text(*meta.deletion_timestamp, options);
  if (meta.deletion_grace_period_seconds) out["deletionGracePeriodSeconds"] = *meta.deletion_grace_period_seconds;
  if (!meta.labels.empty()) out["labels"] = meta.labels;
  if (!meta.annotations.empty()) out["annotations"] = meta.annotations;
  if (!meta.finalizers.empty()) out["finalizers"] = meta.finalizers;
  return out;
}

json encode_local_object_references(const std::vector<std::string>& names) {
  json out = json::array();
  for (const std::string& name : names) {
    json ref = json::object();
    put_if(ref, "name", name);
    out.push_back(std::move(ref));
  }
  return out;
}

json encode_object_reference(const ObjectReference& ref) {
  json out = json::object();
  put_if(out, "kind", ref.kind);
  put_if(out, "namespace", ref.namespace_);
  put_if(out, "name", ref.name);
  put_if(out, "uid", ref.uid);
  put_if(out, "apiVersion", ref.api_version);
  put_if(out, "resourceVersion", ref.resource_version);
  put_if(out, "fieldPath", ref.field_path);
  return out;
}

json encode_env_var(const EnvVar& env) {
  json out = json::object();
  out["name"] = env.name;
  if (env.value && !env.value->empty()) out["value"] = *env.value;
  json value_from = level(env.value_from_extra);
  if (env.secret_key_ref) {
    json ref = json::object();
    put_if(ref, "name", env.secret_key_ref->name);
    ref["key"] = env.secret_key_ref->key;
    if (env.secret_key_ref->optional) ref["optional"] = *env.secret_key_ref->optional;
    value_from["secretKeyRef"] = std::move(ref);
  }
  if (!value_from.empty()) out["valueFrom"] = std::move(value_from);
  return out;
}

json encode_env_from(const EnvFromSource& env_from) {
  json out = level(env_from.extra);
  put_if(out, "prefix", env_from.prefix);
  if (env_from.secret_ref) {
    json& ref = out["secretRef"];
    if (!ref.is_object()) ref = json::object();
    put_if(ref, "name", *env_from.secret_ref);
  }
  return out;
}

json encode_volume_mount(const VolumeMount& mount) {
  json out = level(mount.extra);
  out["name"] = mount.name;
  if (mount.read_only) out["readOnly"] = true;
  out["mountPath"] = mount.mount_path;
  return out;
}

template <class T, class F>
void put_list(json& out, const char* key, const std::vector<T>& items, F encode_one) {
  if (items.empty()) return;
  json list = json::array();
  for (const T& item : items) list.push_back(encode_one(item));
  out[key] = std::move(list);
}

json encode_container(const Container& c) {
  json out = level(c.extra);
  out["name"] = c.name;
  put_if(out, "image", c.image);
  put_list(out, "env", c.env, encode_env_var);
  put_list(out, "envFrom", c.env_from, encode_env_from);
  put_list(out, "volumeMounts", c.volume_mounts, encode_volume_mount);
  if (!out.contains("resources")) out["resources"] = json::object();
  return out;
}

json encode_volume(const Volume& volume) {
  json out = level(volume.other_source);
  out["name"] = volume.name;
  if (volume.secret) {
    json secret = level(volume.secret->extra);
    put_if(secret, "secretName", volume.secret->secret_name);
    if (volume.secret->default_mode) secret["defaultMode"] = *volume.secret->default_mode;
    if (volume.secret->optional) secret["optional"] = *volume.secret->optional;
    out["secret"] = std::move(secret);
  }
  return out;
}

json encode_namespace(const Namespace& ns, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(ns.metadata, options);
  json spec = json::object();
  if (!ns.spec_finalizers.empty()) spec["finalizers"] = ns.spec_finalizers;
  out["spec"] = std::move(spec);
  json status = level(ns.status_extra);
  status["phase"] = ns.phase == NamespacePhase::kActive ? "Active" : "Terminating";
  out["status"] = std::move(status);
  return out;
}

json encode_service_account(const ServiceAccount& sa, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(sa.metadata, options);
  put_list(out, "secrets", sa.secrets, encode_object_reference);
  if (!sa.image_pull_secrets.empty()) out["imagePullSecrets"] = encode_local_object_references(sa.image_pull_secrets);
  if (sa.automount_service_account_token) out["automountServiceAccountToken"] = *sa.automount_service_account_token;
  return out;
}

json encode_secret(const Secret& secret, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(secret.metadata, options);
  if (!secret.data.empty()) {
    json data = json::object();
    for (const auto& [key, value] : secret.data) data[key] = base64_encode(value.bytes());
    out["data"] = std::move(data);
  }
  put_if(out, "type", secret.type);
  if (secret.immutable) out["immutable"] = *secret.immutable;
  return out;
}

json encode_pod(const Pod& pod, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(pod.metadata, options);
  out["spec"] = encode_pod_spec(pod.spec);
  json status = level(pod.status.extra);
  status["phase"] = pod_phase_name(pod.status.phase);
  if (pod.status.start_time) status["startTime"] = time_text(*pod.status.start_time, options);
  out["status"] = std::move(status);
  return out;
}

json encode_config_map(const ConfigMap& config_map, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(config_map.metadata, options);
  if (!config_map.data.empty()) out["data"] = config_map.data;
  if (!config_map.binary_data.empty()) {
    json data = json::object();
    for (const auto& [key, value] : config_map.binary_data) data[key] = base64_encode(value);
    out["binaryData"] = std::move(data);
  }
  if (config_map.immutable) out["immutable"] = *config_map.immutable;
  return out;
}

json encode_node(const Node& node, const EncodeOptions& options, json out) {
  out["metadata"] = encode_meta(node.metadata, options);
  json spec = level(node.spec.extra);
  put_if(spec, "podCIDR", node.spec.pod_cidr);
  if (!node.spec.pod_cidrs.empty()) spec["podCIDRs"] = node.spec.pod_cidrs;
  if (node.spec.unschedulable) spec["unschedulable"] = true;
  out["spec"] = std::move(spec);
  json status = level(node.status.extra);
  if (!node.status.addresses.empty()) {
    json addresses = json::array();
    for (const NodeAddress& a : node.status.addresses) addresses.push_back({{"type", a.type}, {"address", a.address}});
    status["addresses"] = std::move(addresses);
  }
  if (!node.status.conditions.empty()) {
    json conditions = json::array();
    for (const NodeCondition& c : node.status.conditions) {
      json condition = {{"type", c.type}, {"status", c.status}};
      // metav1.Time marshals its zero value as null, which omitempty keeps.
      condition["lastHeartbeatTime"] = c.last_heartbeat_time ? json(time_text(*c.last_heartbeat_time, options)) : json();
      condition["lastTransitionTime"] = c.last_transition_time ? json(time_text(*c.last_transition_time, options)) : json();
      put_if(condition, "reason", c.reason);
      put_if(condition, "message", c.message);
      conditions.push_back(std::move(condition));
    }
    status["conditions"] = std::move(conditions);
  }
  put_node_status_structs(status);
  out["status"] = std::move(status);
  return out;
}

}  // namespace

json encode_metadata(const ObjectMeta& meta, const EncodeOptions& options) { return encode_meta(meta, options); }

json encode_pod_spec(const PodSpec& spec) {
  json out = level(spec.extra);
  put_list(out, "volumes", spec.volumes, encode_volume);
  put_list(out, "initContainers", spec.init_containers, encode_container);
  // `containers` has no omitempty: an empty list is written as null.
  json containers = nullptr;
  for (const Container& c : spec.containers) containers.push_back(encode_container(c));
  out["containers"] = std::move(containers);
  put_list(out, "ephemeralContainers", spec.ephemeral_containers, encode_container);
  put_if(out, "serviceAccountName", spec.service_account_name);
  put_if(out, "serviceAccount", spec.service_account);
  if (spec.automount_service_account_token) out["automountServiceAccountToken"] = *spec.automount_service_account_token;
  put_if(out, "nodeName", spec.node_name);
  if (spec.termination_grace_period_seconds) out["terminationGracePeriodSeconds"] = *spec.termination_grace_period_seconds;
  if (!spec.image_pull_secrets.empty()) out["imagePullSecrets"] = encode_local_object_references(spec.image_pull_secrets);
  return out;
}

json encode_object(const Object& object, const EncodeOptions& options) {
  json out = json::object();
  out["apiVersion"] = "v1";
  out["kind"] = std::string(kind_name(kind_of(object)));
  return std::visit(
      [&](const auto& o) -> json {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, Namespace>) return encode_namespace(o, options, std::move(out));
        else if constexpr (std::is_same_v<T, ServiceAccount>) return encode_service_account(o, options, std::move(out));
        else if constexpr (std::is_same_v<T, Secret>) return encode_secret(o, options, std::move(out));
        else if constexpr (std::is_same_v<T, Pod>) return encode_pod(o, options, std::move(out));
        else if constexpr (std::is_same_v<T, Node>) return encode_node(o, options, std::move(out));
        else return encode_config_map(o, options, std::move(out));
      },
      object);
}

}  // namespace sasim::model
