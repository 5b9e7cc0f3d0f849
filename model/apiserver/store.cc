#include "model/apiserver/store.h"

#include <fmt/format.h>

#include "model/client/name_generator.h"
#include "model/objects/equality.h"

namespace sasim::model {
namespace {

std::string precondition_failed(std::string_view what, std::string_view wanted, std::string_view actual) {
  return fmt::format("Precondition failed: {} in precondition: {}, {} in object meta: {}", what, wanted, what, actual);
}

}  // namespace

ObjectPtr Store::get(Kind kind, const std::string& ns, const std::string& name) const {
  return objects_[index(kind)].find(is_namespaced(kind) ? std::string_view(ns) : std::string_view(), name);
}

std::vector<ObjectPtr> Store::list(Kind kind, const std::string& ns) const {
  const Table& table = objects_[index(kind)];
  std::vector<ObjectPtr> out;
  if (ns.empty() || !is_namespaced(kind)) {
    out.reserve(table.size());
    for (const auto& [key, object] : table) out.push_back(object);
    return out;
  }
  for (auto it = table.namespace_begin(ns); it != table.end() && it->first.namespace_ == ns; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::string Store::new_uid() {
  const std::uint64_t hi = prng_.next_u64();
  const std::uint64_t lo = prng_.next_u64();
  // Version 4, variant 10xx, as uuid.NewRandom() produces.
  const std::uint64_t a = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t b = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFFF, b >> 48,
                     b & 0xFFFFFFFFFFFFULL);
}

void Store::publish(WatchEventType type, ObjectPtr object, ObjectPtr previous) {
  if (listener_) listener_(StoreChange{type, std::move(object), std::move(previous)});
}

void Store::count_bound_pod(const Object* before, const Object* after) {
  auto node_of = [](const Object* object) -> const std::string* {
    const Pod* pod = object != nullptr ? std::get_if<Pod>(object) : nullptr;
    return pod != nullptr && !pod->spec.node_name.empty() ? &pod->spec.node_name : nullptr;
  };
  const std::string* was = node_of(before);
  const std::string* is = node_of(after);
  if (was != nullptr && is != nullptr && *was == *is) return;
  if (was != nullptr) {
    auto it = pods_on_node_.find(*was);
    if (it != pods_on_node_.end() && --it->second == 0) pods_on_node_.erase(it);
  }
  if (is != nullptr) ++pods_on_node_[*is];
}

std::size_t Store::pods_on_node(std::string_view node) const {
  auto it = pods_on_node_.find(node);
  return it == pods_on_node_.end() ? 0 : it->second;
}

StoreResult Store::create(Object object, sim::Time now) {
  const Kind kind = kind_of(object);
  ObjectMeta& m = meta(object);
  if (!is_namespaced(kind)) m.namespace_.clear();
  Table& table = objects_[index(kind)];
  if (m.name.empty() && !m.generate_name.empty()) {
    // The registry retries nothing on a generated-name collision: it
    // answers AlreadyExists, as upstream does.
    m.name = client::generate_name(m.generate_name, prng_);
  }
  if (table.contains(m.namespace_, m.name)) {
    return sim::unexpected(status_already_exists(resource_name(kind), m.name));
  }
  if (before_change_) before_change_(ObjectId{kind, m.namespace_, m.name});
  m.uid = new_uid();
  m.resource_version = ++resource_version_;
  m.creation_timestamp = now;
  m.deletion_timestamp.reset();
  m.deletion_grace_period_seconds.reset();
  auto stored = std::make_shared<const Object>(std::move(object));
  table.put(stored);
  count_bound_pod(nullptr, stored.get());
  publish(WatchEventType::kAdded, stored, nullptr);
  return stored;
}

StoreResult Store::update(Object object) { return replace(std::move(object), /*keep_deletion_fields=*/true); }

StoreResult Store::mark_deleting(Object object) { return replace(std::move(object), /*keep_deletion_fields=*/false); }

StoreResult Store::replace(Object object, bool keep_deletion_fields) {
  const Kind kind = kind_of(object);
  ObjectMeta& m = meta(object);
  if (!is_namespaced(kind)) m.namespace_.clear();
  Table& table = objects_[index(kind)];
  const ObjectPtr current = table.find(m.namespace_, m.name);
  if (!current) return sim::unexpected(status_not_found(resource_name(kind), m.name));
  const ObjectMeta& old = meta(*current);
  if (!m.uid.empty() && m.uid != old.uid) {
    return sim::unexpected(status_conflict(resource_name(kind), m.name, precondition_failed("UID", m.uid, old.uid)));
  }
  if (m.resource_version != 0 && m.resource_version != old.resource_version) {
    return sim::unexpected(status_conflict_modified(resource_name(kind), m.name));
  }
  m.uid = old.uid;
  m.creation_timestamp = old.creation_timestamp;
  if (keep_deletion_fields) {
    if (old.deletion_timestamp) m.deletion_timestamp = old.deletion_timestamp;
    if (old.deletion_grace_period_seconds && !m.deletion_grace_period_seconds) {
      m.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    }
  }
  // A write that changes nothing is not written (etcd3's GuaranteedUpdate
  // compares the encoded bytes): the object keeps its resourceVersion and no
  // watch sees an event, which is how `kubectl patch` tells "(no change)".
  m.resource_version = old.resource_version;
  if (equivalent(object, *current)) return current;
  if (before_change_) before_change_(ObjectId{kind, m.namespace_, m.name});
  m.resource_version = ++resource_version_;
  auto stored = std::make_shared<const Object>(std::move(object));
  ObjectPtr previous = table.put(stored);
  count_bound_pod(previous.get(), stored.get());
  publish(WatchEventType::kModified, stored, std::move(previous));
  return stored;
}

std::optional<ApiStatus> Store::precondition_failure(const Object& stored, const Preconditions& preconditions) const {
  const ObjectMeta& old = meta(stored);
  const Kind kind = kind_of(stored);
  if (preconditions.uid && *preconditions.uid != old.uid) {
    return status_conflict(resource_name(kind), old.name, precondition_failed("UID", *preconditions.uid, old.uid));
  }
  if (preconditions.resource_version && *preconditions.resource_version != old.resource_version) {
    return status_conflict(resource_name(kind), old.name,
                           precondition_failed("ResourceVersion", std::to_string(*preconditions.resource_version),
                                               std::to_string(old.resource_version)));
  }
  return std::nullopt;
}

StoreResult Store::remove(Kind kind, const std::string& ns, const std::string& name,
                          const Preconditions& preconditions) {
  Table& table = objects_[index(kind)];
  const ObjectPtr current = table.find(is_namespaced(kind) ? std::string_view(ns) : std::string_view(), name);
  if (!current) return sim::unexpected(status_not_found(resource_name(kind), name));
  if (auto failed = precondition_failure(*current, preconditions)) return sim::unexpected(std::move(*failed));
  // The deletion is a write: the watch sees the last state stamped with
  // the deletion's revision, as etcd3's watch does.
  if (before_change_) before_change_(ObjectId{kind, meta(*current).namespace_, meta(*current).name});
  Object last = *current;
  meta(last).resource_version = ++resource_version_;
  auto deleted = std::make_shared<const Object>(std::move(last));
  ObjectPtr previous = table.erase(meta(*current).namespace_, meta(*current).name);
  count_bound_pod(previous.get(), nullptr);
  publish(WatchEventType::kDeleted, deleted, std::move(previous));
  return deleted;
}

}  // namespace sasim::model
