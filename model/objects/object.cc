#include "model/objects/object.h"
#include "model/objects/ascii.h"

#include <array>
#include <string>

namespace sasim::model {
namespace {

struct KindNames {
  std::string_view manifest, resource, singular;
  std::array<std::string_view, 2> short_names;
};

constexpr std::array<KindNames, kKindCount> kNames = {{
    {"Namespace", "namespaces", "namespace", {"ns", ""}},
    {"ServiceAccount", "serviceaccounts", "serviceaccount", {"sa", ""}},
    {"Secret", "secrets", "secret", {"", ""}},
    {"Pod", "pods", "pod", {"po", ""}},
    {"Node", "nodes", "node", {"no", ""}},
    {"ConfigMap", "configmaps", "configmap", {"cm", ""}},
}};

const KindNames& names(Kind kind) { return kNames[static_cast<std::size_t>(kind)]; }

}  // namespace

std::string_view kind_name(Kind kind) { return names(kind).manifest; }
std::string_view resource_name(Kind kind) { return names(kind).resource; }
std::string_view singular_name(Kind kind) { return names(kind).singular; }
bool is_namespaced(Kind kind) { return kind != Kind::kNamespace && kind != Kind::kNode; }

std::optional<Kind> parse_kind(std::string_view text) {
  const std::string wanted = ascii_lower(text);
  for (Kind kind : kAllKinds) {
    const KindNames& n = names(kind);
    if (wanted == n.singular || wanted == n.resource) return kind;
    for (std::string_view s : n.short_names) {
      if (!s.empty() && wanted == s) return kind;
    }
  }
  return std::nullopt;
}

std::optional<Kind> kind_from_manifest(std::string_view kind) {
  for (Kind k : kAllKinds) {
    if (names(k).manifest == kind) return k;
  }
  return std::nullopt;
}

}  // namespace sasim::model
