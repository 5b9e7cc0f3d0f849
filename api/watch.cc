#include "api/watch.h"

#include <fmt/format.h>

#include "api/status_json.h"

namespace sasim::api {

using nlohmann::json;

bool WatchRequest::selects(const model::Object& object) const {
  if (resource.is_events() || model::kind_of(object) != *resource.kind) return false;
  if (!namespace_.empty() && model::meta(object).namespace_ != namespace_) return false;
  return matches(fields, object) && matches(labels, model::meta(object).labels);
}

std::optional<WatchEvent> watch_event(const WatchRequest& watch, const model::StoreChange& change) {
  const bool now_selected = watch.selects(*change.object);
  const bool was_selected = change.previous && watch.selects(*change.previous);
  switch (change.type) {
    case model::WatchEventType::kAdded:
      if (now_selected) return WatchEvent{model::WatchEventType::kAdded, change.object};
      return std::nullopt;
    case model::WatchEventType::kModified:
      if (now_selected && was_selected) return WatchEvent{model::WatchEventType::kModified, change.object};
      if (now_selected) return WatchEvent{model::WatchEventType::kAdded, change.object};
      if (was_selected) return WatchEvent{model::WatchEventType::kDeleted, change.object};
      return std::nullopt;
    case model::WatchEventType::kDeleted:
      if (now_selected || was_selected) return WatchEvent{model::WatchEventType::kDeleted, change.object};
      return std::nullopt;
  }
  return std::nullopt;
}

std::string encode_watch_event(const WatchRequest& watch, const WatchEvent& event, bool first, sim::Time now,
                               const model::EncodeOptions& encode) {
  json object;
  if (watch.format.table_version.empty()) {
    object = model::encode_object(*event.object, encode);
  } else {
    TableOptions options = watch.table;
    options.headers = first;
    object = make_table(watch.resource, {event.object}, model::meta(*event.object).resource_version, now, encode,
                        options);
  }
  json framed{{"type", std::string(model::watch_event_type_name(event.type))}, {"object", std::move(object)}};
  return dump(framed) + "\n";
}

std::string encode_watch_error(const model::ApiStatus& status) {
  return dump(json{{"type", "ERROR"}, {"object", status_json(status)}}) + "\n";
}

model::ApiStatus too_old_resource_version(std::uint64_t requested, std::uint64_t oldest) {
  model::ApiStatus status;
  status.code = 410;
  status.reason = "Expired";
  status.message = fmt::format("too old resource version: {} ({})", requested, oldest);
  return status;
}

}  // namespace sasim::api
