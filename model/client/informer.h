// Informer: one kind's lagging local cache, as client-go's shared informer
// keeps it, with its event handlers.
//
// The cache is filled by the initial LIST (replace) and then by watch events
// in commit order (apply). Handlers run synchronously when the cache
// changes; in the controllers they only enqueue keys, as upstream's do.
//
// A re-list after a watch gap compares the new list with the cache: objects
// that disappeared are delivered as deletions with tombstone = true, which
// is client-go's DeletedFinalStateUnknown. Some upstream handlers ignore
// tombstones (tokens controller, S4): that is how a missed deletion is lost.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/api/request.h"
#include "model/objects/object.h"
#include "model/objects/object_index.h"
#include "sim/time.h"

namespace sasim::model::client {

struct InformerHandlers {
  std::function<void(const ObjectPtr&)> on_add{};
  std::function<void(const ObjectPtr& old_object, const ObjectPtr& new_object)> on_update{};
  std::function<void(const ObjectPtr& last, bool tombstone)> on_delete{};
};

class Informer {
 public:
  Informer(Kind kind, sim::Duration watch_lag) : kind_(kind), watch_lag_(watch_lag) {}

  Kind kind() const { return kind_; }
  sim::Duration watch_lag() const { return watch_lag_; }
  void add_handlers(InformerHandlers handlers) { handlers_.push_back(std::move(handlers)); }

  // Lister: the cached object, or null.
  ObjectPtr get(const std::string& ns, const std::string& name) const;
  // Cached objects of a namespace (every namespace if empty), in name order.
  std::vector<ObjectPtr> list(const std::string& ns = "") const;
  template <class Fn>
  void for_each_in(const std::string& ns, Fn&& fn) const {
    for (auto it = cache_.namespace_begin(ns); it != cache_.end() && it->first.namespace_ == ns; ++it) {
      fn(it->second);
    }
  }
  std::size_t size() const { return cache_.size(); }

  bool has_synced() const { return synced_; }
  std::uint64_t watch_id() const { return watch_id_; }
  std::uint64_t last_resource_version() const { return last_rv_; }

  // The initial (or re-)LIST of a new watch.
  void replace(const std::vector<ObjectPtr>& items, std::uint64_t resource_version, std::uint64_t watch_id);
  // A watch event; events of an older watch are ignored.
  void apply(const WatchEvent& event);
  // The watch broke: events stop until the next replace().
  void watch_closed() { watch_id_ = 0; }
  // The process died: the cache is gone.
  void reset();

 private:
  void added(const ObjectPtr& object);
  void updated(const ObjectPtr& old_object, const ObjectPtr& new_object);
  void deleted(const ObjectPtr& last, bool tombstone);

  Kind kind_;
  sim::Duration watch_lag_;
  std::vector<InformerHandlers> handlers_;
  ObjectIndex cache_;
  bool synced_ = false;
  std::uint64_t watch_id_ = 0;
  std::uint64_t last_rv_ = 0;
};

}  // namespace sasim::model::client
