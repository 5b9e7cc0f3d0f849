#include "model/apiserver/legacy_token_tracking.h"

#include <string>

#include "model/auth/legacy_tracking.h"
#include "model/objects/timestamp.h"

namespace sasim::model {

TrackingSync sync_tracking_config_map(bool tracking, const ConfigMap* current, sim::Time now,
                                      std::int64_t epoch_unix_seconds, std::optional<sim::Time> last_created) {
  TrackingSync out;
  const std::string today = auth::utc_date(wall_seconds(now, epoch_unix_seconds));
  const std::string key(auth::kTrackingConfigMapKey);
  if (!tracking) {
    if (current != nullptr) out.action = TrackingSync::kDelete;
    return out;
  }
  if (current == nullptr) {
    if (last_created && now < *last_created + kTrackingConfigMapCreationInterval) {
      out.action = TrackingSync::kWait;
      out.retry_at = *last_created + kTrackingConfigMapCreationInterval;
      return out;
    }
    ConfigMap created;
    created.metadata.namespace_ = std::string(auth::kTrackingConfigMapNamespace);
    created.metadata.name = std::string(auth::kTrackingConfigMapName);
    created.data[key] = today;
    out.action = TrackingSync::kCreate;
    out.write = std::move(created);
    return out;
  }
  const std::string* since = current->data_value(key);
  if (since != nullptr && auth::parse_utc_date(*since)) return out;
  ConfigMap repaired = *current;
  repaired.data[key] = today;
  out.action = TrackingSync::kUpdate;
  out.write = std::move(repaired);
  return out;
}

}  // namespace sasim::model
