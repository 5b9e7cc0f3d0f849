// ApiServer: kube-apiserver as one actor.
//
// Each request is served by its own coroutine: it takes `latency` of
// simulated time, then runs validation, namespace lifecycle, admission (for
// pods, which may itself wait on live lookups) and the store write; the
// response goes back to the caller's incarnation. Committed changes are
// fanned out to watches (WatchHub).
//
// The apiserver keeps its own informer caches of ServiceAccounts, Secrets
// and Pods, fed by its own watch: the token authenticator's listers (upstream
// NewGetterFromClient over informers) and, `admission.watchLag` later, the
// admission plugin's. Both can be stale; that is the point.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/api/request.h"
#include "model/api/token_review.h"
#include "model/apiserver/store.h"
#include "model/apiserver/token_request.h"
#include "model/admission/config.h"
#include "model/apiserver/watch_hub.h"
#include "model/auth/authenticator.h"
#include "model/faults/injector.h"
#include "model/client/informer.h"
#include "sim/co_actor.h"
#include "sim/distribution.h"

namespace sasim::model {

struct ApiServerConfig {
  sim::DurationDistribution latency = sim::DurationDistribution::constant(sim::Duration::milliseconds(2));
  sim::DurationDistribution watch_latency = sim::DurationDistribution::constant(sim::Duration::milliseconds(1));
  sim::DurationDistribution admission_latency = sim::DurationDistribution::constant(sim::Duration::microseconds(500));
  sim::Duration admission_watch_lag{};
  std::int64_t epoch_unix_seconds = 1577836800;  // cluster.startTime
  // The service-account token authenticator: public keys, issuers,
  // --service-account-lookup. Its lookups read the apiserver's own caches.
  auth::AuthenticatorConfig authenticator{};
  // The ServiceAccount admission plugin (requireAPIToken, limitSecretReferences).
  admission::Config admission{};
  // What the simulated release does (model/versions), as the cluster resolved it.
  versions::Behaviour behaviour{};
  // TokenRequest (serviceaccounts/NAME/token): issuer, audiences, cap, extension, key.
  TokenIssuerConfig token_issuer{};
};

// The scenario format's default apiserver latency: lognormal, median 2 ms, p99 20 ms.
sim::DurationDistribution default_apiserver_latency();

// One lookup of a pod's ServiceAccount by the admission plugin, as the
// apiserver answered it: from its informer cache, or by a live GET.
struct AccountRead {
  ObjectPtr account;        // null: not found there
  bool from_cache = false;  // the admission cache; else a live GET of storage
  sim::Time at{};
};

// What the ServiceAccount admission plugin was given while it decided on one
// pod creation. Recorded by the apiserver's side of the plugin's Env, not by
// the plugin, so that invariants can judge the plugin's decisions against
// its inputs instead of against its own code.
struct PodAdmission {
  sim::Time started{};              // when admission began
  std::vector<AccountRead> reads{};  // every lookup of the pod's account, in order
  ObjectPtr stored_account{};       // the account in storage when admission ended (null: none)

  // The first account a lookup found: the one the mutating half (automount,
  // imagePullSecrets, the token mount) decided with. Null if none was found.
  const ServiceAccount* mutated_with() const;
  // The last one found: the one the validating half checked mountable
  // secrets against.
  const ServiceAccount* validated_with() const;
};

// Sees what the apiserver does, for invariants and reports: every committed
// change, every pod admission, every token review. Observers only read.
class ApiServerObserver {
 public:
  virtual ~ApiServerObserver() = default;
  virtual void on_commit(const StoreChange& /*change*/, sim::Time /*now*/) {}
  // A pod passed admission and was stored.
  virtual void on_pod_admitted(const Pod& /*pod*/, const PodAdmission& /*admission*/, sim::Time /*now*/) {}
  // The ServiceAccount admission plugin refused a pod: `pod` as the plugin
  // left it (mutations made before the refusal included), `status` the
  // answer. Called at the instant of the refusal, so the apiserver's caches
  // and storage are as the plugin's last decision saw them.
  virtual void on_pod_rejected(const Pod& /*pod*/, const ApiStatus& /*status*/, const PodAdmission& /*admission*/,
                               sim::Time /*now*/) {}
  // `audiences`: the review's spec.audiences (empty: the apiserver's own).
  // `token` may be a bound token nobody has read (TokenReview::token):
  // reading its bytes signs it; its claims can be judged without.
  virtual void on_token_review(const DataValue& /*token*/, const TokenReviewResult& /*result*/, sim::Time /*now*/,
                               const std::vector<std::string>& /*audiences*/) {}
  // `count` more reviews of `token` for the apiserver's own audiences, each
  // answered `result`, the i-th at time_of(i), with nothing they read
  // changed since the previous review of that token: the kubelet's idle
  // runs (kubelet.h), told when the run closes, before anything changes.
  virtual void on_token_reviews_repeated(const DataValue& /*token*/, const TokenReviewResult& /*result*/,
                                         std::uint64_t /*count*/,
                                         const std::function<sim::Time(std::uint64_t)>& /*time_of*/) {}
};

// From the fault controller (model/cluster): break the watches of `actor`
// now, so that it re-lists (the end of its partition).
inline constexpr std::uint64_t kTagBreakWatches = 0x4150'4930;
struct BreakWatches final : sim::Payload {
  sim::ActorId actor{};
  std::string describe() const override { return "break watches"; }
};

class ApiServer : public sim::CoActor {
 public:
  // `store_prng` draws UIDs and generated names; it is the store's, and
  // survives apiserver restarts as etcd does.
  ApiServer(ApiServerConfig config, sim::Prng store_prng);

