#include "model/apiserver/deletion.h"

#include <algorithm>

#include "model/objects/equality.h"

namespace sasim::model {
namespace {

// A deletionTimestamp at most this far ahead: sim::Time counts nanoseconds
// in 64 bits (292 years). The grace period itself is recorded as asked.
constexpr std::int64_t kMaxGraceSeconds = 100LL * 365 * 24 * 3600;

sim::Duration grace_duration(std::int64_t seconds) { return sim::Duration::seconds(std::min(seconds, kMaxGraceSeconds)); }

struct Graceful {
  bool graceful = false;
  bool pending = false;  // a graceful deletion is under way and this DELETE does not shorten it
  sim::Time timestamp{};
  std::int64_t grace = 0;
};

Graceful pending() {
  Graceful g;
  g.pending = true;
  return g;
}

Graceful graceful(sim::Time timestamp, std::int64_t grace) {
  Graceful g;
  g.graceful = true;
  g.timestamp = timestamp;
  g.grace = grace;
  return g;
}

DeletionPlan plan(DeletionPlan::Action action, std::optional<Object> updated = std::nullopt) {
  DeletionPlan p;
  p.action = action;
  p.updated = std::move(updated);
  return p;
}

// rest.BeforeDelete for a kind with a graceful strategy (pods).
Graceful before_delete_pod(const Pod& pod, std::optional<std::int64_t> requested, sim::Time now) {
  const ObjectMeta& m = pod.metadata;
  if (m.deletion_timestamp) {
    // Deleting already without a grace period (or with 0): delete now.
    if (!m.deletion_grace_period_seconds || *m.deletion_grace_period_seconds == 0) return {};
    if (!requested || *requested >= *m.deletion_grace_period_seconds) return pending();
    // Only shorter: move the timestamp back by the difference.
    const sim::Time shortened =
        *m.deletion_timestamp - grace_duration(*m.deletion_grace_period_seconds) + grace_duration(*requested);
    return graceful(shortened, *requested);
  }
  // podStrategy.CheckGracefulDelete.
  std::int64_t period = requested ? *requested : pod.spec.termination_grace_period_seconds.value_or(0);
  if (pod.spec.node_name.empty()) period = 0;  // never scheduled: nothing to stop
  if (pod.status.phase == PodPhase::kFailed || pod.status.phase == PodPhase::kSucceeded) period = 0;
  period = std::max<std::int64_t>(period, 0);
  return graceful(now + grace_duration(period), period);
}

}  // namespace

DeletionPlan plan_deletion(const Object& current, std::optional<std::int64_t> grace_period_seconds, sim::Time now) {
  Graceful g;
  if (const auto* pod = std::get_if<Pod>(&current)) g = before_delete_pod(*pod, grace_period_seconds, now);
  if (g.pending) return plan(DeletionPlan::Action::kAlreadyDeleting);
  const ObjectMeta& m = meta(current);
  const bool pending_finalizers = !m.finalizers.empty();
  if (!g.graceful && !pending_finalizers) return plan(DeletionPlan::Action::kRemove);

  Object updated = current;
  ObjectMeta& um = meta(updated);
  if (g.graceful) {
    um.deletion_timestamp = g.timestamp;
    um.deletion_grace_period_seconds = g.grace;
  } else {
    // markAsDeleting: kinds without grace wait for their finalizers only.
    if (!um.deletion_timestamp || *um.deletion_timestamp > now) um.deletion_timestamp = now;
    um.deletion_grace_period_seconds = 0;
  }
  if (pending_finalizers) {
    // Nothing changed (a repeated DELETE): etcd writes nothing either.
    if (equivalent(updated, current)) return plan(DeletionPlan::Action::kAlreadyDeleting);
    return plan(DeletionPlan::Action::kMarkDeleting, std::move(updated));
  }
  if (g.grace > 0) return plan(DeletionPlan::Action::kMarkDeleting, std::move(updated));
  return plan(DeletionPlan::Action::kMarkThenRemove, std::move(updated));
}

bool should_delete_during_update(const Object& updated, const Object& old) {
  if (!meta(updated).finalizers.empty()) return false;
  const ObjectMeta& o = meta(old);
  if (!o.deletion_timestamp || !o.deletion_grace_period_seconds || *o.deletion_grace_period_seconds != 0) return false;
  if (const auto* ns = std::get_if<Namespace>(&updated)) return ns->spec_finalizers.empty();
  return true;
}

}  // namespace sasim::model
