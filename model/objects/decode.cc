// Manifest decoding: the entry points, ObjectMeta, and the Namespace,
// ServiceAccount and Secret kinds (Pod is in decode_pod.cc).
#include <fmt/format.h>

#include "model/objects/base64.h"
#include "model/objects/codec.h"
#include "model/objects/decode_kinds.h"

namespace sasim::model {
namespace decode {
namespace {

constexpr std::string_view kMetaUnmodelled[] = {"selfLink", "generation", "ownerReferences", "clusterName",
                                                "managedFields"};
constexpr Shape kMetaShape{"ObjectMeta", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", kMetaUnmodelled};
constexpr Shape kNamespaceShape{"Namespace", "io.k8s.api.core.v1.Namespace", {}};
constexpr Shape kNamespaceSpecShape{"NamespaceSpec", "io.k8s.api.core.v1.NamespaceSpec", {}};
constexpr Shape kNamespaceStatusShape{"NamespaceStatus", "io.k8s.api.core.v1.NamespaceStatus", {}, true};
constexpr Shape kServiceAccountShape{"ServiceAccount", "io.k8s.api.core.v1.ServiceAccount", {}};
constexpr Shape kObjectReferenceShape{"ObjectReference", "io.k8s.api.core.v1.ObjectReference", {}};
constexpr Shape kLocalObjectReferenceShape{"LocalObjectReference", "io.k8s.api.core.v1.LocalObjectReference", {}};
constexpr Shape kSecretShape{"Secret", "io.k8s.api.core.v1.Secret", {}};
constexpr Shape kConfigMapShape{"ConfigMap", "io.k8s.api.core.v1.ConfigMap", {}};

bool is_type_meta(const std::string& key) { return key == "apiVersion" || key == "kind"; }

// ObjectMeta.resourceVersion is a string on the wire; the store's revisions
// are decimal, and anything else is rejected with strconv's message, as the
// apiserver does when it parses a precondition.
std::uint64_t parse_resource_version(const std::string& text, const Site& site) {
  if (text.empty()) return 0;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') fail(site.pointer, fmt::format("strconv.ParseUint: parsing \"{}\": invalid syntax", text));
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      fail(site.pointer, fmt::format("strconv.ParseUint: parsing \"{}\": value out of range", text));
    }
    value = value * 10 + digit;
  }
  return value;
}

ObjectReference decode_object_reference(const json& value, const Site& site) {
  ObjectReference ref;
  read_struct(value, site, "v1.ObjectReference", kObjectReferenceShape,
              [&](const std::string& key, const json& field, const Site& where) {
                std::string* target = key == "name"              ? &ref.name
                                      : key == "namespace"       ? &ref.namespace_
                                      : key == "kind"            ? &ref.kind
                                      : key == "apiVersion"      ? &ref.api_version
                                      : key == "uid"             ? &ref.uid
                                      : key == "resourceVersion" ? &ref.resource_version
                                      : key == "fieldPath"       ? &ref.field_path
                                                                 : nullptr;
                if (target == nullptr) return false;
                *target = read_string(field, where);
                return true;
              });
  return ref;
}

NamespacePhase decode_namespace_phase(const std::string& text, const Site& site) {
  if (text.empty() || text == "Active") return NamespacePhase::kActive;
  if (text == "Terminating") return NamespacePhase::kTerminating;
  fail(site.pointer, fmt::format("Unsupported value: \"{}\": supported values: \"Active\", \"Terminating\"", text));
}

Object decode_one(const json& manifest, const EncodeOptions& options) {
  if (!manifest.is_object()) {
    fail("", fmt::format("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", json_kind(manifest)));
  }
  auto text_of = [&](const char* key, const char* missing) {
    auto it = manifest.find(key);
    const Site site{std::string("/") + key, key, "TypeMeta"};
    if (it == manifest.end() || it->is_null()) fail("", missing);
    const std::string text = read_string(*it, site);
    if (text.empty()) fail("", missing);
    return text;
  };
  const std::string kind_text = text_of("kind", "Object 'Kind' is missing");
  const std::string api_version = text_of("apiVersion", "Object 'apiVersion' is missing");
  const std::optional<Kind> kind = kind_from_manifest(kind_text);
  if (!kind) {
    fail("/kind", fmt::format("no matches for kind \"{}\" in version \"{}\": the simulated kinds are Namespace, "
                              "ServiceAccount, Secret, Pod, Node and ConfigMap, in version \"v1\"",
                              kind_text, api_version));
  }
  if (api_version != "v1") {
    fail("/apiVersion", fmt::format("no matches for kind \"{}\" in version \"{}\": {} is simulated in version \"v1\" only",
                                    kind_text, api_version, kind_text));
  }
  const Site root{"", "", kind_text};
  switch (*kind) {
    case Kind::kNamespace: return decode_namespace(manifest, root, options);
    case Kind::kServiceAccount: return decode_service_account(manifest, root, options);
    case Kind::kSecret: return decode_secret(manifest, root, options);
    case Kind::kPod: return decode_pod(manifest, root, options);
    case Kind::kNode: return decode_node(manifest, root, options);
    case Kind::kConfigMap: return decode_config_map(manifest, root, options);
  }
  fail("/kind", "unreachable kind");
}

}  // namespace

ObjectMeta decode_meta(const json& value, const Site& site, const EncodeOptions& options) {
  ObjectMeta meta;
  meta.extra = read_struct(value, site, "v1.ObjectMeta", kMetaShape,
                           [&](const std::string& key, const json& field, const Site& where) {
                             if (key == "name") meta.name = read_string(field, where);
                             else if (key == "generateName") meta.generate_name = read_string(field, where);
                             else if (key == "namespace") meta.namespace_ = read_string(field, where);
                             else if (key == "uid") meta.uid = read_string(field, where);
                             else if (key == "resourceVersion")
                               meta.resource_version = parse_resource_version(read_string(field, where), where);
                             else if (key == "creationTimestamp")
                               meta.creation_timestamp = read_time(field, where, options).value_or(sim::Time::zero());
                             else if (key == "deletionTimestamp")
                               meta.deletion_timestamp = read_time(field, where, options);
                             else if (key == "deletionGracePeriodSeconds") {
                               if (!field.is_null()) meta.deletion_grace_period_seconds = read_int(field, where, 64);
                             }
                             else if (key == "labels") meta.labels = read_string_map(field, where);
                             else if (key == "annotations") meta.annotations = read_string_map(field, where);
                             else if (key == "finalizers") meta.finalizers = read_string_list(field, where, "[]string");
                             else return false;
                             return true;
                           });
  return meta;
}

Namespace decode_namespace(const json& manifest, const Site& root, const EncodeOptions& options) {
  Namespace ns;
  read_struct(manifest, root, "v1.Namespace", kNamespaceShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (is_type_meta(key)) return true;
                if (key == "metadata") {
                  ns.metadata = decode_meta(field, where, options);
                } else if (key == "spec") {
                  read_struct(field, where, "v1.NamespaceSpec", kNamespaceSpecShape,
                              [&](const std::string& k, const json& f, const Site& s) {
                                if (k != "finalizers") return false;
                                ns.spec_finalizers = read_string_list(f, s, "[]v1.FinalizerName");
                                return true;
                              });
                } else if (key == "status") {
                  ns.status_extra = read_struct(field, where, "v1.NamespaceStatus", kNamespaceStatusShape,
                                                [&](const std::string& k, const json& f, const Site& s) {
                                                  if (k != "phase") return false;
                                                  ns.phase = decode_namespace_phase(read_string(f, s), s);
                                                  return true;
                                                });
                } else {
                  return false;
                }
                return true;
              });
  return ns;
}

