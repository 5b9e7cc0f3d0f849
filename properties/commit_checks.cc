#include "properties/commit_checks.h"

#include <fmt/format.h>

#include "properties/invariant.h"

namespace sasim::properties {

CommitChecks::CommitChecks(const model::Store& store)
    : store_(store), last_resource_version_(store.resource_version()) {
  for (model::Kind kind : model::kAllKinds) {
    for (const model::ObjectPtr& object : store.list(kind)) uids_.insert(model::meta(*object).uid);
  }
}

CheckOutcome CommitChecks::check_resource_version(const model::StoreChange& change, sim::Time now) {
  CheckOutcome out;
  if (!change.object) return out;
  out.checks = 1;
  const std::uint64_t rv = model::meta(*change.object).resource_version;
  if (rv <= last_resource_version_) {
    const std::string ref = object_ref(*change.object);
    const std::string last = last_object_ ? object_ref(*last_object_) : std::string();
    Violation v;
    v.invariant = std::string(kResourceVersionsIncrease);
    v.time = now;
    v.message = fmt::format("{} was committed with resourceVersion {}, not larger than the previous commit's {}{}", ref,
                            rv, last_resource_version_, last.empty() ? "" : " (" + last + ")");
    v.objects.push_back(ref);
    if (!last.empty() && last != ref) v.objects.push_back(last);
    out.violations.push_back(std::move(v));
    return out;  // the high-water mark stays: later commits must still exceed it
  }
  last_resource_version_ = rv;
  last_object_ = change.object;
  return out;
}

CheckOutcome CommitChecks::check_uid(const model::StoreChange& change, sim::Time now) {
  CheckOutcome out;
  if (!change.object) return out;
  const std::string& uid = model::meta(*change.object).uid;
  const bool is_new = change.type == model::WatchEventType::kAdded ||
                      (change.type == model::WatchEventType::kModified && change.previous &&
                       model::meta(*change.previous).uid != uid);
  if (!is_new) return out;
  out.checks = 1;
  if (uids_.insert(uid)) return out;
  Violation v;
  v.invariant = std::string(kUidsAreUnique);
  v.time = now;
  const std::string ref = object_ref(*change.object);
  v.message = fmt::format("{} was committed with UID {}, which an earlier object already had", ref, uid);
  v.objects.push_back(ref);
  // Name the other holder when it is still stored; a deleted one left only its UID.
  // A scan, but only on a violation.
  for (model::Kind kind : model::kAllKinds) {
    for (const model::ObjectPtr& object : store_.list(kind)) {
      if (model::meta(*object).uid != uid) continue;
      std::string other = object_ref(*object);
      if (other != ref) v.objects.push_back(std::move(other));
    }
  }
  out.violations.push_back(std::move(v));
  return out;
}

}  // namespace sasim::properties
