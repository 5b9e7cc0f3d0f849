// ObjectMeta, Namespace, ServiceAccount and Secret validation, and the
// dispatch by kind. Pods are in pod_validation.cc.
#include "model/objects/validation.h"

#include <set>

#include "model/objects/constants.h"
#include "model/objects/field_errors.h"
#include "sim/check.h"
#include "model/objects/ascii.h"

namespace sasim::model {
namespace {

constexpr std::int64_t kTotalAnnotationSizeLimit = 256 * 1024;
constexpr std::int64_t kMaxSecretSize = 1024 * 1024;
constexpr std::string_view kFinalizerOrphan = "orphan";
constexpr std::string_view kFinalizerForeground = "foregroundDeletion";

// %#v of a []string, as upstream prints finalizer lists.
std::string go_string_slice(const std::vector<std::string>& items) {
  std::string out = "[]string{";
  for (std::size_t i = 0; i < items.size(); ++i) out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", items[i]);
  return out + "}";
}

void validate_labels(const std::map<std::string, std::string>& labels, const std::string& path,
                     std::vector<FieldError>& errs) {
  for (const auto& [k, v] : labels) {
    for (const std::string& msg : is_qualified_name(k)) errs.push_back(field::invalid(path, k, msg));
    for (const std::string& msg : is_valid_label_value(v)) errs.push_back(field::invalid(path, v, msg));
  }
}

void validate_annotations(const std::map<std::string, std::string>& annotations, const std::string& path,
                          std::vector<FieldError>& errs) {
  std::int64_t total = 0;
  for (const auto& [k, v] : annotations) {
    for (const std::string& msg : is_qualified_name(ascii_lower(k))) errs.push_back(field::invalid(path, k, msg));
    total += static_cast<std::int64_t>(k.size() + v.size());
  }
  if (total > kTotalAnnotationSizeLimit) errs.push_back(field::too_long(path, kTotalAnnotationSizeLimit));
}

// core validation's validateKubeFinalizerName: a qualified name, and a name
// without '/' must be one of Kubernetes' own.
void validate_kube_finalizer_name(const std::string& name, const std::string& path, std::vector<FieldError>& errs) {
  const std::vector<std::string> msgs = is_qualified_name(name);
  for (const std::string& msg : msgs) errs.push_back(field::invalid(path, name, msg));
  if (!msgs.empty() || name.find('/') != std::string::npos) return;
  if (name != kNamespaceFinalizerKubernetes && name != kFinalizerOrphan && name != kFinalizerForeground) {
    errs.push_back(field::invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified"));
  }
}

void validate_finalizers(const std::vector<std::string>& finalizers, const std::string& path,
                         std::vector<FieldError>& errs) {
  bool orphan = false;
  bool foreground = false;
  for (const std::string& f : finalizers) {
    for (const std::string& msg : is_qualified_name(f)) errs.push_back(field::invalid(path, f, msg));
    orphan = orphan || f == kFinalizerOrphan;
    foreground = foreground || f == kFinalizerForeground;
  }
  if (orphan && foreground) {
    errs.push_back(field::invalid(path, go_string_slice(finalizers),
                                  "finalizer orphan and foregroundDeletion cannot be both set"));
  }
}

void validate_immutable(const std::string& updated, const std::string& old, const std::string& path,
                        std::vector<FieldError>& errs) {
  if (updated != old) errs.push_back(field::invalid(path, updated, "field is immutable"));
}

std::int64_t plain_data_size(const Secret& secret) {
  std::int64_t total = 0;
  for (const auto& [key, value] : secret.data) {
    if (!value.is_lazy()) total += static_cast<std::int64_t>(value.bytes().size());
  }
  return total;
}

bool same_data(const Secret& a, const Secret& b) {
  if (a.data.size() != b.data.size()) return false;
  for (auto ia = a.data.begin(), ib = b.data.begin(); ia != a.data.end(); ++ia, ++ib) {
    if (ia->first != ib->first || !ia->second.same_bytes(ib->second)) return false;
  }
  return true;
}

}  // namespace

std::vector<FieldError> validate_object_meta(const ObjectMeta& meta, bool requires_namespace, NameValidator name_fn,
                                             const std::string& path) {
  std::vector<FieldError> errs;
  if (!meta.generate_name.empty()) {
    for (const std::string& msg : name_fn(meta.generate_name, true)) {
      errs.push_back(field::invalid(field::child(path, "generateName"), meta.generate_name, msg));
    }
  }
  if (meta.name.empty()) {
    errs.push_back(field::required(field::child(path, "name"), "name or generateName is required"));
  } else {
    for (const std::string& msg : name_fn(meta.name, false)) {
      errs.push_back(field::invalid(field::child(path, "name"), meta.name, msg));
    }
  }
  if (requires_namespace) {
    if (meta.namespace_.empty()) {
      errs.push_back(field::required(field::child(path, "namespace")));
    } else {
      for (const std::string& msg : name_is_dns_label(meta.namespace_, false)) {
        errs.push_back(field::invalid(field::child(path, "namespace"), meta.namespace_, msg));
      }
    }
  } else if (!meta.namespace_.empty()) {
    errs.push_back(field::forbidden(field::child(path, "namespace"), "not allowed on this type"));
  }
  validate_labels(meta.labels, field::child(path, "labels"), errs);
  validate_annotations(meta.annotations, field::child(path, "annotations"), errs);
  validate_finalizers(meta.finalizers, field::child(path, "finalizers"), errs);
  for (std::size_t i = 0; i < meta.finalizers.size(); ++i) {
    validate_kube_finalizer_name(meta.finalizers[i], field::index(field::child(path, "finalizers"), i), errs);
  }
  return errs;
}

std::vector<FieldError> validate_object_meta_update(const ObjectMeta& updated, const ObjectMeta& old,
                                                    const std::string& path) {
  std::vector<FieldError> errs;
  if (old.deletion_timestamp) {
    const std::set<std::string> before(old.finalizers.begin(), old.finalizers.end());
    std::set<std::string> added;
    for (const std::string& f : updated.finalizers) {
      if (!before.contains(f)) added.insert(f);
    }
    if (!added.empty()) {
      errs.push_back(field::forbidden(
          field::child(path, "finalizers"),
          "no new finalizers can be added if the object is being deleted, found new finalizers " +
              go_string_slice(std::vector<std::string>(added.begin(), added.end()))));
    }
  }
  validate_immutable(updated.name, old.name, field::child(path, "name"), errs);
  validate_immutable(updated.namespace_, old.namespace_, field::child(path, "namespace"), errs);
  validate_labels(updated.labels, field::child(path, "labels"), errs);
  validate_annotations(updated.annotations, field::child(path, "annotations"), errs);
  return errs;
}

std::vector<FieldError> validate_namespace(const Namespace& ns) {
  std::vector<FieldError> errs = validate_object_meta(ns.metadata, false, name_is_dns_label);
  for (const std::string& f : ns.spec_finalizers) validate_kube_finalizer_name(f, "spec.finalizers", errs);
  return errs;
}

std::vector<FieldError> validate_namespace_update(const Namespace& updated, const Namespace& old) {
  // spec.finalizers and status change only through the finalize and status
  // subresources; a plain update keeps the stored ones (the store's job).
  return validate_object_meta_update(updated.metadata, old.metadata);
}

std::vector<FieldError> validate_service_account(const ServiceAccount& sa) {
  return validate_object_meta(sa.metadata, true, name_is_dns_subdomain);
}

std::vector<FieldError> validate_service_account_update(const ServiceAccount& updated, const ServiceAccount& old) {
  std::vector<FieldError> errs = validate_object_meta_update(updated.metadata, old.metadata);
  field::append(errs, validate_service_account(updated));
  return errs;
}

std::vector<FieldError> validate_secret(const Secret& secret) {
  std::vector<FieldError> errs = validate_object_meta(secret.metadata, true, name_is_dns_subdomain);
  for (const auto& [key, value] : secret.data) {
    for (const std::string& msg : is_config_map_key(key)) errs.push_back(field::invalid(field::key("data", key), key, msg));
  }
  if (plain_data_size(secret) > kMaxSecretSize) errs.push_back(field::too_long("data", kMaxSecretSize));
  if (secret.type == kSecretTypeServiceAccountToken) {
    const std::string* name = secret.metadata.annotation(std::string(kServiceAccountNameKey));
    if (name == nullptr || name->empty()) {
      errs.push_back(field::required(field::key("metadata.annotations", kServiceAccountNameKey)));
    }
  }
  return errs;
}

std::vector<FieldError> validate_secret_update(const Secret& updated, const Secret& old) {
  std::vector<FieldError> errs = validate_object_meta_update(updated.metadata, old.metadata);
  validate_immutable(updated.type, old.type, "type", errs);
  if (old.immutable.value_or(false)) {
    if (!updated.immutable.value_or(false)) {
      errs.push_back(field::forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    if (!same_data(updated, old)) errs.push_back(field::forbidden("data", "field is immutable when `immutable` is set"));
  }
  field::append(errs, validate_secret(updated));
  return errs;
}

std::vector<FieldError> validate_config_map(const ConfigMap& config_map) {
  std::vector<FieldError> errs = validate_object_meta(config_map.metadata, true, name_is_dns_subdomain);
  std::int64_t total = 0;
  for (const auto& [key, value] : config_map.data) {
    for (const std::string& msg : is_config_map_key(key)) errs.push_back(field::invalid(field::key("data", key), key, msg));
    if (config_map.binary_data.contains(key)) {
      errs.push_back(field::invalid(field::key("data", key), key, "duplicate of key present in binaryData"));
    }
    total += static_cast<std::int64_t>(value.size());
  }
  for (const auto& [key, value] : config_map.binary_data) {
    for (const std::string& msg : is_config_map_key(key)) {
      errs.push_back(field::invalid(field::key("binaryData", key), key, msg));
    }
    total += static_cast<std::int64_t>(value.size());
  }
  // Upstream passes an empty path: the error is about the whole object.
  if (total > kMaxSecretSize) errs.push_back(field::too_long("", kMaxSecretSize));
  return errs;
}

std::vector<FieldError> validate_config_map_update(const ConfigMap& updated, const ConfigMap& old) {
  std::vector<FieldError> errs = validate_object_meta_update(updated.metadata, old.metadata);
  if (old.immutable.value_or(false)) {
    if (!updated.immutable.value_or(false)) {
      errs.push_back(field::forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    if (updated.data != old.data) errs.push_back(field::forbidden("data", "field is immutable when `immutable` is set"));
    if (updated.binary_data != old.binary_data) {
      errs.push_back(field::forbidden("binaryData", "field is immutable when `immutable` is set"));
    }
  }
  field::append(errs, validate_config_map(updated));
  return errs;
}

std::vector<FieldError> validate_node(const Node& node) {
  std::vector<FieldError> errs = validate_object_meta(node.metadata, false, name_is_dns_subdomain);
  // ValidateNodeUpdate's duplicate check, which node creation shares in
  // effect: a kubelet never reports one address twice.
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < node.status.addresses.size(); ++i) {
    const NodeAddress& a = node.status.addresses[i];
    if (!seen.insert({a.type, a.address}).second) {
      // field.Duplicate prints the struct with %#v, unquoted.
      errs.push_back({"FieldValueDuplicate", field::index("status.addresses", i), "",
                      fmt::format("core.NodeAddress{{Type:\"{}\", Address:\"{}\"}}", a.type, a.address), false});
    }
  }
  return errs;
}

std::vector<FieldError> validate_node_update(const Node& updated, const Node& old) {
  std::vector<FieldError> errs = validate_object_meta_update(updated.metadata, old.metadata);
  // Only the node IPAM controller sets pod CIDRs, once.
  if (!old.spec.pod_cidrs.empty() && updated.spec.pod_cidrs != old.spec.pod_cidrs) {
    errs.push_back(field::forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
  }
  field::append(errs, validate_node(updated));
  return errs;
}

std::vector<FieldError> validate_create(const Object& object) {
  return std::visit(
      [](const auto& o) -> std::vector<FieldError> {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, Namespace>) return validate_namespace(o);
        else if constexpr (std::is_same_v<T, ServiceAccount>) return validate_service_account(o);
        else if constexpr (std::is_same_v<T, Secret>) return validate_secret(o);
        else if constexpr (std::is_same_v<T, Pod>) return validate_pod(o);
        else if constexpr (std::is_same_v<T, Node>) return validate_node(o);
        else return validate_config_map(o);
      },
      object);
}

std::vector<FieldError> validate_update(const Object& updated, const Object& old) {
  SIM_CHECK(updated.index() == old.index(), "validate_update across kinds");
  return std::visit(
      [&](const auto& o) -> std::vector<FieldError> {
        using T = std::decay_t<decltype(o)>;
        const T& before = std::get<T>(old);
        if constexpr (std::is_same_v<T, Namespace>) {
          std::vector<FieldError> errs = validate_namespace(o);
          field::append(errs, validate_namespace_update(o, before));
          return errs;
        } else if constexpr (std::is_same_v<T, ServiceAccount>) {
          return validate_service_account_update(o, before);
        } else if constexpr (std::is_same_v<T, Secret>) {
          return validate_secret_update(o, before);
        } else if constexpr (std::is_same_v<T, Node>) {
          return validate_node_update(o, before);
        } else if constexpr (std::is_same_v<T, ConfigMap>) {
          return validate_config_map_update(o, before);
        } else {
          std::vector<FieldError> errs = validate_pod(o);
          field::append(errs, validate_pod_update(o, before));
          return errs;
        }
      },
      updated);
}

}  // namespace sasim::model
