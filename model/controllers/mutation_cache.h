// MutationCache: client-go's IntegerResourceVersionMutationCache as the
// tokens controller uses it (E2-E5: TTL 60 s, includeAdds = true) over its
// Secret informer.
//
// The controller records each token Secret it creates, so that its own
// later syncs see the Secret before the watch delivers it (#45933). Reads
// return the newer of the informer's copy and the recorded one by
// resourceVersion; with includeAdds, a recorded Secret the informer does
// not have is returned too, even one the informer saw deleted, until it
// expires. The recorded entries live in an LRU of 100 entries
// (utilcache.NewLRUExpireCache(100)), so at scale only recent creations
// are remembered.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "model/client/informer.h"
#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::model::controllers {

class MutationCache {
 public:
  static constexpr std::size_t kCapacity = 100;
  static constexpr sim::Duration kTtl = sim::Duration::seconds(60);

  explicit MutationCache(const client::Informer& backing) : backing_(backing) {}

  ObjectPtr get(const std::string& ns, const std::string& name, sim::Time now);
  // The namespace's objects: the informer's (each replaced by a newer
  // recorded version), then recorded ones the informer lacks, oldest first.
  std::vector<ObjectPtr> by_namespace(const std::string& ns, sim::Time now);
  void mutation(ObjectPtr object, sim::Time now);
  void clear();

 private:
  struct Entry {
    ObjectPtr object;
    sim::Time expires;
    std::list<ObjectKey>::iterator position;  // in lru_, most recent at the back
  };
  // The recorded entry if present and unexpired (refreshing its recency, as
  // LRUExpireCache.Get does); expired entries are dropped.
  ObjectPtr recorded(ObjectKeyView key, sim::Time now);
  static ObjectPtr newer(const ObjectPtr& backing, const ObjectPtr& recorded);

  const client::Informer& backing_;
  std::map<ObjectKey, Entry, ObjectKeyLess> entries_;
  std::list<ObjectKey> lru_;
};

}  // namespace sasim::model::controllers
