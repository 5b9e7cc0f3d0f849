// ObjectIndex: objects by (namespace, name), in key order, as the store's
// tables and the informers' caches keep them.
//
// Each entry's key views the namespace and name of the object the entry
// holds, instead of copying them: the object is immutable and the entry
// keeps it alive, so the views stay valid for as long as the entry does.
// Replacing an entry's object re-points its key at the new object before
// the old one can go. At a million accounts and seven indexes over them,
// two strings per entry were a few hundred MiB; lookups compare the same
// bytes either way, and the order is ObjectKey's (see ObjectKeyLess).
#pragma once

#include <cstddef>
#include <map>
#include <string_view>
#include <utility>

#include "model/objects/object.h"

namespace sasim::model {

class ObjectIndex {
 public:
  using Map = std::map<ObjectKeyView, ObjectPtr, ObjectKeyLess>;
  using const_iterator = Map::const_iterator;

  static ObjectKeyView key_view(const Object& object) {
    const ObjectMeta& m = meta(object);
    return {m.namespace_, m.name};
  }

  ObjectPtr find(std::string_view ns, std::string_view name) const {
    auto it = map_.find(ObjectKeyView{ns, name});
    return it == map_.end() ? nullptr : it->second;
  }
  bool contains(std::string_view ns, std::string_view name) const { return map_.count(ObjectKeyView{ns, name}) != 0; }

  // Puts `object` under its own key; returns the object it replaced (null:
  // the key was new).
  ObjectPtr put(ObjectPtr object) {
    const ObjectKeyView key = key_view(*object);
    auto it = map_.lower_bound(key);
    if (it == map_.end() || ObjectKeyLess{}(key, it->first)) {
      map_.emplace_hint(it, key, std::move(object));
      return nullptr;
    }
    // The key must view the new object before the old one is released.
    auto hint = std::next(it);
    auto node = map_.extract(it);
    node.key() = key;
    ObjectPtr old = std::exchange(node.mapped(), std::move(object));
    map_.insert(hint, std::move(node));
    return old;
  }

  // Removes the entry of (ns, name); returns its object (null: none).
  ObjectPtr erase(std::string_view ns, std::string_view name) {
    auto it = map_.find(ObjectKeyView{ns, name});
    if (it == map_.end()) return nullptr;
    ObjectPtr removed = std::move(it->second);
    map_.erase(it);
    return removed;
  }

  // The first entry of namespace `ns` (entries of a namespace are adjacent).
  const_iterator namespace_begin(std::string_view ns) const { return map_.lower_bound(ObjectKeyView{ns, ""}); }
  const_iterator begin() const { return map_.begin(); }
  const_iterator end() const { return map_.end(); }
  std::size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  void clear() { map_.clear(); }

 private:
  Map map_;
};

}  // namespace sasim::model
