// The messages between clients and the apiserver: requests, responses and
// watch events. A request is one REST call; its response arrives after the
// apiserver's latency. A watch is opened by a kWatch request, answered with
// the current list (the informer's initial LIST) and then followed, in
// commit order, by one WatchEvent per committed change of that kind.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/api/status.h"
#include "model/objects/object.h"
#include "sim/actor.h"

namespace sasim::model {

// Message tags of the API protocol.
inline constexpr std::uint64_t kTagApiRequest = 0x4150'4900;   // client -> apiserver
inline constexpr std::uint64_t kTagApiResponse = 0x4150'4901;  // apiserver -> client
inline constexpr std::uint64_t kTagWatchEvent = 0x4150'4902;   // apiserver -> watcher
inline constexpr std::uint64_t kTagWatchClosed = 0x4150'4903;  // apiserver -> watcher: re-list

enum class Verb : std::uint8_t { kGet, kList, kCreate, kUpdate, kPatch, kDelete, kWatch };
// Lower-case, as in audit logs and RBAC: "get", "create", ...
std::string_view verb_name(Verb verb);
std::optional<Verb> parse_verb(std::string_view text);

// How a patch document is applied (the request's Content-Type upstream).
enum class PatchType : std::uint8_t {
  kMerge,      // application/merge-patch+json: RFC 7386
  kStrategic,  // application/strategic-merge-patch+json: kubectl patch's default
  kJson,       // application/json-patch+json: RFC 6902 operations
};

struct Preconditions {
  std::optional<std::string> uid;
  std::optional<std::uint64_t> resource_version;
};

struct ApiRequest final : sim::Payload {
  std::uint64_t id = 0;  // echoed in the response
  Verb verb = Verb::kGet;
  Kind kind = Kind::kNamespace;
  std::string namespace_;
  std::string name;
  std::string subresource;  // "", "status", "ephemeralcontainers"
  ObjectPtr body;           // create, update
  // patch: the document (a map for merge and strategic merge patches, a
  // list of operations for a JSON patch)
  std::shared_ptr<const nlohmann::json> merge_patch;
  PatchType patch_type = PatchType::kMerge;
  Preconditions preconditions;  // delete
  // delete: DeleteOptions.gracePeriodSeconds; nullopt lets the object's
  // kind decide (a pod's terminationGracePeriodSeconds).
  std::optional<std::int64_t> grace_period_seconds;
  std::string user;  // who asks, e.g. "tokens-controller"
  // watch: how much later than the apiserver's watch latency this watcher
  // sees each event (the actor's `watchLag`).
  sim::Duration watch_lag;

  // "GET serviceaccounts default/default"
  std::string describe() const override;
  // "GET serviceaccounts", with the namespace, name, user and preconditions as details.
  sim::TraceLabel trace_label() const override;
};

struct ApiResponse final : sim::Payload {
  std::uint64_t id = 0;
  std::optional<ApiStatus> error;
  ObjectPtr object;              // get, create, update, patch; delete returns the deleted object
  std::vector<ObjectPtr> items;  // list, watch
  std::uint64_t resource_version = 0;  // list, watch: the store's revision the list reflects
  std::uint64_t watch_id = 0;          // watch

  bool ok() const { return !error.has_value(); }
  std::string describe() const override;
  // "response 200 secret", "response 200 list", "response 409 Conflict".
  sim::TraceLabel trace_label() const override;
};

enum class WatchEventType : std::uint8_t { kAdded, kModified, kDeleted };
std::string_view watch_event_type_name(WatchEventType type);

struct WatchEvent final : sim::Payload {
  std::uint64_t watch_id = 0;
  WatchEventType type = WatchEventType::kAdded;
  ObjectPtr object;  // for kDeleted: the last state, with the deletion's resourceVersion
  std::string describe() const override;
  // "watch MODIFIED secret", with the object and its resourceVersion as details.
  sim::TraceLabel trace_label() const override;
};

// The watch ended (apiserver restart, partition): the watcher must re-list.
struct WatchClosed final : sim::Payload {
  std::uint64_t watch_id = 0;
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;
};

}  // namespace sasim::model
