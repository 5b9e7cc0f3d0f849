#include "model/client/informer.h"

namespace sasim::model::client {

ObjectPtr Informer::get(const std::string& ns, const std::string& name) const {
  auto it = cache_.find(ObjectKeyView{is_namespaced(kind_) ? std::string_view(ns) : std::string_view(), name});
  return it == cache_.end() ? nullptr : it->second;
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
  std::map<ObjectKey, ObjectPtr, ObjectKeyLess> fresh;
  for (const ObjectPtr& item : items) fresh.emplace_hint(fresh.end(), key_of(*item), item);
  // Disappeared while we were not watching: a tombstone, as DeltaFIFO.Replace
  // delivers it.
  std::vector<ObjectPtr> gone;
  for (const auto& [key, object] : cache_) {
    if (fresh.count(key) == 0) gone.push_back(object);
  }
  std::map<ObjectKey, ObjectPtr, ObjectKeyLess> previous = std::move(cache_);
  // Moved, not copied: a copy of a 100,000-entry index per re-list was a
  // visible share of a large bootstrap. Handlers only read the cache.
  cache_ = std::move(fresh);
  watch_id_ = watch_id;
  last_rv_ = resource_version;
  synced_ = true;
  for (const ObjectPtr& object : gone) deleted(object, /*tombstone=*/true);
  for (const auto& [key, object] : cache_) {
    auto it = previous.find(key);
    if (it == previous.end()) {
      added(object);
    } else {
      // client-go's Replace sends a Sync (an update) for every listed object.
      updated(it->second, object);
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
      auto it = cache_.lower_bound(key);
      if (it == cache_.end() || ObjectKeyLess{}(key, it->first)) {
        cache_.emplace_hint(it, key_of(*event.object), event.object);
        added(event.object);
      } else {
        ObjectPtr old_object = it->second;
        it->second = event.object;
        updated(old_object, event.object);
      }
      break;
    }
    case WatchEventType::kDeleted: {
      if (auto it = cache_.find(key); it != cache_.end()) cache_.erase(it);
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