ServiceAccount decode_service_account(const json& manifest, const Site& root, const EncodeOptions& options) {
  ServiceAccount sa;
  read_struct(manifest, root, "v1.ServiceAccount", kServiceAccountShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (is_type_meta(key)) return true;
                if (key == "metadata") {
                  sa.metadata = decode_meta(field, where, options);
                } else if (key == "secrets") {
                  if (const auto* items = read_array(field, where, "[]v1.ObjectReference")) {
                    for (std::size_t i = 0; i < items->size(); ++i) {
                      sa.secrets.push_back(decode_object_reference((*items)[i], index_site(where, i)));
                    }
                  }
                } else if (key == "imagePullSecrets") {
                  sa.image_pull_secrets = decode_local_object_references(field, where);
                } else if (key == "automountServiceAccountToken") {
                  sa.automount_service_account_token = read_optional_bool(field, where);
                } else {
                  return false;
                }
                return true;
              });
  return sa;
}

std::vector<std::string> decode_local_object_references(const json& value, const Site& site) {
  std::vector<std::string> names;
  const auto* items = read_array(value, site, "[]v1.LocalObjectReference");
  if (items == nullptr) return names;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string name;
    read_struct((*items)[i], index_site(site, i), "v1.LocalObjectReference", kLocalObjectReferenceShape,
                [&](const std::string& key, const json& field, const Site& where) {
                  if (key != "name") return false;
                  name = read_string(field, where);
                  return true;
                });
    names.push_back(std::move(name));
  }
  return names;
}

