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
#include <array>
#include <optional>
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

// One scope's objects as every eventually-invariant judging it in one
// evaluation reads them: each kind listed at most once, however many
// invariants ask (the checker judges a namespace for all of them in a
// row), and found by (namespace, name) in that listing. Inside one
// namespace a lookup is a binary search of a listing of a few objects
// sorted by name (as storage keeps them), soon in cache, instead of a
// search of storage's table of every namespace's objects, which missed the
// cache at every level with a hundred thousand objects. Over the whole
// store, or outside the scope, lookups are storage's own. The answers are
// the same: nothing is written while a view is alive.
class ScopeView {
 public:
  ScopeView(const model::Store& store, NamespaceScope scope) : store_(store), scope_(scope), active_(store) {}
  ScopeView(const ScopeView&) = delete;
  ScopeView& operator=(const ScopeView&) = delete;

  const model::Store& store() const { return store_; }
  NamespaceScope scope() const { return scope_; }

  // The objects of `kind` in scope, in the store's order.
  const std::vector<model::ObjectPtr>& list(model::Kind kind) const {
    std::optional<std::vector<model::ObjectPtr>>& listing = listings_[static_cast<std::size_t>(kind)];
    if (!listing) listing = list_in_scope(store_, kind, scope_);
    return *listing;
  }

  model::ObjectPtr get(model::Kind kind, const std::string& ns, const std::string& name) const {
    if (scope_ == nullptr || scope_->empty() || !model::is_namespaced(kind) || ns != *scope_) {
      return store_.get(kind, ns, name);
    }
    const std::vector<model::ObjectPtr>& listing = list(kind);
    auto it = std::lower_bound(listing.begin(), listing.end(), std::string_view(name),
                               [](const model::ObjectPtr& object, std::string_view n) {
                                 return std::string_view(model::meta(*object).name) < n;
                               });
    if (it != listing.end() && model::meta(**it).name == name) return *it;
    return nullptr;
  }

  // namespace_active(store, ns), asked once per run of one namespace.
  bool active(const std::string& ns) const { return active_(ns); }

 private:
  const model::Store& store_;
  NamespaceScope scope_;
  mutable std::array<std::optional<std::vector<model::ObjectPtr>>, model::kKindCount> listings_{};
  mutable ActiveNamespaces active_;
};

// The namespace an object counts towards: a Namespace its own name, any
// other object its namespace.
inline const std::string& scope_of(const model::Object& object) {
  const model::ObjectMeta& meta = model::meta(object);
  return std::holds_alternative<model::Namespace>(object) ? meta.name : meta.namespace_;
}

}  // namespace sasim::properties
