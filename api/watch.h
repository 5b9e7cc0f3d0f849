// Watches over HTTP: which committed changes a watch request sees and how
// each is framed on the chunked stream ({"type":"ADDED","object":{...}} and
// a newline per event). A field or label selector turns an object that
// starts matching into ADDED and one that stops matching into DELETED, as
// the apiserver's filtered watches do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/media.h"
#include "api/route.h"
#include "api/selectors.h"
#include "api/tables.h"
#include "model/api/request.h"
#include "model/api/status.h"
#include "model/apiserver/store.h"
#include "model/objects/codec.h"

namespace sasim::api {

struct WatchRequest {
  Resource resource;
  std::string namespace_;  // empty: every namespace (or a cluster-scoped kind)
  FieldSelector fields;
  LabelSelector labels;
  // resourceVersion: none or 0 start with the current objects as ADDED
  // events; N starts after revision N.
  std::optional<std::uint64_t> resource_version;
  ResponseFormat format;
  TableOptions table;
  std::optional<std::int64_t> timeout_seconds;

  // Whether `object` is in the watch's scope (namespace and selectors).
  bool selects(const model::Object& object) const;
};

struct WatchEvent {
  model::WatchEventType type = model::WatchEventType::kAdded;
  model::ObjectPtr object;
};

// What a committed change shows this watch, if anything.
std::optional<WatchEvent> watch_event(const WatchRequest& watch, const model::StoreChange& change);

// One framed event. `first`: the first event of the stream (a Table's
// column definitions go only with it).
std::string encode_watch_event(const WatchRequest& watch, const WatchEvent& event, bool first, sim::Time now,
                               const model::EncodeOptions& encode);

// An ERROR event carrying a Status (410 Expired for a resourceVersion older
// than the history kept).
std::string encode_watch_error(const model::ApiStatus& status);

// 410 Expired: "too old resource version: R (OLDEST)".
model::ApiStatus too_old_resource_version(std::uint64_t requested, std::uint64_t oldest);

// The media type of the stream.
inline constexpr std::string_view kWatchContentType = "application/json";

}  // namespace sasim::api