  // Observers are not owned and must outlive the apiserver's activity.
  void add_observer(ApiServerObserver* observer) { observers_.push_back(observer); }
  // Tells the observers of reviews that repeated (see on_token_reviews_repeated).
  void notify_reviews_repeated(const DataValue& token, const TokenReviewResult& result, std::uint64_t count,
                               const std::function<sim::Time(std::uint64_t)>& time_of) {
    for (ApiServerObserver* observer : observers_) observer->on_token_reviews_repeated(token, result, count, time_of);
  }
  // Called just before anything the authenticator reads may change: a
  // write to storage or a watch event applied to its caches (`changed`:
  // the object), or a crash of the apiserver itself (`changed` null:
  // anything may change).
  void set_before_auth_change(std::function<void(const ObjectId* changed)> hook) {
    before_auth_change_ = std::move(hook);
  }

  // Faults (model/faults): the injector is consulted for every request and
  // watch event; `names` names actors for records; `crash_after` crashes an
  // actor whose request a crashAfter fault matched. Not owned.
  void set_faults(faults::FaultInjector* injector, const std::map<sim::ActorId, std::string>* names,
                  std::function<void(sim::ActorId)> crash_after);
  // Where a committed write whose answer its client never got is recorded
  // (faults::kWriteOutcomeLost). Not owned; null: not recorded.
  void set_weakness_log(faults::WeaknessLog* weaknesses) { weaknesses_ = weaknesses; }

  // Authenticates a bearer token now, against the current caches, for the
  // apiserver's own audiences or for `audiences` (a TokenReview's).
  auth::AuthResult authenticate(std::string_view token);
  auth::AuthResult authenticate(std::string_view token, const std::vector<std::string>& audiences);
  // The same for a token a client's request presents (a TokenReview, a
  // scenario's authenticate step): the authenticator's paths (V1-V6) are
  // counted in the world's coverage (model/coverage/probes.h). Checks that
  // only look (invariants, reports) call authenticate() and count nothing.
  // A token nobody has read the bytes of is judged by its claims
  // (ServiceAccountTokenAuthenticator::authenticate_presented).
  auth::AuthResult authenticate_request(const DataValue& token, const std::vector<std::string>& audiences);
  // What a TokenReview of `token` with the apiserver's own audiences would
  // answer if it were judged at `at` with the authenticator's caches as they
  // are now, without serving one: a kubelet's idle run that goes on with a
  // refreshed token takes its answer from here (kubelet.h, "Idle runs").
  // The authenticator's paths are counted as for a review; no observer is
  // told (the run tells them as it accounts). nullopt if the answer would
  // write (a legacy token's last-used label): that one must be served.
  std::optional<TokenReviewResult> answer_review(const DataValue& token, sim::Time at);
  // The apiserver's wall clock, in nanoseconds since the Unix epoch.
  std::int64_t now_unix_nanos();
  ~ApiServer() override;

  const Store& store() const { return store_; }
  // Writes an object straight into storage before the simulation starts:
  // what exists when the cluster comes up (its initial namespaces).
  ObjectPtr bootstrap(Object object);
  const ApiServerConfig& config() const { return config_; }
  // Gives the apiserver another configuration (another release's, in an
  // upgrade) while it is down: it serves by it from its restart on. The
  // authenticator is rebuilt from it; storage and watches' knobs stay.
  void reconfigure(ApiServerConfig config);
  std::uint64_t requests_served() const { return requests_served_; }

