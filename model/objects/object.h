// Object: any simulated kind, and the shared immutable pointer that the
// store, watches and informer caches pass around. A stored version is never
// mutated: a write makes a new version, so caches can hold old versions for
// free and a watch event is a pointer, not a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include "model/objects/config_map.h"
#include "model/objects/namespace.h"
#include "model/objects/node.h"
#include "model/objects/pod.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"

namespace sasim::model {

enum class Kind : std::uint8_t { kNamespace, kServiceAccount, kSecret, kPod, kNode, kConfigMap };
inline constexpr Kind kAllKinds[] = {Kind::kNamespace, Kind::kServiceAccount, Kind::kSecret,
                                     Kind::kPod,       Kind::kNode,           Kind::kConfigMap};
inline constexpr std::size_t kKindCount = std::size(kAllKinds);

using Object = std::variant<Namespace, ServiceAccount, Secret, Pod, Node, ConfigMap>;
using ObjectPtr = std::shared_ptr<const Object>;

// The variant's alternatives are in Kind order.
inline Kind kind_of(const Object& object) { return static_cast<Kind>(object.index()); }

// "Namespace", "ServiceAccount", ...: the manifest `kind`.
std::string_view kind_name(Kind kind);
// "namespaces", "serviceaccounts", ...: the REST resource.
std::string_view resource_name(Kind kind);
// Singular lower-case, as kubectl prints it: "serviceaccount/build-robot".
std::string_view singular_name(Kind kind);
bool is_namespaced(Kind kind);

// kubectl's spellings (case-insensitive): ns, namespace(s), sa,
// serviceaccount(s), secret(s), pod(s), po, node(s), no, configmap(s), cm.
std::optional<Kind> parse_kind(std::string_view text);
// From a manifest's `kind` field, exactly ("ServiceAccount").
std::optional<Kind> kind_from_manifest(std::string_view kind);

inline const ObjectMeta& meta(const Object& object) {
  return std::visit([](const auto& o) -> const ObjectMeta& { return o.metadata; }, object);
}
inline ObjectMeta& meta(Object& object) {
  return std::visit([](auto& o) -> ObjectMeta& { return o.metadata; }, object);
}

template <class T>
const T* as(const ObjectPtr& object) {
  return object ? std::get_if<T>(object.get()) : nullptr;
}

// The key objects are stored and cached under: (namespace, name); cluster-
// scoped kinds have an empty namespace.
struct ObjectKey {
  std::string namespace_;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

// One object by kind and key: what a write is about to change, what an
// idle run's answer reads (model/kubelet/kubelet.h).
struct ObjectId {
  Kind kind{};
  std::string namespace_;  // empty for cluster-scoped kinds
  std::string name;
  auto operator<=>(const ObjectId&) const = default;
};

// A key to look up by, viewing strings that live elsewhere: finding an
// object by (namespace, name) builds no ObjectKey and copies no string.
struct ObjectKeyView {
  std::string_view namespace_;
  std::string_view name;
};

// Orders keys as ObjectKey's operator<=> does (namespace, then name, bytes
// compared as unsigned), and lets a map of ObjectKeys be searched with an
// ObjectKeyView (heterogeneous lookup).
struct ObjectKeyLess {
  using is_transparent = void;
  static ObjectKeyView view(const ObjectKey& key) { return {key.namespace_, key.name}; }
  static ObjectKeyView view(const ObjectKeyView& key) { return key; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    const ObjectKeyView x = view(a);
    const ObjectKeyView y = view(b);
    if (const int c = x.namespace_.compare(y.namespace_); c != 0) return c < 0;
    return x.name < y.name;
  }
};

inline ObjectKey key_of(const Object& object) {
  const ObjectMeta& m = meta(object);
  return {m.namespace_, m.name};
}

}  // namespace sasim::model
