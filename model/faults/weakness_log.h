// WeaknessLog: the known-bad paths of upstream 1.20 that the model took
// (scenario format §8, "Known upstream weaknesses"), each with the object
// it left behind, so that properties/ can report a violation touching that
// object as known rather than failed.
//
// It is an observation log kept for the run, not process state: a crash of
// the actor that recorded an entry does not erase it.
#pragma once

#include <string>
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
// A watch event that never reached an informer: without a resync (0 for
// these handlers in 1.20) nothing looks again until the next re-list.
inline constexpr const char* kWatchEventLost = "watch-event-lost";

struct WeaknessRecord {
  std::string weakness{};
  std::string upstream{};  // "kubernetes/kubernetes#NNNN", or the rule of the behaviour reference
  std::string actor{};
  Kind kind = Kind::kNamespace;
  std::string namespace_{};
  std::string name{};
  std::string uid{};
  // For a token Secret: the account it names (service-account.name).
  std::string service_account{};
  sim::Time time{};
};

// The upstream reference of each weakness (behaviour reference §2 and §8).
std::string upstream_of(const std::string& weakness);

class WeaknessLog {
 public:
  void record(WeaknessRecord record);
  const std::vector<WeaknessRecord>& records() const { return records_; }

 private:
  std::vector<WeaknessRecord> records_;
};

}  // namespace sasim::model::faults
