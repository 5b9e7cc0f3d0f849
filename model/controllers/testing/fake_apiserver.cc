#include "model/controllers/testing/fake_apiserver.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/objects/codec.h"

#include "sim/check.h"

namespace sasim::model::controllers::testing {
namespace {

std::string joined(const std::map<std::string, std::string>& entries) {
  std::string out;
  for (const auto& [key, value] : entries) {
    if (!out.empty()) out += ',';
    out += key + "=" + value;
  }
  return out;
}

std::string secret_names(const ServiceAccount& sa) {
  std::string out;
  for (const ObjectReference& ref : sa.secrets) {
    if (!out.empty()) out += ',';
    out += ref.name;
  }
  return out;
}

std::string identity(const ObjectMeta& m) {
  std::string out;
  if (!m.uid.empty()) out += "uid=" + m.uid + " ";
  if (m.resource_version != 0) out += fmt::format("rv={} ", m.resource_version);
  if (!m.labels.empty()) out += "labels={" + joined(m.labels) + "} ";
  return out;
}

std::string precondition_failed(std::string_view what, std::string_view wanted, std::string_view actual) {
  return fmt::format("Precondition failed: {} in precondition: {}, {} in object meta: {}", what, wanted, what, actual);
}

ApiResponse failure(ApiStatus status) {
  ApiResponse response;
  response.error = std::move(status);
  return response;
}

ApiResponse success(ObjectPtr object) {
  ApiResponse response;
  response.object = std::move(object);
  return response;
}

}  // namespace

std::string action_text(const ApiRequest& request) {
  std::string out = fmt::format("{} {}", verb_name(request.verb), resource_name(request.kind));
  if (!request.subresource.empty()) out += "/" + request.subresource;
  if (!request.namespace_.empty() && !request.name.empty()) {
    out += " " + request.namespace_ + "/" + request.name;
  } else if (!request.namespace_.empty() || !request.name.empty()) {
    out += " " + request.namespace_ + request.name;
  }
  if (const auto* sa = as<ServiceAccount>(request.body)) out += " secrets=[" + secret_names(*sa) + "]";
  if (request.verb == Verb::kPatch && request.merge_patch) out += " " + request.merge_patch->dump();
  if (request.preconditions.uid) out += " {uid=" + *request.preconditions.uid + "}";
  if (request.preconditions.resource_version) out += fmt::format(" {{rv={}}}", *request.preconditions.resource_version);
  return out;
}

std::string object_summary(const Object& object) {
  if (const auto* secret = std::get_if<Secret>(&object)) {
    std::map<std::string, std::string> data;
    for (const auto& [key, value] : secret->data) data.emplace(key, value.bytes());
    return identity(secret->metadata) + "type=" + secret->type + " annotations={" +
           joined(secret->metadata.annotations) + "} data={" + joined(data) + "}";
  }
  if (const auto* sa = std::get_if<ServiceAccount>(&object)) {
    std::string out = identity(sa->metadata);
    if (!sa->metadata.annotations.empty()) out += "annotations={" + joined(sa->metadata.annotations) + "} ";
    return out + "secrets=[" + secret_names(*sa) + "]";
  }
  if (const auto* ns = std::get_if<Namespace>(&object)) {
    return identity(ns->metadata) + (ns->phase == NamespacePhase::kActive ? "phase=Active" : "phase=Terminating");
  }
  if (const auto* cm = std::get_if<ConfigMap>(&object)) {
    return identity(cm->metadata) + "annotations={" + joined(cm->metadata.annotations) + "} data={" +
           joined(cm->data) + "}";
  }
  return identity(meta(object)) + std::string(kind_name(kind_of(object)));
}

FakeApiServer::FakeApiServer(FakeApiServerOptions options) : options_(options) {}

void FakeApiServer::note_resource_version(const Object& object) {
  resource_version_ = std::max(resource_version_, meta(object).resource_version);
}

void FakeApiServer::set_objects(const std::vector<Object>& objects) {
  for (Table& table : objects_) table.clear();
  for (const Object& object : objects) put(object);
}

void FakeApiServer::put(Object object) {
  note_resource_version(object);
  const ObjectKey key = key_of(object);
  objects_[index(kind_of(object))].insert_or_assign(key, std::make_shared<const Object>(std::move(object)));
}

ObjectPtr FakeApiServer::get(Kind kind, const std::string& ns, const std::string& name) const {
  const Table& table = objects_[index(kind)];
  auto it = table.find(ObjectKey{is_namespaced(kind) ? ns : "", name});
  return it == table.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> FakeApiServer::objects(Kind kind) const {
  std::vector<ObjectPtr> out;
  for (const auto& [key, object] : objects_[index(kind)]) out.push_back(object);
  return out;
}

void FakeApiServer::set_cache(const std::vector<Object>& objects) {
  for (Table& table : cache_) table.clear();
  for (const Object& object : objects) {
    note_resource_version(object);
    cache_[index(kind_of(object))].insert_or_assign(key_of(object), std::make_shared<const Object>(object));
  }
}

void FakeApiServer::prepend_reactor(Verb verb, Kind kind, Reactor reactor) {
  reactors_.insert(reactors_.begin(), ReactorEntry{verb, kind, std::make_shared<Reactor>(std::move(reactor))});
}

Reactor FakeApiServer::fail_first(int times, ApiStatus status) {
  return [remaining = times, status = std::move(status)](const ApiRequest&, FakeApiServer&) mutable
         -> std::optional<ApiStatus> {
    if (remaining == 0) return std::nullopt;
    if (remaining > 0) --remaining;
    return status;
  };
}

std::vector<std::string> FakeApiServer::action_texts() const {
  std::vector<std::string> out;
  out.reserve(actions_.size());
  for (const RecordedAction& action : actions_) out.push_back(action.text);
  return out;
}

std::uint64_t FakeApiServer::watch_id(sim::ActorId watcher, Kind kind) const {
  auto it = watches_.find({watcher, kind});
  return it == watches_.end() ? 0 : it->second;
}

void FakeApiServer::inject(sim::Simulator& simulator, sim::ActorId watcher, WatchEventType type, Object object,
                           sim::Duration delay) const {
  const Kind kind = kind_of(object);
  const std::uint64_t id = watch_id(watcher, kind);
  SIM_CHECK(id != 0, "inject: the watcher has no open informer of that kind");
  auto event = std::make_unique<WatchEvent>();
  event->watch_id = id;
  event->type = type;
  event->object = std::make_shared<const Object>(std::move(object));
  simulator.send(watcher, delay, kTagWatchEvent, std::move(event));
}

void FakeApiServer::on_message(sim::Context& ctx, sim::Message& message) {
  SIM_CHECK(message.tag == kTagApiRequest, "fake apiserver: unexpected message tag " + std::to_string(message.tag));
  const auto* request = message.payload_as<ApiRequest>();
  SIM_CHECK(request != nullptr, "fake apiserver: API request without an ApiRequest payload");

  ApiResponse response;
  if (request->verb == Verb::kWatch) {
    response = open_watch(*request, message.from);
  } else {
    // Recorded before the reactors run, as the fake clientset's Invokes does.
    actions_.push_back(RecordedAction{
        .at = ctx.now(),
        .verb = request->verb,
        .kind = request->kind,
        .namespace_ = request->namespace_,
        .name = request->name,
        .body = request->body,
        .preconditions = request->preconditions,
        .user = request->user,
        .error = std::nullopt,
        .result = nullptr,
        .text = action_text(*request),
    });
    const std::size_t recorded = actions_.size() - 1;
    response = serve(ctx, *request);
    actions_[recorded].error = response.error;
    actions_[recorded].result = response.object;
  }
  response.id = request->id;
  ctx.reply(message, options_.latency, kTagApiResponse, std::make_unique<ApiResponse>(std::move(response)));
}

ApiResponse FakeApiServer::serve(sim::Context& ctx, const ApiRequest& request) {
  for (std::size_t i = 0; i < reactors_.size(); ++i) {
    // By index and through a shared owner: a reactor may prepend another.
    if (reactors_[i].verb != request.verb || reactors_[i].kind != request.kind) continue;
    const std::shared_ptr<Reactor> reactor = reactors_[i].reactor;
    if (std::optional<ApiStatus> status = (*reactor)(request, *this)) return failure(std::move(*status));
  }
  switch (request.verb) {
    case Verb::kGet: {
      ObjectPtr object = get(request.kind, request.namespace_, request.name);
      if (!object) return failure(status_not_found(resource_name(request.kind), request.name));
      return success(std::move(object));
    }
    case Verb::kList: {
      ApiResponse response;
      for (const auto& [key, object] : objects_[index(request.kind)]) {
        if (request.namespace_.empty() || key.namespace_ == request.namespace_) response.items.push_back(object);
      }
      response.resource_version = resource_version_;
      return response;
    }
    case Verb::kCreate:
      return create(ctx, request);
    case Verb::kUpdate:
      return update(request);
    case Verb::kDelete:
      return remove(request);
    case Verb::kPatch:
      return patch(request);
    case Verb::kWatch:
      break;
  }
  return failure(status_bad_request(fmt::format("the fake apiserver does not serve {}", verb_name(request.verb))));
}

ApiResponse FakeApiServer::create(sim::Context& ctx, const ApiRequest& request) {
  if (!request.body) return failure(status_bad_request("create without a body"));
  Object object = *request.body;
  ObjectMeta& m = meta(object);
  if (is_namespaced(kind_of(object)) && m.namespace_.empty()) m.namespace_ = request.namespace_;
  if (get(kind_of(object), m.namespace_, m.name)) {
    return failure(status_already_exists(resource_name(kind_of(object)), m.name));
  }
  if (auto* secret = std::get_if<Secret>(&object); secret != nullptr && secret->type.empty()) secret->type = "Opaque";
  m.uid = fmt::format("fake-uid-{}", next_uid_++);
  m.resource_version = ++resource_version_;
  m.creation_timestamp = ctx.now();
  auto stored = std::make_shared<const Object>(std::move(object));
  objects_[index(kind_of(*stored))].insert_or_assign(key_of(*stored), stored);
  return success(stored);
}

ApiResponse FakeApiServer::update(const ApiRequest& request) {
  if (!request.body) return failure(status_bad_request("update without a body"));
  Object object = *request.body;
  const Kind kind = kind_of(object);
  ObjectMeta& m = meta(object);
  ObjectPtr current = get(kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(kind), request.name));
  const ObjectMeta& old = meta(*current);
  if (!m.uid.empty() && m.uid != old.uid) {
    return failure(status_conflict(resource_name(kind), m.name, precondition_failed("UID", m.uid, old.uid)));
  }
  if (m.resource_version != 0 && m.resource_version != old.resource_version) {
    return failure(status_conflict_modified(resource_name(kind), m.name));
  }
  m.uid = old.uid;
  m.creation_timestamp = old.creation_timestamp;
  m.resource_version = ++resource_version_;
  auto stored = std::make_shared<const Object>(std::move(object));
  objects_[index(kind)].insert_or_assign(key_of(*stored), stored);
  return success(stored);
}

ApiResponse FakeApiServer::patch(const ApiRequest& request) {
  if (!request.merge_patch || request.patch_type != PatchType::kMerge) {
    return failure(status_bad_request("the fake apiserver serves merge patches only"));
  }
  ObjectPtr current = get(request.kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(request.kind), request.name));
  nlohmann::json document = encode_object(*current);
  document.merge_patch(*request.merge_patch);
  auto decoded = decode_object(document);
  if (!decoded) return failure(status_bad_request(decoded.error().message));
  Object object = std::move(decoded).value();
  ObjectMeta& m = meta(object);
  const ObjectMeta& old = meta(*current);
  // A uid in the patch is a precondition, as the registry's update checks it.
  if (m.uid != old.uid) {
    return failure(status_conflict(resource_name(request.kind), request.name, precondition_failed("UID", m.uid, old.uid)));
  }
  m.creation_timestamp = old.creation_timestamp;
  m.resource_version = ++resource_version_;
  auto stored = std::make_shared<const Object>(std::move(object));
  objects_[index(request.kind)].insert_or_assign(key_of(*stored), stored);
  return success(stored);
}