Secret decode_secret(const json& manifest, const Site& root, const EncodeOptions& options) {
  Secret secret;
  std::map<std::string, std::string> string_data;
  read_struct(manifest, root, "v1.Secret", kSecretShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (is_type_meta(key)) return true;
                if (key == "metadata") {
                  secret.metadata = decode_meta(field, where, options);
                } else if (key == "type") {
                  // An empty type is defaulted to Opaque by the API; the
                  // struct's default already says so.
                  if (std::string type = read_string(field, where); !type.empty()) secret.type = std::move(type);
                } else if (key == "immutable") {
                  secret.immutable = read_optional_bool(field, where);
                } else if (key == "data") {
                  if (field.is_null()) return true;
                  if (!field.is_object()) type_error(field, where, "map[string][]uint8");
                  for (const auto& [name, encoded] : field.items()) {
                    const Site entry = entry_site(where, name);
                    if (encoded.is_null()) {
                      secret.data[name] = DataValue(std::string());
                      continue;
                    }
                    if (!encoded.is_string()) type_error(encoded, entry, "[]uint8");
                    auto bytes = base64_decode(encoded.get<std::string>());
                    if (!bytes) fail(entry.pointer, bytes.error().message());
                    secret.data[name] = DataValue(std::move(bytes).value());
                  }
                } else if (key == "stringData") {
                  string_data = read_string_map(field, where);
                } else {
                  return false;
                }
                return true;
              });
  // The apiserver's conversion writes stringData over data, key by key.
  for (auto& [name, value] : string_data) secret.data[name] = DataValue(std::move(value));
  return secret;
}

ConfigMap decode_config_map(const json& manifest, const Site& root, const EncodeOptions& options) {
  ConfigMap config_map;
  read_struct(manifest, root, "v1.ConfigMap", kConfigMapShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (is_type_meta(key)) return true;
                if (key == "metadata") {
                  config_map.metadata = decode_meta(field, where, options);
                } else if (key == "immutable") {
                  config_map.immutable = read_optional_bool(field, where);
                } else if (key == "data") {
                  config_map.data = read_string_map(field, where);
                } else if (key == "binaryData") {
                  if (field.is_null()) return true;
                  if (!field.is_object()) type_error(field, where, "map[string][]uint8");
                  for (const auto& [name, encoded] : field.items()) {
                    const Site entry = entry_site(where, name);
                    if (encoded.is_null()) {
                      config_map.binary_data[name] = std::string();
                      continue;
                    }
                    if (!encoded.is_string()) type_error(encoded, entry, "[]uint8");
                    auto bytes = base64_decode(encoded.get<std::string>());
                    if (!bytes) fail(entry.pointer, bytes.error().message());
                    config_map.binary_data[name] = std::move(bytes).value();
                  }
                } else {
                  return false;
                }
                return true;
              });
  return config_map;
}

}  // namespace decode

sim::Result<Object, DecodeError> decode_object(const nlohmann::json& manifest, const EncodeOptions& options) {
  try {
    return decode::decode_one(manifest, options);
  } catch (const decode::Failure& failure) {
    return sim::unexpected(failure.error);
  }
}

sim::Result<std::vector<Object>, DecodeError> decode_manifests(const nlohmann::json& manifest,
                                                               const EncodeOptions& options) {
  std::vector<Object> objects;
  const bool is_list = manifest.is_object() && manifest.value("kind", nlohmann::json()) == "List";
  if (!is_list) {
    auto one = decode_object(manifest, options);
    if (!one) return sim::unexpected(one.error());
    objects.push_back(std::move(one).value());
    return objects;
  }
  try {
    const decode::Site items_site{"/items", "items", "List"};
    const nlohmann::json items_value = manifest.value("items", nlohmann::json());
    const auto* items = decode::read_array(items_value, items_site, "[]runtime.RawExtension");
    if (items == nullptr) return objects;
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto one = decode_object((*items)[i], options);
      if (!one) {
        DecodeError error = one.error();
        error.path = fmt::format("/items/{}{}", i, error.path);
        return sim::unexpected(std::move(error));
      }
      objects.push_back(std::move(one).value());
    }
  } catch (const decode::Failure& failure) {
    return sim::unexpected(failure.error);
  }
  return objects;
}

}  // namespace sasim::model
