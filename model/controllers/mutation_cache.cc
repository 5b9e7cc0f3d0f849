#include "model/controllers/mutation_cache.h"

namespace sasim::model::controllers {

ObjectPtr MutationCache::recorded(ObjectKeyView key, sim::Time now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.expires) {
    lru_.erase(it->second.position);
    entries_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.end(), lru_, it->second.position);
  return it->second.object;
}

ObjectPtr MutationCache::newer(const ObjectPtr& backing, const ObjectPtr& mutated) {
  if (!mutated) return backing;
  if (!backing) return mutated;
  // IntegerResourceVersionMutationCache compares resourceVersions as integers.
  return meta(*mutated).resource_version > meta(*backing).resource_version ? mutated : backing;
}

ObjectPtr MutationCache::get(const std::string& ns, const std::string& name, sim::Time now) {
  return newer(backing_.get(ns, name), recorded(ObjectKeyView{ns, name}, now));
}

std::vector<ObjectPtr> MutationCache::by_namespace(const std::string& ns, sim::Time now) {
  std::vector<ObjectPtr> out;
  backing_.for_each_in(ns, [&](const ObjectPtr& object) { out.push_back(object); });
  for (ObjectPtr& object : out) {
    const ObjectMeta& m = meta(*object);
    object = newer(object, recorded(ObjectKeyView{m.namespace_, m.name}, now));
  }
  std::vector<ObjectKey> extra;
  for (const ObjectKey& key : lru_) {
    if (key.namespace_ == ns && !backing_.get(key.namespace_, key.name)) extra.push_back(key);
  }
  for (const ObjectKey& key : extra) {
    if (ObjectPtr object = recorded(ObjectKeyLess::view(key), now)) out.push_back(object);
  }
  return out;
}

void MutationCache::mutation(ObjectPtr object, sim::Time now) {
  const ObjectKey key = key_of(*object);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    lru_.erase(it->second.position);
    entries_.erase(it);
  }
  if (entries_.size() >= kCapacity) {
    entries_.erase(lru_.front());
    lru_.pop_front();
  }
  lru_.push_back(key);
  entries_.emplace(key, Entry{std::move(object), now + kTtl, std::prev(lru_.end())});
}

void MutationCache::clear() {
  entries_.clear();
  lru_.clear();
}

}  // namespace sasim::model::controllers
