#include "model/faults/injector.h"

#include <algorithm>

#include "model/objects/constants.h"
#include "model/objects/secret.h"

namespace sasim::model::faults {
namespace {

template <class T>
bool contains_or_empty(const std::vector<T>& list, T value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

// NewGenericServerResponse's wording for the codes it knows.
ApiStatus generic(int code, std::string reason, std::string message) {
  ApiStatus s;
  s.code = code;
  s.reason = std::move(reason);
  s.message = std::move(message);
  return s;
}

}  // namespace

ApiStatus injected_status(int code, Verb verb, Kind kind, const std::string& name) {
  const std::string resource(resource_name(kind));
  const std::string what = " (" + std::string(verb_name(verb)) + " " + resource + (name.empty() ? "" : " " + name) + ")";
  switch (code) {
    case 409:
      return status_conflict_modified(resource, name);
    case 429:
      // The max-in-flight filter's answer, with its Retry-After: 1.
      return status_too_many_requests("Too many requests, please try again later.", 1);
    case 500:
      return status_internal_error("etcdserver: request timed out");
    case 503: {
      ApiStatus s = generic(503, "ServiceUnavailable", "the server is currently unable to handle the request" + what);
      s.details.retry_after_seconds = 1;
      return s;
    }
    case 504:
      return generic(504, "Timeout",
                     "the server was unable to return a response in the time allotted, but may still be processing "
                     "the request" + what);
    case 400:
      return generic(400, "BadRequest", "the server rejected our request for an unknown reason" + what);
    case 401:
      return generic(401, "Unauthorized", "Unauthorized");
    case 403:
      return generic(403, "Forbidden", "forbidden: " + resource + " \"" + name + "\" is forbidden");
    case 404:
      return status_not_found(resource, name);
    default:
      return generic(code, code >= 500 ? "InternalError" : "BadRequest",
                     "an error on the server (\"injected fault\") has prevented the request from succeeding" + what);
  }
}

FaultInjector::Id FaultInjector::add(FaultSpec spec, sim::ActorId target, std::string target_name) {
  Active fault{.spec = std::move(spec), .target = target, .target_name = std::move(target_name)};
  if (const auto* errors = std::get_if<ErrorsSpec>(&fault.spec); errors != nullptr && errors->count) {
    fault.remaining = *errors->count;
  }
  if (const auto* drop = std::get_if<DropEventsSpec>(&fault.spec)) fault.remaining = drop->count;
  const Id id = next_id_++;
  active_.emplace(id, std::move(fault));
  return id;
}

bool FaultInjector::remove(Id id) { return active_.erase(id) != 0; }

FaultInjector::RequestFate FaultInjector::on_request(sim::ActorId from, const ApiRequest& request) {
  RequestFate fate;
  for (auto& [id, fault] : active_) {
    if (!strikes(fault, from)) continue;
    if (const auto* errors = std::get_if<ErrorsSpec>(&fault.spec)) {
      if (fate.error || fault.remaining == 0) continue;
      if (!contains_or_empty(errors->verbs, request.verb) || !contains_or_empty(errors->resources, request.kind)) continue;
      if (errors->rate && !prng_.chance(*errors->rate)) continue;
      if (fault.remaining > 0) --fault.remaining;
      fate.error = injected_status(errors->code, request.verb, request.kind, request.name);
      // Reads and watches commit nothing: "after" is the same as "before".
      fate.after_commit = errors->after_commit;
    }
  }
  return fate;
}

bool FaultInjector::take_crash_after(sim::ActorId from, Verb verb, Kind kind) {
  for (auto it = active_.begin(); it != active_.end(); ++it) {
    const auto* crash = std::get_if<CrashAfterSpec>(&it->second.spec);
    if (crash == nullptr || !strikes(it->second, from) || crash->verb != verb || crash->resource != kind) continue;
    active_.erase(it);
    return true;
  }
  return false;
}

sim::Duration FaultInjector::extra_watch_lag(sim::ActorId watcher) const {
  sim::Duration lag{};
  for (const auto& [id, fault] : active_) {
    const auto* stale = std::get_if<StaleSpec>(&fault.spec);
    if (stale != nullptr && strikes(fault, watcher)) lag = lag + stale->lag;
  }
  return lag;
}

bool FaultInjector::drop_watch_event(sim::ActorId watcher, const std::string& watcher_name, const Object& object,
                                     sim::Time now) {
  const Kind kind = kind_of(object);
  for (auto& [id, fault] : active_) {
    const auto* drop = std::get_if<DropEventsSpec>(&fault.spec);
    if (drop == nullptr || fault.remaining == 0 || !strikes(fault, watcher)) continue;
    if (!contains_or_empty(drop->resources, kind)) continue;
    --fault.remaining;
    record_watch_event_lost(watcher_name, object, now);
    return true;
  }
  return false;
}

void FaultInjector::note_unwatched_change(const std::string& watcher_name, const Object& object, sim::Time now) {
  record_watch_event_lost(watcher_name, object, now);
}

void FaultInjector::record_watch_event_lost(const std::string& watcher_name, const Object& object, sim::Time now) {
  if (weaknesses_ == nullptr) return;
  const ObjectRef account = std::holds_alternative<ServiceAccount>(object) ? ref_of(object) : account_named_by(object);
  weaknesses_->record(WeaknessRecord{
      .weakness = kWatchEventLost, .actor = watcher_name, .object = ref_of(object), .account = account, .time = now});
}

}  // namespace sasim::model::faults
