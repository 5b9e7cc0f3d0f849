#include "model/client/informer.h"

namespace sasim::model::client {

ObjectPtr Informer::get(const std::string& ns, const std::string& name) const {
  return cache_.find(is_namespaced(kind_) ? std::string_view(ns) : std::string_view(), name);
}

std::vector<ObjectPtr> Informer::list(const std::string& ns) const {
  std::vector<ObjectPtr> out;
  if (ns.empty()) {
    out.reserve(cache_.size());
    for (const auto& [key, object] : cache_) out.push_back(object);
  } else {
    for_each_in(ns, [&](const ObjectPtr& object) { out.push_back(object); });
  }
  return out;
}

void Informer::added(const ObjectPtr& object) {
  for (const auto& h : handlers_) {
    if (h.on_add) h.on_add(object);
  }
}

void Informer::updated(const ObjectPtr& old_object, const ObjectPtr& new_object) {
  for (const auto& h : handlers_) {
    if (h.on_update) h.on_update(old_object, new_object);
  }
}

void Informer::deleted(const ObjectPtr& last, bool tombstone) {
  for (const auto& h : handlers_) {
    if (h.on_delete) h.on_delete(last, tombstone);
  }
}

void Informer::replace(const std::vector<ObjectPtr>& items, std::uint64_t resource_version, std::uint64_t watch_id) {
  ObjectIndex fresh;
  for (const ObjectPtr& item : items) {
    // A list names each key once; were one named twice, the first would stay.
    const ObjectMeta& m = meta(*item);
    if (!fresh.contains(m.namespace_, m.name)) fresh.put(item);
  }
  // Disappeared while we were not watching: a tombstone, as DeltaFIFO.Replace
  // delivers it.
  std::vector<ObjectPtr> gone;
  for (const auto& [key, object] : cache_) {
    if (!fresh.contains(key.namespace_, key.name)) gone.push_back(object);
  }
  ObjectIndex previous = std::move(cache_);
  // Moved, not copied: a copy of a 100,000-entry index per re-list was a
  // visible share of a large bootstrap. Handlers only read the cache.
  cache_ = std::move(fresh);
  watch_id_ = watch_id;
  last_rv_ = resource_version;
  synced_ = true;
  for (const ObjectPtr& object : gone) deleted(object, /*tombstone=*/true);
  for (const auto& [key, object] : cache_) {
    const ObjectPtr was = previous.find(key.namespace_, key.name);
    if (!was) {
      added(object);
    } else {
      // client-go's Replace sends a Sync (an update) for every listed object.
      updated(was, object);
    }
  }
}

void Informer::apply(const WatchEvent& event) {
  if (event.watch_id != watch_id_ || watch_id_ == 0 || !event.object) return;
  const ObjectMeta& m = meta(*event.object);
  const ObjectKeyView key{m.namespace_, m.name};
  last_rv_ = m.resource_version;
  switch (event.type) {
    case WatchEventType::kAdded:
    case WatchEventType::kModified: {
      ObjectPtr old_object = cache_.put(event.object);
      if (!old_object) {
        added(event.object);
      } else {
        updated(old_object, event.object);
      }
      break;
    }
    case WatchEventType::kDeleted: {
      cache_.erase(key.namespace_, key.name);
      deleted(event.object, /*tombstone=*/false);
      break;
    }
  }
}

void Informer::reset() {
  cache_.clear();
  synced_ = false;
  watch_id_ = 0;
  last_rv_ = 0;
}

}  // namespace sasim::model::client
