#include "model/objects/equality.h"

#include <nlohmann/json.hpp>

namespace sasim::model {
namespace {

template <class T, class F>
bool all_equivalent(const std::vector<T>& a, const std::vector<T>& b, F same) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

bool same_mount(const VolumeMount& a, const VolumeMount& b) {
  return a.name == b.name && a.mount_path == b.mount_path && a.read_only == b.read_only &&
         equivalent(a.extra, b.extra);
}

bool same_selector(const std::optional<SecretKeySelector>& a, const std::optional<SecretKeySelector>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->name == b->name && a->key == b->key && a->optional == b->optional);
}

bool same_env(const EnvVar& a, const EnvVar& b) {
  return a.name == b.name && a.value == b.value && same_selector(a.secret_key_ref, b.secret_key_ref) &&
         equivalent(a.value_from_extra, b.value_from_extra);
}

bool same_env_from(const EnvFromSource& a, const EnvFromSource& b) {
  return a.prefix == b.prefix && a.secret_ref == b.secret_ref && equivalent(a.extra, b.extra);
}

bool same_container(const Container& a, const Container& b) {
  return a.name == b.name && a.image == b.image && all_equivalent(a.env, b.env, same_env) &&
         all_equivalent(a.env_from, b.env_from, same_env_from) &&
         all_equivalent(a.volume_mounts, b.volume_mounts, same_mount) && equivalent(a.extra, b.extra);
}

bool same_volume(const Volume& a, const Volume& b) {
  if (a.name != b.name || a.secret.has_value() != b.secret.has_value()) return false;
  if (a.secret && (a.secret->secret_name != b.secret->secret_name || a.secret->default_mode != b.secret->default_mode ||
                   a.secret->optional != b.secret->optional || !equivalent(a.secret->extra, b.secret->extra))) {
    return false;
  }
  return equivalent(a.other_source, b.other_source);
}

bool same_data(const std::map<std::string, DataValue>& a, const std::map<std::string, DataValue>& b) {
  if (a.size() != b.size()) return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    if (ia->first != ib->first || !ia->second.same_bytes(ib->second)) return false;
  }
  return true;
}

bool same_kind(const Namespace& a, const Namespace& b) {
  return equivalent(a.metadata, b.metadata) && a.spec_finalizers == b.spec_finalizers && a.phase == b.phase &&
         equivalent(a.status_extra, b.status_extra);
}

bool same_kind(const ServiceAccount& a, const ServiceAccount& b) {
  return equivalent(a.metadata, b.metadata) && a.secrets == b.secrets && a.image_pull_secrets == b.image_pull_secrets &&
         a.automount_service_account_token == b.automount_service_account_token;
}

bool same_kind(const Secret& a, const Secret& b) {
  return equivalent(a.metadata, b.metadata) && a.type == b.type && a.immutable == b.immutable &&
         same_data(a.data, b.data);
}

bool same_kind(const Pod& a, const Pod& b) {
  return equivalent(a.metadata, b.metadata) && equivalent(a.spec, b.spec) && a.status.phase == b.status.phase &&
         a.status.start_time == b.status.start_time && equivalent(a.status.extra, b.status.extra);
}

bool same_kind(const ConfigMap& a, const ConfigMap& b) {
  return equivalent(a.metadata, b.metadata) && a.data == b.data && a.binary_data == b.binary_data &&
         a.immutable == b.immutable;
}

bool same_kind(const Node& a, const Node& b) {
  return equivalent(a.metadata, b.metadata) && a.spec.pod_cidr == b.spec.pod_cidr &&
         a.spec.pod_cidrs == b.spec.pod_cidrs && a.spec.unschedulable == b.spec.unschedulable &&
         equivalent(a.spec.extra, b.spec.extra) && a.status.addresses == b.status.addresses &&
         a.status.conditions == b.status.conditions && equivalent(a.status.extra, b.status.extra);
}

}  // namespace

bool equivalent(const ExtraFields& a, const ExtraFields& b) {
  const bool a_empty = !a || a->empty();
  const bool b_empty = !b || b->empty();
  if (a_empty || b_empty) return a_empty == b_empty;
  return a == b || *a == *b;
}

bool equivalent(const ObjectMeta& a, const ObjectMeta& b) {
  return a.name == b.name && a.generate_name == b.generate_name && a.namespace_ == b.namespace_ && a.uid == b.uid &&
         a.resource_version == b.resource_version && a.creation_timestamp == b.creation_timestamp &&
         a.deletion_timestamp == b.deletion_timestamp &&
         a.deletion_grace_period_seconds == b.deletion_grace_period_seconds && a.labels == b.labels && a.annotations == b.annotations &&
         a.finalizers == b.finalizers && equivalent(a.extra, b.extra);
}

bool equivalent(const PodSpec& a, const PodSpec& b) {
  return a.service_account_name == b.service_account_name && a.service_account == b.service_account &&
         a.automount_service_account_token == b.automount_service_account_token &&
         a.image_pull_secrets == b.image_pull_secrets && all_equivalent(a.volumes, b.volumes, same_volume) &&
         all_equivalent(a.init_containers, b.init_containers, same_container) &&
         all_equivalent(a.containers, b.containers, same_container) &&
         all_equivalent(a.ephemeral_containers, b.ephemeral_containers, same_container) &&
         a.node_name == b.node_name && a.termination_grace_period_seconds == b.termination_grace_period_seconds &&
         equivalent(a.extra, b.extra);
}

bool equivalent(const Object& a, const Object& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& left) {
        using T = std::decay_t<decltype(left)>;
        return same_kind(left, std::get<T>(b));
      },
      a);
}

}  // namespace sasim::model
