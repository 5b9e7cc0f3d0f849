#include "model/faults/weakness_log.h"

namespace sasim::model::faults {

std::string upstream_of(const std::string& weakness) {
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
  return "";
}

void WeaknessLog::record(WeaknessRecord record) {
  if (record.upstream.empty()) record.upstream = upstream_of(record.weakness);
  records_.push_back(std::move(record));
}

}  // namespace sasim::model::faults
