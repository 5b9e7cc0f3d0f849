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
//   non-empty one (T6 needsToken), so the state is final: a signing-key
//   change or a user's garbage token leaves the account without a working
//   token for good.
// - deleted-token-hidden-by-mutation-cache (the mutation cache of
//   kubernetes/kubernetes#45933, TTL 60 s, includeAdds): a token Secret the
//   tokens controller created is deleted within 60 s; the controller's
//   mutation cache still returns it, so T5 removes no reference and T3
//   creates no replacement (the controller records that its sync took
//   this path, which tells it from a controller that forgets references). The account is left referencing a missing
//   Secret until an informer resync (12-24 h upstream, not simulated).
//   Found by `sasim fuzz`; scenarios/library/deleted-token-within-a-minute.yaml.
// - admission-read-stale-serviceaccount: a pod is created moments after its
//   ServiceAccount was deleted; admission reads its informer cache first
//   (a live GET only on a miss), still finds the account, and admits the
//   pod (admitted-pods-use-existing-serviceaccount). Proved by the state:
//   the account is gone from storage but still in admission's cache. The
//   same for admitted-pods-inherit-image-pull-secrets: the account gained
//   imagePullSecrets moments before, and admission's cached version (an
//   older resourceVersion) had none.
//   Found by `sasim fuzz`; tests/scenarios/regressions/fuzz-pod-after-account-deleted.yaml.
// - recreated-account-keeps-deleted-token-reference: an account is deleted
//   and recreated (referencing a manual token Secret without a uid
//   annotation) while the tokens controller binds that Secret to the old
//   account: the old account's cleanup (T2) deletes it, the new account's
//   sync (T3) had counted it as referenced, and the deletion's sync (T5)
//   removes references only from the old uid. The new account references
//   a missing Secret until a resync. Classified from the path the
//   controller records. Found by `sasim fuzz --seed 11 --size 40`;
//   tests/scenarios/regressions/fuzz-recreated-account-manual-token.yaml.
//
// And, from the paths the model recorded in the cluster's WeaknessLog
// (model/faults/weakness_log.h), only for eventually-invariants:
// - tombstone-ignored (S4: a deletion seen
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
//   account of the recorded token Secret. These records never explain an
//   always-invariant.
#pragma once

#include <optional>

#include "model/cluster/cluster.h"
#include "properties/violation.h"

namespace sasim::properties {

// The weakness that explains `violation`, judged on `cluster` as it is now
// (call it when the violation is found), or nullopt.
std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster);

}  // namespace sasim::properties
