// Store: the apiserver's storage (etcd plus the registry's generic logic).
//
// One global resourceVersion counter, as etcd's revision: every committed
// write gets the next value, and the object carries it. UIDs are drawn from
// the apiserver's own Prng as RFC 4122 version-4 strings, so they repeat
// with the seed. Writes are checked here for what the registry checks
// generically (existence, optimistic concurrency, delete preconditions);
// validation, admission and namespace lifecycle belong to the apiserver
// actor, which calls this.
//
// Every committed change is passed to the change listener, in commit order:
// the apiserver fans them out to watches.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/api/request.h"
#include "model/api/status.h"
#include "model/objects/object.h"
#include "model/objects/object_index.h"
#include "sim/prng.h"
#include "sim/result.h"
#include "sim/time.h"

namespace sasim::model {

struct StoreChange {
  WatchEventType type = WatchEventType::kAdded;
  ObjectPtr object;    // the new state; for deletions, the last state with the deletion's resourceVersion
  ObjectPtr previous;  // null for kAdded
  // Who made the change, as an audit log names the requesting user
  // ("tokens-controller", "kubectl"); empty for what the cluster starts
  // with. Filled in by the apiserver for its observers.
  std::string user{};
};

using StoreResult = sim::Result<ObjectPtr, ApiStatus>;

class Store {
 public:
  explicit Store(sim::Prng prng) : prng_(prng) {}

  ObjectPtr get(Kind kind, const std::string& ns, const std::string& name) const;
  // Objects of a kind in name order; `ns` empty means every namespace.
  std::vector<ObjectPtr> list(Kind kind, const std::string& ns = "") const;
  std::size_t count(Kind kind) const { return objects_[index(kind)].size(); }

  // Assigns uid, resourceVersion and creationTimestamp; a name from
  // generateName when the name is empty. AlreadyExists if taken.
  StoreResult create(Object object, sim::Time now);
  // Replaces the stored object. A non-zero resourceVersion in `object` must
  // equal the stored one (Conflict otherwise); zero means unconditional, as
  // the core kinds allow. uid (when set) must match; uid and
  // creationTimestamp are kept from the stored object, and so are a set
  // deletionTimestamp and deletionGracePeriodSeconds: an update never
  // changes them (rest.BeforeUpdate).
  // An update that changes nothing returns the stored object as it is: no
  // new resourceVersion, no change published.
  StoreResult update(Object object);
  // The write of a DELETE that does not remove the object yet (graceful
  // deletion, pending finalizers): as update(), but the deletionTimestamp
  // and deletionGracePeriodSeconds are the object's.
  StoreResult mark_deleting(Object object);
  StoreResult remove(Kind kind, const std::string& ns, const std::string& name, const Preconditions& preconditions);
  // The Conflict a delete with these preconditions gets for `stored`, if any.
  std::optional<ApiStatus> precondition_failure(const Object& stored, const Preconditions& preconditions) const;

  std::uint64_t resource_version() const { return resource_version_; }
  // How many stored pods are bound to `node` (spec.nodeName), kept as pods
  // are written: the scheduler's count, without listing every pod for
  // every pod it binds.
  std::size_t pods_on_node(std::string_view node) const;
  void set_change_listener(std::function<void(const StoreChange&)> listener) { listener_ = std::move(listener); }
  // Called just before a write changes what is stored (the change listener
  // runs after): whoever accounts for work that assumed nothing changed
  // (the kubelet's idle runs) closes what read the object written, against
  // the old contents.
  void set_before_change(std::function<void(const ObjectId& written)> hook) { before_change_ = std::move(hook); }

  // A random RFC 4122 v4 UID from the store's stream.
  std::string new_uid();

 private:
  using Table = ObjectIndex;
  static std::size_t index(Kind kind) { return static_cast<std::size_t>(kind); }
  void publish(WatchEventType type, ObjectPtr object, ObjectPtr previous);
  StoreResult replace(Object object, bool keep_deletion_fields);

  sim::Prng prng_;
  std::uint64_t resource_version_ = 0;
  Table objects_[kKindCount];
  std::function<void(const StoreChange&)> listener_;
  std::function<void(const ObjectId& written)> before_change_;
  std::map<std::string, std::size_t, std::less<>> pods_on_node_;
  void count_bound_pod(const Object* before, const Object* after);
};

}  // namespace sasim::model
