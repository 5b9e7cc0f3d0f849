#include "properties/violation.h"

namespace sasim::properties {

std::string object_ref(model::Kind kind, std::string_view ns, std::string_view name) {
  std::string out(model::singular_name(kind));
  out += '/';
  if (model::is_namespaced(kind)) {
    out += ns;
    out += '/';
  }
  out += name;
  return out;
}

std::string object_ref(const model::Object& object) {
  const model::ObjectMeta& m = model::meta(object);
  return object_ref(model::kind_of(object), m.namespace_, m.name);
}

std::optional<ObjectRef> parse_object_ref(std::string_view ref) {
  const std::size_t first = ref.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  std::optional<model::Kind> kind = model::parse_kind(ref.substr(0, first));
  // Only the singular spelling object_ref writes: "sa/..." is not ours.
  if (!kind || model::singular_name(*kind) != ref.substr(0, first)) return std::nullopt;
  std::string_view rest = ref.substr(first + 1);
  ObjectRef out;
  out.kind = *kind;
  if (model::is_namespaced(*kind)) {
    const std::size_t second = rest.find('/');
    if (second == std::string_view::npos || second == 0) return std::nullopt;
    out.namespace_ = std::string(rest.substr(0, second));
    rest = rest.substr(second + 1);
  }
  // Kubernetes names never contain '/', so a second one means a malformed ref.
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  out.name = std::string(rest);
  return out;
}

}  // namespace sasim::properties