  // The authenticator's and admission's views (for tests and invariants).
  const client::Informer& auth_cache(Kind kind) const;
  const client::Informer& admission_cache(Kind kind) const;

 protected:
  void start() override;
  void handle_message(sim::Message& message) override;
  void handle_crash() override;

 private:
  struct Caches;
  class CacheLookup;
  class BoundLookup;
  class AdmissionEnv;

  sim::Task<void> serve(std::unique_ptr<ApiRequest> request, sim::ActorId from, std::uint32_t incarnation);
  sim::Task<void> review(std::unique_ptr<TokenReview> review, sim::ActorId from, std::uint32_t incarnation);
  // The authenticator's answer for a presented token at `unix_nanos`, its
  // paths counted in the world's coverage; writes nothing (authenticate_request
  // writes the last-used label it asks for).
  auth::AuthResult judge_presented(const DataValue& token, const std::vector<std::string>& audiences,
                                   std::int64_t unix_nanos);
  // Pod creation: namespace lifecycle, then ServiceAccount admission (which
  // may wait on live lookups), then the write.
  sim::Task<ApiResponse> create_pod(const ApiRequest& request);
  ApiResponse execute(const ApiRequest& request);
  // POST serviceaccounts/NAME/token (token_request.h).
  ApiResponse create_token_request(const ApiRequest& request);
  ApiResponse create(const ApiRequest& request);
  ApiResponse commit_create(Object object);
  ApiResponse update(const ApiRequest& request);
  ApiResponse patch(const ApiRequest& request);
  // DELETE: graceful for pods, held by finalizers for every kind (deletion.h).
  ApiResponse remove(const ApiRequest& request);
  // A write committed for `from` whose answer it will not get.
  void record_lost_outcome(sim::ActorId from, const ApiRequest& request, const ObjectPtr& committed);
  // A legacy token's use recorded: the Secret's last-used label merge-patched
  // as upstream's loopback client would (V7); errors are only noted.
  void write_last_used(const auth::LastUsedPatch& patch);
  // The legacy-token tracking controller (legacy_token_tracking.h): one
  // sync `delay` from now, unless one is already queued.
  void queue_tracking_sync(sim::Duration delay);
  bool tracking_controller_runs() const {
    return config_.behaviour.legacy_token_tracking || config_.behaviour.legacy_tracking_config_map_deleted;
  }
  sim::Task<void> run_tracking_sync(sim::Duration delay);
  // The scheduler's binding of an unscheduled pod (scheduler.h).
  void schedule(const Pod& pod);
  void schedule_pending_pods();
  ApiResponse open_watch(const ApiRequest& request, sim::ActorId from, std::uint32_t incarnation);
  // Namespace lifecycle admission: the namespace must exist and be Active.
  std::optional<ApiStatus> check_namespace_accepts(Kind kind, const std::string& ns, const std::string& name) const;
  void open_own_watches();
  // After a restart: every client connection broke, so requests and reviews
  // that were in flight fail and every watch closes.
  void fail_broken_connections();

  ApiServerConfig config_;
  Store store_;
  WatchHub hub_;
  std::unique_ptr<Caches> caches_;
  std::unique_ptr<CacheLookup> lookup_;
  std::unique_ptr<BoundLookup> bound_lookup_;
  std::unique_ptr<auth::ServiceAccountTokenAuthenticator> authenticator_;
  std::uint64_t requests_served_ = 0;
  std::vector<ApiServerObserver*> observers_;
  std::function<void(const ObjectId* changed)> before_auth_change_;
  faults::FaultInjector* injector_ = nullptr;
  faults::WeaknessLog* weaknesses_ = nullptr;
  const std::map<sim::ActorId, std::string>* actor_names_ = nullptr;
  std::function<void(sim::ActorId)> crash_after_;
  // Requests and reviews being served, by serial: what a crash leaves
  // unanswered (the clients' connections, which outlive the process that
  // dies on the other end).
  struct Connection {
    sim::ActorId from{};
    std::uint32_t incarnation = 0;
    std::uint64_t id = 0;
    bool review = false;
  };
  std::map<std::uint64_t, Connection> in_flight_;
  // The user whose request is being committed (StoreChange::user). Writes
  // happen in synchronous stretches of a request's coroutine, so one
  // member suffices.
  std::string writing_user_;
  std::uint64_t next_serial_ = 1;
  bool started_before_ = false;
  // The tracking controller: a sync queued, and when this process last
  // created the ConfigMap (its creation limiter's state).
  bool tracking_sync_queued_ = false;
  std::optional<sim::Time> tracking_created_at_;
};

}  // namespace sasim::model
