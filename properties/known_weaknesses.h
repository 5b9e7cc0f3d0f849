// Known upstream weaknesses (scenario format §8): violations that real
// Kubernetes 1.20 produces too, reported as known instead of failed.
//
// classify_known is the one place that decides. Two kinds of evidence:
//
// 1. The state alone, for weaknesses the model takes no special path for:
// - invalid-token-never-replaced (kubernetes/kubernetes#24928): an
//   every-serviceaccount-has-valid-token violation where the account
//   references a Secret that IsServiceAccountToken counts as its token and
//   whose `token` is non-empty. The tokens controller then sees a
//   referenced token (T3 hasReferencedToken) and never regenerates a
//   non-empty one (T6 needsToken), so the state is final.
// - admission-read-stale-serviceaccount: a pod is created moments after its
//   ServiceAccount was deleted; admission reads its informer cache first
//   (a live GET only on a miss), still finds the account, and admits the
//   pod (admitted-pods-use-existing-serviceaccount). Proved by the state:
//   the account is gone from storage but still in admission's cache. The
//   same for admitted-pods-inherit-image-pull-secrets: the account gained
//   imagePullSecrets moments before, and admission's cached version (an
//   older resourceVersion) had none.
//   tests/scenarios/regressions/fuzz-pod-after-account-deleted.yaml.
// - orphaned-by-user-update (kubernetes/kubernetes#113532): a
//   one-generated-token-per-account violation for a token the account no
//   longer references because a user's write (a replace or patch of its
//   `secrets`) removed the reference: the controller generates another
//   token, and nothing removes the first. Proved by the audit of who
//   changed the account.
//
// 2. The paths the model recorded in the cluster's WeaknessLog
// (model/faults/weakness_log.h), the one channel for them, only for
// eventually-invariants (and the fuzzer's reference model). A record
// explains a violation only through the relations its weakness's rule
// allows, each checked on the state as it is when the violation is found,
// so that a record does not excuse whatever else goes wrong near the same
// objects (a broken controller is still caught):
// - same: the violation names the recorded object itself;
// - references-missing: the violation names an account that references
//   the recorded Secret, which storage no longer holds (the deletion was
//   not followed by the reference's removal);
// - leftover-token: the recorded object is an account (an incarnation,
//   by uid) whose deletion was not acted on, and the violation names a
//   token Secret still in storage that names it (uid annotation that
//   uid, or none);
// - account: the violation names the account the record concerns;
// - namespace: the recorded object is a namespace, and the violation
//   names it or something in it.
// The rules, in order of precedence (a cause is named before the cache
// that hid its effect):
//   token-deleted-after-unsure-update (#9104)        references-missing
//   write-outcome-lost (T3.5)                        same
//   created-token-left-unreferenced (T3.8)           same
//   reference-removal-dropped (T5)                   references-missing
//   recreated-account-keeps-deleted-token-reference  references-missing
//   tombstone-ignored (S4)                           same, references-missing, leftover-token
//   queued-work-lost-in-crash (S4)                   references-missing, leftover-token
//   deletion-before-list-unseen (S4)                 references-missing
//   reannotated-token-reference-kept (S3)            same (the account)
//   retries-exhausted (#106587)                      same, references-missing, leftover-token, account
//   watch-event-lost (#25204)                        all five
//   deleted-token-hidden-by-mutation-cache (#45933)  references-missing, and the Secret was deleted by
//                                                    someone other than the tokens controller (its own
//                                                    deletions of referenced tokens are explained only by
//                                                    token-deleted-after-unsure-update)
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/audit.h"
#include "properties/violation.h"

namespace sasim::properties {

// What a classification may consult besides the records: storage as it is
// now, and who deleted what.
struct Evidence {
  std::function<model::ObjectPtr(model::Kind, const std::string& ns, const std::string& name)> get;
  const Audit* deletions = nullptr;
};
Evidence evidence_of(const model::Store& store, const Audit& audit);

// Whether `record` explains something wrong with `object`, by its
// weakness's rule (above).
bool record_explains(const model::faults::WeaknessRecord& record, const ObjectRef& object, const Evidence& evidence);

// The first record, by the rules' precedence and then in the log's order,
// that explains something wrong with one of `objects` ("kind/ns/name").
std::optional<KnownWeakness> explained_by_records(const std::vector<model::faults::WeaknessRecord>& records,
                                                  const std::vector<std::string>& objects, const Evidence& evidence);

// The weakness that explains `violation`, judged on `cluster` as it is now
// (call it when the violation is found), or nullopt.
std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster,
                                            const Audit& audit);

}  // namespace sasim::properties
