// What a DELETE does to a stored object: rest.BeforeDelete with the pod
// strategy's CheckGracefulDelete, and the registry's Store.Delete with its
// handling of finalizers (updateForGracefulDeletionAndFinalizers,
// markAsDeleting), as of 1.20. A pure function of the object, the options
// and the time, so that it can be tested table by table; the apiserver
// carries the plan out.
//
// - Pods are deleted gracefully: the first DELETE sets deletionTimestamp to
//   now + grace and deletionGracePeriodSeconds to grace (the request's
//   gracePeriodSeconds, else the pod's terminationGracePeriodSeconds; 0 for a
//   pod never scheduled or already finished). A later DELETE may only
//   shorten it (the timestamp moves back by the difference, possibly into
//   the past); one asking for as long or longer, or for nothing, changes
//   nothing. Grace 0 removes the object, after writing the deletion fields.
// - Other kinds have no grace period: a DELETE removes them at once unless
//   they hold finalizers, in which case deletionTimestamp is set to now and
//   deletionGracePeriodSeconds to 0, and the object stays.
// - An object with finalizers is never removed by a DELETE; the update that
//   removes its last finalizer removes it (should_delete_during_update).
#pragma once

#include <cstdint>
#include <optional>

#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::model {

struct DeletionPlan {
  enum class Action : std::uint8_t {
    kRemove,             // remove now
    kMarkDeleting,       // write `updated` (deletion fields set) and keep it
    kMarkThenRemove,     // write `updated`, then remove it: a graceful deletion of grace 0
    kAlreadyDeleting,    // nothing to write: answer with the stored object
  };
  Action action = Action::kRemove;
  std::optional<Object> updated;
};

DeletionPlan plan_deletion(const Object& current, std::optional<std::int64_t> grace_period_seconds, sim::Time now);

// ShouldDeleteDuringUpdate: the update removes the last finalizer of an
// object whose deletion waits only for them (deletionGracePeriodSeconds 0),
// so it removes the object. A namespace also needs its spec.finalizers gone.
bool should_delete_during_update(const Object& updated, const Object& old);

}  // namespace sasim::model
