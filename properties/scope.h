// What part of the store an eventually-invariant looks at: everything, or
// one namespace (its Namespace object and the objects in it).
//
// Every eventually-invariant judges each namespace on its own contents (an
// account, its token Secrets and its namespace all live together), so the
// checker can keep each namespace's outcome and re-evaluate only those a
// commit touched since it last looked (checker.h). The outcome of the whole
// store is the namespaces' outcomes in namespace order, which is also the
// store's own listing order: the two ways give the same violations, in the
// same order, with the same check counts.
#pragma once

#include <string>
#include <vector>

#include "model/apiserver/store.h"

namespace sasim::properties {

// null: the whole store.
using NamespaceScope = const std::string*;

// The objects of `kind` in scope, in the store's order.
inline std::vector<model::ObjectPtr> list_in_scope(const model::Store& store, model::Kind kind, NamespaceScope ns) {
  if (ns == nullptr) return store.list(kind);
  if (ns->empty()) return {};
  if (!model::is_namespaced(kind)) {
    model::ObjectPtr object = store.get(kind, "", *ns);
    if (!object) return {};
    return {std::move(object)};
  }
  return store.list(kind, *ns);
}

// The namespace an object counts towards: a Namespace its own name, any
// other object its namespace.
inline const std::string& scope_of(const model::Object& object) {
  const model::ObjectMeta& meta = model::meta(object);
  return std::holds_alternative<model::Namespace>(object) ? meta.name : meta.namespace_;
}

}  // namespace sasim::properties
