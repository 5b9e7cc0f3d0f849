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

#include <algorithm>
#include <string>
#include <string_view>
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

// Objects of one kind looked up by (namespace, name) while judging a scope.
// Inside one namespace: a binary search of that namespace's listing (sorted
// by name, as storage keeps it; a few objects, soon in cache) instead of a
// search of storage's table of every namespace's objects, which missed the
// cache at every level with a hundred thousand objects. Over the whole store
// or outside the scope: storage's own lookup. The answers are the same:
// nothing is written while an invariant is evaluated.
class ScopedObjects {
 public:
  ScopedObjects(const model::Store& store, model::Kind kind, NamespaceScope scope)
      : store_(store), kind_(kind), scope_(scope) {
    if (scoped()) listing_ = store.list(kind, *scope);
  }
  model::ObjectPtr get(const std::string& ns, const std::string& name) const {
    if (!scoped() || ns != *scope_) return store_.get(kind_, ns, name);
    auto it = std::lower_bound(listing_.begin(), listing_.end(), std::string_view(name),
                               [](const model::ObjectPtr& object, std::string_view n) {
                                 return std::string_view(model::meta(*object).name) < n;
                               });
    if (it != listing_.end() && model::meta(**it).name == name) return *it;
    return nullptr;
  }

 private:
  bool scoped() const { return scope_ != nullptr && !scope_->empty() && model::is_namespaced(kind_); }
  const model::Store& store_;
  model::Kind kind_;
  NamespaceScope scope_;
  std::vector<model::ObjectPtr> listing_;
};

// Whether the Namespace `name` is stored, Active and not being deleted:
// the eventually-invariants judge only what lives in one.
inline bool namespace_active(const model::Store& store, const std::string& name) {
  const auto* ns = model::as<model::Namespace>(store.get(model::Kind::kNamespace, "", name));
  return ns != nullptr && ns->phase == model::NamespacePhase::kActive && !ns->metadata.deletion_timestamp;
}

// namespace_active, looked up once per run of objects of one namespace:
// a scope's objects, and the whole store's, come namespace by namespace,
// so a check asks about the same namespace for every object in a row. For
// one evaluation only (the store must not change meanwhile).
class ActiveNamespaces {
 public:
  explicit ActiveNamespaces(const model::Store& store) : store_(store) {}
  bool operator()(const std::string& name) {
    if (!known_ || name != last_) {
      last_ = name;
      active_ = namespace_active(store_, name);
      known_ = true;
    }
    return active_;
  }

 private:
  const model::Store& store_;
  std::string last_;
  bool known_ = false;
  bool active_ = false;
};

// The namespace an object counts towards: a Namespace its own name, any
// other object its namespace.
inline const std::string& scope_of(const model::Object& object) {
  const model::ObjectMeta& meta = model::meta(object);
  return std::holds_alternative<model::Namespace>(object) ? meta.name : meta.namespace_;
}

}  // namespace sasim::properties
