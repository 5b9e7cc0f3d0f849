// FakeApiServer: a stand-in for kube-apiserver in controller unit tests, as
// client-go's fake clientset is in upstream's.
//
// It is an actor named "apiserver" (ClientActors find it by that name) that
// answers API requests at once (or after a fixed latency) from a plain
// object set, the test's `ClientObjects`, and records every request as an
// action, in arrival order, the way upstream's tests read
// `client.Actions()`:
//
//   get serviceaccounts default/default
//   create secrets default/default-token-x7k2b
//   update serviceaccounts default/default secrets=[default-token-x7k2b]
//   delete secrets default/token-secret-1 {uid=23456}
//
// Watch requests (an informer's initial LIST) are answered with a separate
// object set, the informer cache the test starts from (upstream's
// `Existing*`), and a watch id; they are not recorded as actions. From then
// on the test drives the informers itself: inject() delivers an Added,
// Modified or Deleted event to one actor's informer of the object's kind.
// As with the fake clientset, API writes are NOT fed back to the informers.
//
// Reactors stand in for upstream's PrependReactor: the newest matching one
// is consulted first, and the first to return a status fails the request
// with it. The request is recorded either way.
//
// Writes behave as the real registry's generic logic does: a create assigns
// a uid ("fake-uid-N") and the next resourceVersion; an update with a
// resourceVersion other than the stored one is a Conflict, and bumps the
// resourceVersion otherwise; a merge patch is applied to the object as
// encoded (a uid in it must match); a delete honours its uid and resourceVersion
// preconditions (Conflict) and answers NotFound for a missing object.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/api/request.h"
#include "model/api/status.h"
#include "model/objects/object.h"
#include "sim/actor.h"
#include "sim/simulator.h"
#include "sim/time.h"

namespace sasim::model::controllers::testing {

// One request as the fake received and answered it.
struct RecordedAction {
  sim::Time at{};
  Verb verb = Verb::kGet;
  Kind kind = Kind::kNamespace;
  std::string namespace_{};
  std::string name{};
  ObjectPtr body{};                // create, update: what the client sent
  Preconditions preconditions{};   // delete
  std::string user{};
  std::optional<ApiStatus> error{};  // the answer, if it failed
  ObjectPtr result{};              // the answer's object, if any
  std::string text{};              // see action_text()
};

// "get serviceaccounts default/default"; for a ServiceAccount body also
// " secrets=[a,b]"; for a patch its document as compact JSON (keys sorted);
// for a delete the preconditions, " {uid=...}" " {rv=...}".
std::string action_text(const ApiRequest& request);

// The fields of an object the controllers read and write, in one line:
// "uid=23456 rv=1 type=kubernetes.io/service-account-token
// annotations={k=v,...} data={ca.crt=CA Data,...}" for a Secret,
// "uid=12345 rv=1 secrets=[a,b]" for a ServiceAccount, "phase=Active" for a
// Namespace, "annotations={k=v,...} data={ca.crt=...}" for a ConfigMap.
// uid and rv are left out while unset. Observes data values
// (lazy tokens are computed).
std::string object_summary(const Object& object);

class FakeApiServer;

// Returns a status to fail the request with, or nullopt to let it through
// (to the next reactor, then the object set). May change the fake's
// objects, to play another writer racing the client.
using Reactor = std::function<std::optional<ApiStatus>(const ApiRequest& request, FakeApiServer& fake)>;

struct FakeApiServerOptions {
  sim::Duration latency = sim::Duration::zero();  // between request and response
};

class FakeApiServer final : public sim::Actor {
 public:
  explicit FakeApiServer(FakeApiServerOptions options = {});

  // ---- The API's objects (ClientObjects) --------------------------------
  // Replaces the whole set. Objects keep their uid and resourceVersion; the
  // next write's resourceVersion is above every one seen so far.
  void set_objects(const std::vector<Object>& objects);
  // Stores one object as given (adds or replaces), as another writer would.
  void put(Object object);
  ObjectPtr get(Kind kind, const std::string& ns, const std::string& name) const;
  std::vector<ObjectPtr> objects(Kind kind) const;
  // The resourceVersion the next write takes.
  std::uint64_t next_resource_version() const { return resource_version_ + 1; }

  // ---- The informers' initial lists (Existing*) ------------------------
  void set_cache(const std::vector<Object>& objects);

  // ---- Reactors --------------------------------------------------------
  void prepend_reactor(Verb verb, Kind kind, Reactor reactor);
  void clear_reactors() { reactors_.clear(); }
  // Fails the first `times` matching requests with `status` (every one if
  // `times` is negative), then lets them through.
  static Reactor fail_first(int times, ApiStatus status);

  // ---- What happened ---------------------------------------------------
  const std::vector<RecordedAction>& actions() const { return actions_; }
  std::vector<std::string> action_texts() const;
  void clear_actions() { actions_.clear(); }
  std::size_t watches_opened() const { return watches_.size(); }
  // The watch id given to `watcher`'s informer of `kind`; 0 if none yet.
  std::uint64_t watch_id(sim::ActorId watcher, Kind kind) const;

  // ---- Driving the informers (from the harness, between runs) ----------
  // Delivers a watch event for `object` to `watcher`'s informer of its kind,
  // `delay` from now. The informer must have been opened.
  void inject(sim::Simulator& simulator, sim::ActorId watcher, WatchEventType type, Object object,
              sim::Duration delay = sim::Duration::zero()) const;

  void on_message(sim::Context& ctx, sim::Message& message) override;

 private:
  using Table = std::map<ObjectKey, ObjectPtr>;
  static std::size_t index(Kind kind) { return static_cast<std::size_t>(kind); }

  ApiResponse serve(sim::Context& ctx, const ApiRequest& request);
  ApiResponse create(sim::Context& ctx, const ApiRequest& request);
  ApiResponse update(const ApiRequest& request);
  ApiResponse remove(const ApiRequest& request);
  ApiResponse patch(const ApiRequest& request);
  ApiResponse open_watch(const ApiRequest& request, sim::ActorId from);
  void note_resource_version(const Object& object);

  FakeApiServerOptions options_;
  Table objects_[kKindCount];
  Table cache_[kKindCount];
  std::uint64_t resource_version_ = 0;
  std::uint64_t next_uid_ = 1;
  std::uint64_t next_watch_id_ = 1;
  struct ReactorEntry {
    Verb verb;
    Kind kind;
    std::shared_ptr<Reactor> reactor;  // shared: its state (call counts) must persist
  };
  std::vector<ReactorEntry> reactors_;  // newest first
  std::vector<RecordedAction> actions_;
  std::map<std::pair<sim::ActorId, Kind>, std::uint64_t> watches_;
};

}  // namespace sasim::model::controllers::testing
