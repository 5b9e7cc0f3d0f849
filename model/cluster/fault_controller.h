// FaultController: starts and heals the faults of the scenario format (§7)
// on a running Cluster. Partitions and delays go to the Transport (the
// network every message crosses); errors, crashAfter, stale and dropEvents
// to the FaultInjector that the apiserver consults; crashes and restarts are
// simulator events.
//
// Semantics (docs/scenarios.md, "Faults"):
// - crash: the actor dies now and restarts after restart_after (default its
//   restart_delay); healing a crash restarts a still-dead actor at once.
//   "apiserver" may crash too: every connection breaks (as apiserverRestart)
//   and it is down until it restarts.
// - crashAfter: one-shot; the actor dies when the apiserver has committed
//   its next matching request, before the response reaches it, and restarts
//   after its restart_delay.
// - partition: the actor's requests, their answers and its watch events are
//   lost on the transport (requests time out on the client,
//   ClientOptions::request_timeout); on heal its watches are closed, so it
//   re-lists.
// - delay, errors, stale, dropEvents: active until healed (dropEvents and
//   errors with count also end when used up, but stay healable).
// - apiserverRestart: the apiserver crashes and restarts at once.
// Every fault is noted in the trace ("fault start ...", "fault heal ...").
// Faults of the same kind stack (see FaultInjector). Faults on actors that do
// not exist, or on kubectl (the harness's own hands), are noted and ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/faults/fault_spec.h"
#include "model/faults/injector.h"
#include "model/faults/transport.h"
#include "sim/simulator.h"

namespace sasim::model {

class Cluster;

class FaultController {
 public:
  FaultController(sim::Simulator& simulator, Cluster& cluster, faults::FaultInjector& injector,
                  faults::Transport& transport);

  // Starts a fault now; with `for_` it heals itself that much later.
  void start(faults::FaultSpec spec, std::string name = {}, std::optional<sim::Duration> for_ = std::nullopt);
  // Heals every active fault named `name`; false if there was none.
  bool heal(const std::string& name);
  void heal_all();
  std::size_t active() const { return running_.size(); }

  // The crashAfter action, called by the apiserver inside its event.
  void crash(sim::ActorId actor, std::optional<sim::Duration> restart_after);

 private:
  struct Running {
    std::string name{};
    faults::FaultSpec spec{};
    std::optional<faults::FaultInjector::Id> injected{};
    std::optional<faults::Transport::Id> transported{};
    sim::ActorId actor{};  // crash faults and partitions: the actor struck
    sim::EventHandle auto_heal{};
  };
  void heal_one(std::uint64_t id);
  // The actor a fault names (none for "apiserver" in request faults: every client).
  std::optional<sim::ActorId> resolve(const std::string& actor, bool apiserver_means_everyone) const;
  sim::Duration restart_delay(sim::ActorId actor) const;

  sim::Simulator& simulator_;
  Cluster& cluster_;
  faults::FaultInjector& injector_;
  faults::Transport& transport_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Running> running_;
};

}  // namespace sasim::model
