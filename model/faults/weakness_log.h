// WeaknessLog: the known-bad paths of upstream 1.20 that the model took
// (scenario format §8, "Known upstream weaknesses"), each with typed
// references to the objects it concerns, so that properties/ can report a
// violation those objects explain as known rather than failed. It is the
// one channel for such records: the controllers, the fault injector and
// the apiserver all write here, and nothing else is consulted.
//
// A record says which path was taken; what it may explain, and which state
// must still show its effect for it to do so, is decided by the rules in
// properties/known_weaknesses.h, per weakness.
//
// It is an observation log kept for the run, not process state: a crash of
// the actor that recorded an entry does not erase it.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::model::faults {

// The weaknesses the model records (names are part of the report format).
// S4: a deletion seen only through a re-list (DeletedFinalStateUnknown) is
// dropped by the tokens controller's type assertion.
inline constexpr const char* kTombstoneIgnored = "tombstone-ignored";
// S6: a key requeued maxRetries times is forgotten until its next event.
inline constexpr const char* kRetriesExhausted = "retries-exhausted";
// T5: removing a deleted Secret's reference failed; it is only logged and
// never requeued, so the account keeps a dangling reference.
inline constexpr const char* kReferenceRemovalDropped = "reference-removal-dropped";
// T3.8 after an UPDATE whose outcome the controller cannot know: it deletes
// the token it created, though the reference may have been committed.
inline constexpr const char* kTokenDeletedAfterUnsureUpdate = "token-deleted-after-unsure-update";
// A watch event that never reached an informer (dropped, or committed
// while an apiserver restart had broken its watch): without a resync (0 for
// these handlers in 1.20) nothing looks again until the next re-list, and
// a re-list cannot show an object created and deleted in between.
inline constexpr const char* kWatchEventLost = "watch-event-lost";
// T5 after a token Secret's deletion within the mutation cache's 60 s: the
// cache (includeAdds) still returns the Secret, so the sync takes it for
// existing and removes no reference (#45933's cache).
inline constexpr const char* kDeletedTokenHiddenByMutationCache = "deleted-token-hidden-by-mutation-cache";
// T5 for a token Secret bound to an account's earlier incarnation, while an
// account of that name but another uid exists: references are removed only
// from the uid the Secret named, so the new account keeps its reference.
inline constexpr const char* kRecreatedAccountKeepsDeletedTokenReference =
    "recreated-account-keeps-deleted-token-reference";
// The apiserver committed a controller's write but the controller never
// learned it (an error answered after commit, a crash right after commit,
// an answer lost to a partition). For a token the tokens controller
// created, T3.5 then creates another and the first stays unreferenced.
inline constexpr const char* kWriteOutcomeLost = "write-outcome-lost";
// The tokens controller died with syncs still queued; the restarted
// process lists only what exists, so a deletion among them is never
// handled: a deleted Secret's reference stays, a deleted account's tokens
// stay (the same loss as S4's tombstone, through a crash). Recorded for
// every key the process owed; the rules' state evidence tells deletions.
inline constexpr const char* kQueuedWorkLostInCrash = "queued-work-lost-in-crash";
// The tokens controller's informers listed for the first time in this
// process (a start or a restart): a Secret deleted before that list is
// never seen deleted (no event, not even a tombstone), so an account still
// naming it keeps the reference (T5 never runs; T3 adds a new token).
inline constexpr const char* kDeletionBeforeListUnseen = "deletion-before-list-unseen";
// T3.8: the tokens controller created a token it could not reference and
// did not delete it: its DELETE failed (errors are only logged), or the
// process died first. Nothing looks at that token again.
inline constexpr const char* kCreatedTokenLeftUnreferenced = "created-token-left-unreferenced";

// S3: an update of a token Secret queues only that Secret, so an account
// that referenced it as its token before a user re-annotated it for
// another account keeps the reference, with no token of its own, until its
// next event (no resync in 1.20).
inline constexpr const char* kReannotatedTokenReferenceKept = "reannotated-token-reference-kept";

// An object a record concerns. `uid` is empty where the path did not know
// it (a Secret's account named without a uid annotation).
struct ObjectRef {
  Kind kind = Kind::kNamespace;
  std::string namespace_{};
  std::string name{};
  std::string uid{};
  bool empty() const { return name.empty(); }
  auto operator<=>(const ObjectRef&) const = default;
};

struct WeaknessRecord {
  std::string weakness{};
  std::string upstream{};  // "kubernetes/kubernetes#NNNN", or the rule of the behaviour reference
  std::string actor{};
  ObjectRef object{};      // what the path acted on, or left behind
  // The ServiceAccount concerned: the object itself for an account, the
  // account a token Secret names (its uid annotation as uid); empty if none.
  ObjectRef account{};
  sim::Time time{};
};

// The upstream reference of each weakness (behaviour reference §2 and §8).
std::string upstream_of(const std::string& weakness);

// The account a token Secret names (its annotations), or an empty ref for
// any other object.
ObjectRef account_named_by(const Object& object);
ObjectRef ref_of(const Object& object);

class WeaknessLog {
 public:
  // A path taken again for the same objects is kept once (the first time).
  void record(WeaknessRecord record);
  const std::vector<WeaknessRecord>& records() const { return records_; }

 private:
  std::vector<WeaknessRecord> records_;
  std::set<std::tuple<std::string, ObjectRef, ObjectRef>> seen_;
};

}  // namespace sasim::model::faults
