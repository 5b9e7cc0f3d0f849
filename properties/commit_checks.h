// The always-invariants about storage itself, checked on every committed
// change: resource-versions-increase and uids-are-unique.
#pragma once

#include <cstdint>
#include <string>

#include "model/apiserver/store.h"
#include "properties/uid_table.h"
#include "properties/violation.h"

namespace sasim::properties {

class CommitChecks {
 public:
  // Starts from what `store` holds now: its resourceVersion and its objects'
  // UIDs. Objects deleted before this point are unknown, so build the
  // checker before the run starts.
  explicit CommitChecks(const model::Store& store);

  // The change's resourceVersion (for a deletion, the deletion's) must be
  // larger than every earlier commit's.
  CheckOutcome check_resource_version(const model::StoreChange& change, sim::Time now);

  // A new object's UID (or an update's, should it ever change one) must not
  // have been seen on any object before, live or deleted. Deletions and
  // updates keeping their UID are the same object, and are not counted.
  CheckOutcome check_uid(const model::StoreChange& change, sim::Time now);

 private:
  const model::Store& store_;
  std::uint64_t last_resource_version_ = 0;
  // The commit that set last_resource_version_, named only in a message:
  // formatting a reference at every commit cost more than the check.
  model::ObjectPtr last_object_;
  // Every UID ever committed. Only membership is asked, never the order,
  // so a hash set cannot change a result; an ordered set's string
  // comparisons cost more than the rest of the commit checks together.
  struct Seen {};
  UidTable<Seen> uids_;
};

}  // namespace sasim::properties
