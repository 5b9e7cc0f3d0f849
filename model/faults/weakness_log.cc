#include "model/faults/weakness_log.h"

#include "model/objects/constants.h"

namespace sasim::model::faults {

std::string upstream_of(const std::string& weakness) {
  // No issue number: the Secret informer's update handler queues the new
  // Secret's key only (queueSecretUpdateSync).
  if (weakness == kReannotatedTokenReferenceKept) {
    return "tokens_controller.go queueSecretUpdateSync queues only the updated Secret (rule S3)";
  }
  // The behaviour reference cites no issue for S4 itself, so the record
  // names the rule rather than inventing a number.
  if (weakness == kTombstoneIgnored) return "tokens_controller.go type assertion on DeletedFinalStateUnknown (rule S4)";
  if (weakness == kReferenceRemovalDropped) return "tokens_controller.go syncSecret: reference removal is never requeued (rule T5)";
  // #9104 made the controller delete a token whose reference it failed to
  // add; with an error after commit that deletes a referenced token.
  if (weakness == kTokenDeletedAfterUnsureUpdate) return "kubernetes/kubernetes#9104";
  if (weakness == kRetriesExhausted) return "kubernetes/kubernetes#106587";
  // #25204 / #25416: a default token never created after events were
  // dropped, recovered only by a relist 12-24 h later.
  if (weakness == kWatchEventLost) return "kubernetes/kubernetes#25204";
  // The mutation cache came with #45933 (1.7); this is its includeAdds
  // side: a deletion within 60 s of creation goes unnoticed.
  if (weakness == kDeletedTokenHiddenByMutationCache) return "kubernetes/kubernetes#45933";
  // No issue number: T5's lookup by the Secret's uid (syncSecret with
  // saUID) and T2/T3 counting uid-less Secrets for every incarnation.
  if (weakness == kRecreatedAccountKeepsDeletedTokenReference) {
    return "kubernetes/kubernetes pkg/controller/serviceaccount tokens_controller syncSecret";
  }
  // T3.5: "Created Secrets are never re-used on a later attempt".
  if (weakness == kWriteOutcomeLost) return "tokens_controller.go ensureReferencedToken: a new name on every attempt (rule T3.5)";
  if (weakness == kQueuedWorkLostInCrash) {
    return "tokens_controller.go: informers list only what exists after a restart; queued deletions are lost (rule S4)";
  }
  if (weakness == kDeletionBeforeListUnseen) {
    return "tokens_controller.go: a new process's informers list only what exists; no deletion event (rule S4)";
  }
  if (weakness == kCreatedTokenLeftUnreferenced) {
    return "tokens_controller.go ensureReferencedToken: the cleanup of an unreferenced token is only logged (rule T3.8)";
  }
  return "";
}

ObjectRef ref_of(const Object& object) {
  const ObjectMeta& m = meta(object);
  return ObjectRef{.kind = kind_of(object), .namespace_ = m.namespace_, .name = m.name, .uid = m.uid};
}

ObjectRef account_named_by(const Object& object) {
  const auto* secret = std::get_if<Secret>(&object);
  if (secret == nullptr) return {};
  const std::string* name = secret->metadata.annotation(std::string(kServiceAccountNameKey));
  if (name == nullptr || name->empty()) return {};
  const std::string* uid = secret->metadata.annotation(std::string(kServiceAccountUidKey));
  return ObjectRef{.kind = Kind::kServiceAccount,
                   .namespace_ = secret->metadata.namespace_,
                   .name = *name,
                   .uid = uid == nullptr ? std::string() : *uid};
}

void WeaknessLog::record(WeaknessRecord record) {
  if (!seen_.insert({record.weakness, record.object, record.account}).second) return;
  if (record.upstream.empty()) record.upstream = upstream_of(record.weakness);
  records_.push_back(std::move(record));
}

}  // namespace sasim::model::faults
