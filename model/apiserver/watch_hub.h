// WatchHub: the apiserver's watches. Each committed change of a kind goes
// to every watcher of that kind, in commit order, after the watch latency
// plus the watcher's own lag. A watcher never sees events out of order even
// when the latency is random: each delivery is scheduled no earlier than the
// previous one to the same watcher (the engine breaks time ties by sequence).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "model/apiserver/store.h"
#include "model/faults/injector.h"
#include "sim/actor.h"
#include "sim/distribution.h"

namespace sasim::model {

class WatchHub {
 public:
  struct Watcher {
    sim::ActorId actor;
    Kind kind = Kind::kNamespace;
    std::uint64_t watch_id = 0;
    std::uint32_t incarnation = 0;
    sim::Duration lag;
    sim::Time last_delivery;
  };

  explicit WatchHub(sim::DurationDistribution latency) : latency_(std::move(latency)) {}

  // One watch per (actor, kind): a new one from the same actor replaces the
  // old, which belonged to a dead incarnation or a broken connection.
  // A watch opened for an older incarnation of the actor than the one
  // watching already (a request of a process that has since crashed and
  // restarted, served late) replaces nothing: that connection is dead. It
  // gets id 0.
  std::uint64_t open(sim::ActorId actor, Kind kind, sim::Duration lag, std::uint32_t incarnation = 0);
  // Sends the change to every watcher of its kind.
  void publish(sim::Context& ctx, const StoreChange& change);
  // Breaks every watch (apiserver restart): watchers are told to re-list.
  void close_all(sim::Context& ctx);
  // Changes an actor's lag (stale-cache faults).
  void set_lag(sim::ActorId actor, sim::Duration lag);
  // Breaks the watches of one actor (the end of its partition): it re-lists.
  void close_actor(sim::Context& ctx, sim::ActorId actor);
  // Faults: stale watchers get events late, dropEvents loses some (a
  // partitioned watcher's events are lost on the transport). Not owned;
  // null: no faults.
  void set_fault_injector(faults::FaultInjector* injector, const std::map<sim::ActorId, std::string>* names) {
    injector_ = injector;
    names_ = names;
  }
  std::size_t size() const { return watchers_.size(); }

 private:
  std::string name_of(sim::ActorId actor) const;
  sim::DurationDistribution latency_;
  std::uint64_t next_id_ = 1;
  std::map<std::pair<sim::ActorId, Kind>, Watcher> watchers_;
  // Watches a restart broke and their actor has not opened again: changes
  // in that gap reach the actor only through its re-list.
  std::set<std::pair<sim::ActorId, Kind>> broken_;
  faults::FaultInjector* injector_ = nullptr;
  const std::map<sim::ActorId, std::string>* names_ = nullptr;
};

}  // namespace sasim::model
