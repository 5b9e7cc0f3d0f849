// kube-apiserver's legacy-token tracking controller (V9; upstream
// pkg/controlplane/controller/legacytokentracking): it keeps the ConfigMap
// kube-system/kube-apiserver-legacy-service-account-token-tracking, whose
// `since` date says from which day legacy-token uses are recorded. The
// legacy-token cleaner waits a whole clean-up period after that day before
// it judges any token unused.
//
// What one sync does, as a pure decision (the apiserver makes the write):
// - tracking on, no ConfigMap: create it with since = today (UTC), unless
//   the creation limiter (one creation per 30 minutes, burst 1: the first
//   is immediate) asks to wait; a deleted ConfigMap thus comes back with a
//   later date;
// - tracking on, `since` missing or not a date: rewrite it to today;
// - tracking off (the gate, alpha in 1.26 and beta in 1.27, set to false):
//   delete an existing ConfigMap, as the controller of those releases did
//   when the feature was disabled.
#pragma once

#include <cstdint>
#include <optional>

#include "model/objects/config_map.h"
#include "sim/time.h"

namespace sasim::model {

// rate.Every(30*time.Minute) with a burst of 1.
inline constexpr sim::Duration kTrackingConfigMapCreationInterval = sim::Duration::minutes(30);

struct TrackingSync {
  enum Action { kNothing, kCreate, kUpdate, kDelete, kWait };
  Action action = kNothing;
  std::optional<ConfigMap> write;  // kCreate, kUpdate: the object to write
  sim::Time retry_at{};            // kWait: when the limiter allows a creation
};

// `current`: the ConfigMap as stored (null: none). `last_created`: when this
// apiserver last created it (the limiter's state).
TrackingSync sync_tracking_config_map(bool tracking, const ConfigMap* current, sim::Time now,
                                      std::int64_t epoch_unix_seconds, std::optional<sim::Time> last_created);

}  // namespace sasim::model
