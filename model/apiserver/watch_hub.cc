#include "model/apiserver/watch_hub.h"

#include <algorithm>
#include <memory>

#include "model/api/wait_categories.h"
#include "model/coverage/probes.h"

namespace sasim::model {

std::uint64_t WatchHub::open(sim::ActorId actor, Kind kind, sim::Duration lag, std::uint32_t incarnation) {
  auto existing = watchers_.find({actor, kind});
  if (existing != watchers_.end() && existing->second.incarnation > incarnation) return 0;
  broken_.erase({actor, kind});
  Watcher& w = watchers_[{actor, kind}];
  w.actor = actor;
  w.incarnation = incarnation;
  w.kind = kind;
  w.watch_id = next_id_++;
  w.lag = lag;
  w.last_delivery = sim::Time::zero();
  return w.watch_id;
}

void WatchHub::publish(sim::Context& ctx, const StoreChange& change) {
  const Kind kind = kind_of(*change.object);
  if (injector_ != nullptr) {
    for (const auto& [actor, broken_kind] : broken_) {
      if (broken_kind != kind) continue;
      coverage::probe(ctx, coverage::Probe::kS2WatchEventLost);
      injector_->note_unwatched_change(name_of(actor), *change.object, ctx.now());
    }
  }
  for (auto& [key, w] : watchers_) {
    if (w.kind != kind) continue;
    sim::Duration lag = w.lag;
    if (injector_ != nullptr) {
      const std::string name = name_of(w.actor);
      if (injector_->drop_watch_event(w.actor, name, *change.object, ctx.now())) {
        coverage::probe(ctx, coverage::Probe::kS2WatchEventLost);
        ctx.note("watch event lost", "watch event lost to " + name + ": " + std::string(resource_name(kind)) + " " +
                 meta(*change.object).namespace_ + "/" + meta(*change.object).name);
        continue;
      }
      lag = lag + injector_->extra_watch_lag(w.actor);
    }
    const sim::Time due = std::max(ctx.now() + latency_.sample(ctx.prng()) + lag, w.last_delivery);
    auto event = std::make_unique<WatchEvent>();
    event->watch_id = w.watch_id;
    event->type = change.type;
    event->object = change.object;
    // An event lost on the way (a partitioned watcher) delays nothing after it.
    if (ctx.send(w.actor, due - ctx.now(), kTagWatchEvent, std::move(event), wait::kWatchLag)) w.last_delivery = due;
  }
}

std::string WatchHub::name_of(sim::ActorId actor) const {
  if (names_ == nullptr) return "";
  auto it = names_->find(actor);
  return it != names_->end() ? it->second : std::string();
}

void WatchHub::close_all(sim::Context& ctx) {
  for (auto& [key, w] : watchers_) {
    broken_.insert(key);
    auto closed = std::make_unique<WatchClosed>();
    closed->watch_id = w.watch_id;
    ctx.send(w.actor, std::max(w.last_delivery, ctx.now()) - ctx.now(), kTagWatchClosed, std::move(closed),
             wait::kWatchLag);
  }
  watchers_.clear();
}

void WatchHub::close_actor(sim::Context& ctx, sim::ActorId actor) {
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    if (it->first.first != actor) {
      ++it;
      continue;
    }
    auto closed = std::make_unique<WatchClosed>();
    closed->watch_id = it->second.watch_id;
    ctx.send(actor, std::max(it->second.last_delivery, ctx.now()) - ctx.now(), kTagWatchClosed, std::move(closed));
    it = watchers_.erase(it);
  }
}

void WatchHub::set_lag(sim::ActorId actor, sim::Duration lag) {
  for (auto& [key, w] : watchers_) {
    if (w.actor == actor) w.lag = lag;
  }
}

}  // namespace sasim::model
