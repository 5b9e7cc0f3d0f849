#include "model/cluster/fault_controller.h"

#include "model/cluster/cluster.h"
#include "sim/duration_text.h"

namespace sasim::model {

FaultController::FaultController(sim::Simulator& simulator, Cluster& cluster, faults::FaultInjector& injector,
                                 faults::Transport& transport)
    : simulator_(simulator), cluster_(cluster), injector_(injector), transport_(transport) {}

std::optional<sim::ActorId> FaultController::resolve(const std::string& actor, bool apiserver_means_everyone) const {
  if (actor == faults::kEveryClient && apiserver_means_everyone) return sim::ActorId::none();
  if (actor == faults::kAdmission) return simulator_.find_actor(Cluster::kApiServer);
  if (actor == Cluster::kKubectl) return std::nullopt;  // the harness's hands do not fail
  const sim::ActorId id = simulator_.find_actor(actor);
  if (!id.valid()) return std::nullopt;
  return id;
}

sim::Duration FaultController::restart_delay(sim::ActorId actor) const {
  const std::string& name = simulator_.actor_name(actor);
  const ClusterConfig& config = cluster_.config();
  if (name == Cluster::kTokensController) return config.tokens_controller.base.restart_delay;
  if (name == Cluster::kServiceAccountsController) return config.serviceaccounts_controller.base.restart_delay;
  if (name == Cluster::kNamespaceController) return config.namespace_controller.base.restart_delay;
  if (name == Cluster::kRootCaPublisher) return config.root_ca_publisher.base.restart_delay;
  if (name == Cluster::kLegacyTokenCleaner) return config.legacy_token_cleaner.base.restart_delay;
  if (name == Cluster::kKubelet) return config.kubelet.restart_delay;
  return sim::Duration::seconds(10);
}

void FaultController::crash(sim::ActorId actor, std::optional<sim::Duration> restart_after) {
  cluster_.kubelet().stop_idle_elision();
  const sim::Duration after = restart_after.value_or(restart_delay(actor));
  simulator_.note("fault crash", "fault crash " + simulator_.actor_name(actor) + ", restart after " + sim::format_duration(after));
  simulator_.crash_at(simulator_.now(), actor, after);
}

void FaultController::start(faults::FaultSpec spec, std::string name, std::optional<sim::Duration> for_) {
  // Idle runs do not model faults on the way (kubelet.h): none from here on.
  cluster_.kubelet().stop_idle_elision();
  const std::string what = faults::describe(spec);
  Running running{.name = std::move(name), .spec = spec};
  const bool ok = std::visit(
      [&](const auto& f) -> bool {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, faults::ApiserverRestartSpec>) {
          simulator_.crash_at(simulator_.now(), simulator_.find_actor(Cluster::kApiServer), sim::Duration::zero());
          return true;
        } else {
          constexpr bool everyone = std::is_same_v<T, faults::DelaySpec> || std::is_same_v<T, faults::ErrorsSpec> ||
                                    std::is_same_v<T, faults::PartitionSpec>;
          std::optional<sim::ActorId> target = resolve(f.actor, everyone);
          if (!target) return false;
          // The apiserver cannot be cut off from itself, nor send requests.
          if constexpr (std::is_same_v<T, faults::PartitionSpec> || std::is_same_v<T, faults::CrashAfterSpec>) {
            if (*target == simulator_.find_actor(Cluster::kApiServer)) return false;
          }
          running.actor = *target;
          if constexpr (std::is_same_v<T, faults::CrashSpec>) {
            crash(*target, f.restart_after);
          } else if constexpr (std::is_same_v<T, faults::PartitionSpec>) {
            running.transported = transport_.partition(*target);
          } else if constexpr (std::is_same_v<T, faults::DelaySpec>) {
            running.transported = transport_.delay(*target, f.extra);
          } else {
            running.injected = injector_.add(spec, *target, f.actor);
          }
          return true;
        }
      },
      spec);
  if (!ok) {
    simulator_.note("fault ignored", "fault ignored (no such actor, or not one it can strike): " + what);
    return;
  }
  simulator_.note("fault start", "fault start " + what);
  const std::uint64_t id = next_id_++;
  if (for_) {
    running.auto_heal = simulator_.call_at(simulator_.now() + *for_, "heal " + what,
                                           [this, id](sim::Simulator&) { heal_one(id); });
  }
  running_.emplace(id, std::move(running));
}

void FaultController::heal_one(std::uint64_t id) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  Running running = std::move(it->second);
  running_.erase(it);
  if (running.auto_heal.valid()) simulator_.cancel(running.auto_heal);
  simulator_.note("fault heal", "fault heal " + faults::describe(running.spec));
  if (running.injected) injector_.remove(*running.injected);
  if (running.transported) transport_.remove(*running.transported);
  if (std::holds_alternative<faults::CrashSpec>(running.spec)) {
    // A no-op if it is up by then (restarted already, or never went down).
    simulator_.restart_at(simulator_.now(), running.actor);
  } else if (std::holds_alternative<faults::PartitionSpec>(running.spec)) {
    // The connection comes back: broken watches are noticed, clients
    // re-list. A partition of everyone breaks every actor's watches.
    const sim::ActorId apiserver = simulator_.find_actor(Cluster::kApiServer);
    for (std::uint32_t i = 0; i < simulator_.actor_count(); ++i) {
      const sim::ActorId actor{i};
      if (running.actor.valid() ? actor != running.actor : actor == apiserver) continue;
      auto command = std::make_unique<BreakWatches>();
      command->actor = actor;
      simulator_.send(apiserver, sim::Duration::zero(), kTagBreakWatches, std::move(command));
    }
  }
}

bool FaultController::heal(const std::string& name) {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, running] : running_) {
    if (running.name == name) ids.push_back(id);
  }
  for (std::uint64_t id : ids) heal_one(id);
  return !ids.empty();
}

void FaultController::heal_all() {
  while (!running_.empty()) heal_one(running_.begin()->first);
}

}  // namespace sasim::model