ApiResponse FakeApiServer::remove(const ApiRequest& request) {
  ObjectPtr current = get(request.kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(request.kind), request.name));
  const ObjectMeta& old = meta(*current);
  const Preconditions& p = request.preconditions;
  if (p.uid && *p.uid != old.uid) {
    return failure(status_conflict(resource_name(request.kind), request.name, precondition_failed("UID", *p.uid, old.uid)));
  }
  if (p.resource_version && *p.resource_version != old.resource_version) {
    return failure(status_conflict(resource_name(request.kind), request.name,
                                   precondition_failed("ResourceVersion", std::to_string(*p.resource_version),
                                                       std::to_string(old.resource_version))));
  }
  objects_[index(request.kind)].erase(key_of(*current));
  return success(std::move(current));
}

ApiResponse FakeApiServer::open_watch(const ApiRequest& request, sim::ActorId from) {
  ApiResponse response;
  for (const auto& [key, object] : cache_[index(request.kind)]) {
    if (request.namespace_.empty() || key.namespace_ == request.namespace_) response.items.push_back(object);
  }
  response.resource_version = resource_version_;
  response.watch_id = next_watch_id_++;
  watches_.insert_or_assign(std::pair{from, request.kind}, response.watch_id);
  return response;
}

}  // namespace sasim::model::controllers::testing
