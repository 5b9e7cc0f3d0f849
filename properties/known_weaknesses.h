// Known upstream weaknesses (scenario format §8): violations that real
// Kubernetes 1.20 produces too, reported as known instead of failed.
//
// classify_known is the one place that decides. It recognises:
//
// - invalid-token-never-replaced (kubernetes/kubernetes#24928), from the
//   state alone: an every-serviceaccount-has-valid-token violation where the
//   account references a Secret that IsServiceAccountToken counts as its
//   token and whose `token` is non-empty. The tokens controller then sees a
//   referenced token (T3 hasReferencedToken) and never regenerates a
//   non-empty one (T6 needsToken), so the state is final.
// - the paths the model recorded in the cluster's WeaknessLog
//   (model/faults/weakness_log.h): tombstone-ignored (S4: a deletion seen
//   only by a re-list is ignored, so tokens stay behind or a reference to a
//   deleted Secret is never removed), retries-exhausted (S6,
//   kubernetes/kubernetes#106587: a key dropped after maxRetries waits for
//   an event that may never come), watch-event-lost (#25204: an event that
//   never arrived is not looked at again before a re-list),
//   reference-removal-dropped (T5: a failed reference removal is only
//   logged), token-deleted-after-unsure-update (#9104's cleanup after an
//   UPDATE that may have been committed deletes a referenced token). An
//   eventually-invariant violation is known when one of its objects is the
//   recorded object, or a token Secret of the recorded account, or the
//   account of the recorded token Secret. Always-invariants are never
//   explained by these: no upstream weakness excuses them.
#pragma once

#include <optional>

#include "model/cluster/cluster.h"
#include "properties/violation.h"

namespace sasim::properties {

// The weakness that explains `violation`, judged on `cluster` as it is now
// (call it when the violation is found), or nullopt.
std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster);

}  // namespace sasim::properties
