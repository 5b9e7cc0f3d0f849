// FaultInjector: the faults the apiserver itself plays out: the answers it
// gives (errors), the client it kills after a commit (crashAfter), and how
// its watches feed an actor's informers (stale, dropEvents). It decides and
// counts; it does not act on the simulator (crashes and heals are
// model/cluster's FaultController). Partitions and delays are not here: they
// are faults of the network between the actors (transport.h).
//
// Overlapping faults stack: stale lags add up, every errors fault draws in
// the order the faults started and the first that fires decides the answer,
// dropEvents counts are used up oldest first. Random draws (rates) come from
// the injector's own stream, forked from the simulator's seed, so a run
// repeats with its seed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/api/request.h"
#include "model/api/status.h"
#include "model/faults/fault_spec.h"
#include "model/faults/weakness_log.h"
#include "sim/ids.h"
#include "sim/prng.h"

namespace sasim::model::faults {

// The Status body a failing apiserver answers with, by code, shaped as
// apimachinery's errors package shapes them (Retry-After on 429 and 503).
ApiStatus injected_status(int code, Verb verb, Kind kind, const std::string& name);

class FaultInjector {
 public:
  using Id = std::uint64_t;

  FaultInjector(sim::Prng prng, WeaknessLog* weaknesses) : prng_(prng), weaknesses_(weaknesses) {}

  // Registers a fault that acts on requests or watches. `target`:
  // ActorId::none() means every client (errors of "apiserver"). Crash
  // faults, apiserverRestart, partitions and delays are not registered here.
  Id add(FaultSpec spec, sim::ActorId target, std::string target_name);
  bool remove(Id id);
  bool active(Id id) const { return active_.count(id) != 0; }
  std::size_t size() const { return active_.size(); }

  struct RequestFate {
    std::optional<ApiStatus> error{};
    bool after_commit = false;  // apply the request, then answer `error`
  };
  // Called when a request of `from` arrives at the apiserver.
  RequestFate on_request(sim::ActorId from, const ApiRequest& request);
  // A request of `from` succeeded: true if a crashAfter fault matches it
  // (the fault is used up and removed).
  bool take_crash_after(sim::ActorId from, Verb verb, Kind kind);
  sim::Duration extra_watch_lag(sim::ActorId watcher) const;
  // Whether this event is lost on its way to `watcher` (uses up a
  // dropEvents count and records the weakness it leaves).
  bool drop_watch_event(sim::ActorId watcher, const std::string& watcher_name, const Object& object, sim::Time now);
  // A change committed while an apiserver restart had broken `watcher`'s
  // watch and it had not watched again: its re-list shows only what exists
  // then, so an object created and deleted in the gap (or deleted before
  // the informer ever saw it) is never seen. Records the weakness; the
  // event is not dropped (there was no watch to carry it).
  void note_unwatched_change(const std::string& watcher_name, const Object& object, sim::Time now);

 private:
  void record_watch_event_lost(const std::string& watcher_name, const Object& object, sim::Time now);
  struct Active {
    FaultSpec spec{};
    sim::ActorId target{};
    std::string target_name{};
    std::int64_t remaining = -1;  // count-limited faults; -1: unlimited
  };
  static bool strikes(const Active& fault, sim::ActorId actor) {
    return !fault.target.valid() || fault.target == actor;
  }

  sim::Prng prng_;
  WeaknessLog* weaknesses_;
  Id next_id_ = 1;
  std::map<Id, Active> active_;
};

}  // namespace sasim::model::faults
