#include "model/apiserver/apiserver.h"

#include <fmt/format.h>

#include "model/apiserver/deletion.h"
#include "model/apiserver/scheduler.h"
#include "model/apiserver/json_patch.h"
#include "model/apiserver/legacy_token_tracking.h"
#include "model/apiserver/strategic_merge.h"

#include "model/admission/default_toleration_seconds.h"
#include "model/admission/plugin.h"
#include "model/admission/priority.h"
#include "model/api/status.h"
#include "model/api/wait_categories.h"
#include "model/coverage/probes.h"
#include "model/objects/codec.h"
#include "model/objects/pod_defaults.h"
#include "model/objects/pod_qos.h"
#include "model/objects/validation.h"
#include "model/objects/constants.h"
#include "model/objects/timestamp.h"
#include "sim/check.h"

namespace sasim::model {
namespace {

// Message tag for the apiserver's own watch events re-delivered to the
// admission caches `admission.watchLag` later.
constexpr std::uint64_t kTagAdmissionCacheEvent = 0x4150'4920;

template <class T>
std::unique_ptr<T> take_payload(sim::Message& message) {
  std::unique_ptr<T> typed = message.take_payload<T>();
  SIM_CHECK(typed != nullptr, "message payload of an unexpected type");
  return typed;
}

ApiResponse failure(ApiStatus status) {
  ApiResponse response;
  response.error = std::move(status);
  return response;
}

// The apiserver's validation answer: 422 Invalid with every field error.
std::optional<ApiStatus> invalid(const Object& object, const std::vector<FieldError>& errors) {
  if (errors.empty()) return std::nullopt;
  const ObjectMeta& m = meta(object);
  return status_invalid(kind_name(kind_of(object)), m.name.empty() ? m.generate_name : m.name, errors);
}

// BeforeCreate and BeforeUpdate (registry/rest, ValidNamespace): a body
// without a namespace takes the request's, as kubectl's manifests usually
// have none; another namespace than the request's is refused. A
// cluster-scoped object's namespace is dropped.
std::optional<ApiStatus> settle_namespace(Object& object, const std::string& request_namespace) {
  ObjectMeta& m = meta(object);
  if (!is_namespaced(kind_of(object))) {
    m.namespace_.clear();
    return std::nullopt;
  }
  if (m.namespace_.empty()) m.namespace_ = request_namespace;
  if (m.namespace_ != request_namespace) {
    return status_bad_request("the namespace of the provided object does not match the namespace sent on the request");
  }
  return std::nullopt;
}

// checkName (endpoints/handlers/rest.go), the first thing an update or a
// patch checks: the body names the object of the URL. A namespace the body
// leaves out is filled in later (settle_namespace).
std::optional<ApiStatus> check_name(const Object& object, const ApiRequest& request) {
  const ObjectMeta& m = meta(object);
  if (m.name != request.name) {
    return status_bad_request(
        fmt::format("the name of the object ({}) does not match the name on the URL ({})", m.name, request.name));
  }
  if (!request.namespace_.empty() && !m.namespace_.empty() && m.namespace_ != request.namespace_) {
    return status_bad_request(fmt::format("the namespace of the object ({}) does not match the namespace on the request ({})",
                                          m.namespace_, request.namespace_));
  }
  return std::nullopt;
}

ApiResponse success(ObjectPtr object) {
  ApiResponse response;
  response.object = std::move(object);
  return response;
}

// podStrategy.PrepareForCreate: whatever status the client sent is replaced
// by Pending and the pod's QoS class.
void prepare_pod_for_create(Pod& pod) {
  pod.status = PodStatus{};
  pod.status.extra = std::make_shared<const nlohmann::json>(nlohmann::json{{"qosClass", pod_qos_class(pod)}});
}

}  // namespace

sim::DurationDistribution default_apiserver_latency() {
  return sim::DurationDistribution::lognormal(sim::Duration::milliseconds(2), sim::Duration::milliseconds(20)).value();
}

// A version 4 UUID, as uuid.New() writes it.
static std::string random_uuid(sim::Prng& prng) {
  const std::uint64_t hi = prng.next_u64();
  const std::uint64_t lo = prng.next_u64();
  const std::uint64_t a = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t b = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFFF, b >> 48,
                     b & 0xFFFFFFFFFFFFULL);
}

// The apiserver's own informers: the authenticator's, and admission's when
// its lag differs (otherwise admission reads the same ones).
struct ApiServer::Caches {
  explicit Caches(sim::Duration admission_lag) : separate_admission(admission_lag > sim::Duration::zero()) {
    for (Kind kind : kAllKinds) {
      auth.emplace_back(kind, sim::Duration::zero());
      admission.emplace_back(kind, admission_lag);
    }
  }
  // Indexed by Kind; only the kinds open_own_watches() follows are filled.
  std::vector<client::Informer> auth;
  std::vector<client::Informer> admission;
  bool separate_admission;

  client::Informer& for_auth(Kind kind) { return auth[static_cast<std::size_t>(kind)]; }
  client::Informer& for_admission(Kind kind) {
    return separate_admission ? admission[static_cast<std::size_t>(kind)] : auth[static_cast<std::size_t>(kind)];
  }
};

// The token getter of kube-apiserver (NewGetterFromClient over informers):
// the informer's copy, or a live read of storage on a lister miss.
class ApiServer::CacheLookup final : public auth::TokenLookup {
 public:
  explicit CacheLookup(ApiServer& server) : server_(server) {}

  std::optional<SecretInfo> secret(std::string_view ns, std::string_view name) override {
    ObjectPtr object = server_.caches_->for_auth(Kind::kSecret).get(std::string(ns), std::string(name));
    if (!object) object = server_.store_.get(Kind::kSecret, std::string(ns), std::string(name));
    const auto* secret = as<Secret>(object);
    if (secret == nullptr) return std::nullopt;
    SecretInfo info;
    if (const DataValue* token = secret->data_value(std::string(kServiceAccountTokenKey))) info.token = token->bytes();
    info.being_deleted = secret->metadata.deletion_timestamp.has_value();
    info.ns = secret->metadata.namespace_;
    info.name = secret->metadata.name;
    info.uid = secret->metadata.uid;
    if (const auto it = secret->metadata.labels.find(std::string(auth::kLastUsedLabel)); it != secret->metadata.labels.end()) {
      info.last_used = it->second;
    }
    if (const auto it = secret->metadata.labels.find(std::string(auth::kInvalidSinceLabel));
        it != secret->metadata.labels.end()) {
      info.invalid_since = it->second;
    }
    return info;
  }

  sim::Result<AccountInfo> service_account(std::string_view ns, std::string_view name) override {
    ObjectPtr object = server_.caches_->for_auth(Kind::kServiceAccount).get(std::string(ns), std::string(name));
    if (!object) object = server_.store_.get(Kind::kServiceAccount, std::string(ns), std::string(name));
    const auto* sa = as<ServiceAccount>(object);
    if (sa == nullptr) return sim::unexpected(sim::Error{status_not_found("serviceaccounts", name).message});
    AccountInfo info;
    info.uid = sa->metadata.uid;
    info.being_deleted = sa->metadata.deletion_timestamp.has_value();
    for (const auto& ref : sa->secrets) info.secret_names.push_back(ref.name);
    return info;
  }

 private:
  ApiServer& server_;
};

// The bound-token validator's getter (GET-28, NewGetterFromClient): the
// same informer caches with a live read on a miss, so that a pod recreated
// under its name, not yet seen by the cache, still shows its old uid.
class ApiServer::BoundLookup final : public auth::BoundObjectGetter {
 public:
  explicit BoundLookup(ApiServer& server) : server_(server) {}

  sim::Result<Object> service_account(std::string_view ns, std::string_view name) override {
    const ObjectPtr object = read(Kind::kServiceAccount, ns, name);
    if (!object) return sim::unexpected(sim::Error{status_not_found("serviceaccounts", name).message});
    return state(*object);
  }
  std::optional<Object> secret(std::string_view ns, std::string_view name) override {
    const ObjectPtr object = read(Kind::kSecret, ns, name);
    if (!object) return std::nullopt;
    return state(*object);
  }
  std::optional<Object> pod(std::string_view ns, std::string_view name) override {
    const ObjectPtr object = read(Kind::kPod, ns, name);
    if (!object) return std::nullopt;
    return state(*object);
  }
  // The 1.29+ getter's node lister; nodes are not among the apiserver's
  // informers here, so storage is read (a node's changes are rare).
  std::optional<Object> node(std::string_view name) override {
    const ObjectPtr object = server_.store_.get(Kind::kNode, "", std::string(name));
    if (!object) return std::nullopt;
    return state(*object);
  }

 private:
  ObjectPtr read(Kind kind, std::string_view ns, std::string_view name) {
    ObjectPtr object = server_.caches_->for_auth(kind).get(std::string(ns), std::string(name));
    if (!object) object = server_.store_.get(kind, std::string(ns), std::string(name));
    return object;
  }
  Object state(const model::Object& object) const {
    const ObjectMeta& m = meta(object);
    Object out;
    out.uid = m.uid;
    // The API keeps whole seconds.
    if (m.deletion_timestamp) {
      out.deletion_unix_seconds = wall_seconds(*m.deletion_timestamp, server_.config_.epoch_unix_seconds);
    }
    return out;
  }
  ApiServer& server_;
};

const ServiceAccount* PodAdmission::mutated_with() const {
  for (const AccountRead& read : reads) {
    if (read.account) return as<ServiceAccount>(read.account);
  }
  return nullptr;
}

const ServiceAccount* PodAdmission::validated_with() const {
  for (auto it = reads.rbegin(); it != reads.rend(); ++it) {
    if (it->account) return as<ServiceAccount>(it->account);
  }
  return nullptr;
}

// What the admission plugin sees: the admission caches (possibly staler
// than the authenticator's), live GETs that cost a request's latency, the
// apiserver's clock and random stream. Every account it hands out is
// recorded in `record` for the observers.
class ApiServer::AdmissionEnv final : public admission::Env {
 public:
  AdmissionEnv(ApiServer& server, PodAdmission& record) : server_(server), record_(record) {}

  const ServiceAccount* cached_service_account(const std::string& ns, const std::string& name) override {
    ObjectPtr cached = server_.caches_->for_admission(Kind::kServiceAccount).get(ns, name);
    record_.reads.push_back(AccountRead{.account = cached, .from_cache = true, .at = server_.ctx().now()});
    return as<ServiceAccount>(cached);
  }
  std::vector<const Secret*> cached_secrets(const std::string& ns) override {
    std::vector<const Secret*> out;
    server_.caches_->for_admission(Kind::kSecret).for_each_in(ns, [&](const ObjectPtr& object) {
      if (const auto* secret = as<Secret>(object)) out.push_back(secret);
    });
    return out;
  }
  sim::Task<admission::LiveGetResult> live_get_service_account(const std::string& ns,
                                                               const std::string& name) override {
    co_await server_.sleep(server_.config_.latency.sample(server_.ctx().prng()), wait::kApiserverLatency);
    ObjectPtr stored = server_.store_.get(Kind::kServiceAccount, ns, name);
    record_.reads.push_back(AccountRead{.account = stored, .from_cache = false, .at = server_.ctx().now()});
    const auto* sa = as<ServiceAccount>(stored);
    if (sa == nullptr) co_return admission::LiveGetResult(std::optional<ServiceAccount>());
    co_return admission::LiveGetResult(std::optional<ServiceAccount>(*sa));
  }
  // Admission sleeps only between lookup retries.
  sim::Task<void> sleep(sim::Duration duration) override { co_await server_.sleep(duration, wait::kRetryBackoff); }
  sim::Prng& prng() override { return server_.ctx().prng(); }
  void probe(coverage::Probe probe) override { coverage::probe(server_.ctx(), probe); }

 private:
  ApiServer& server_;
  PodAdmission& record_;
};

ApiServer::ApiServer(ApiServerConfig config, sim::Prng store_prng)
    : config_(std::move(config)),
      store_(store_prng),
      hub_(config_.watch_latency),
      caches_(std::make_unique<Caches>(config_.admission_watch_lag)),
      lookup_(std::make_unique<CacheLookup>(*this)),
      bound_lookup_(std::make_unique<BoundLookup>(*this)),
      authenticator_(std::make_unique<auth::ServiceAccountTokenAuthenticator>(config_.authenticator, lookup_.get(),
                                                                              bound_lookup_.get())) {}

void ApiServer::reconfigure(ApiServerConfig config) {
  config_ = std::move(config);
  authenticator_ =
      std::make_unique<auth::ServiceAccountTokenAuthenticator>(config_.authenticator, lookup_.get(), bound_lookup_.get());
}

auth::AuthResult ApiServer::authenticate_request(const DataValue& token, const std::vector<std::string>& audiences) {
  auth::AuthResult result = judge_presented(token, audiences, now_unix_nanos());
  if (result.last_used_patch) write_last_used(*result.last_used_patch);
  return result;
}

auth::AuthResult ApiServer::judge_presented(const DataValue& token, const std::vector<std::string>& audiences,
                                            std::int64_t unix_nanos) {
  authenticator_->set_coverage(&ctx().coverage());
  auth::AuthResult result = authenticator_->authenticate_presented(
      token, audiences.empty() ? authenticator_->config().implicit_audiences : audiences, unix_nanos);
  authenticator_->set_coverage(nullptr);
  return result;
}

void ApiServer::write_last_used(const auth::LastUsedPatch& last_used) {
  // {metadata: {name, namespace, uid, labels: {last-used: today}}}: the uid
  // makes it a precondition, so a Secret recreated under the name is not touched.
  const ObjectPtr current = store_.get(Kind::kSecret, last_used.ns, last_used.name);
  if (!current) {
    ctx().note("legacy token tracking", "patching last-used label of secret " + last_used.ns + "/" + last_used.name +
                                            ": secrets \"" + last_used.name + "\" not found");
    return;
  }
  if (meta(*current).uid != last_used.uid) {
    ctx().note("legacy token tracking", "patching last-used label of secret " + last_used.ns + "/" + last_used.name +
                                            ": Precondition failed: UID in precondition: " + last_used.uid +
                                            ", UID in object meta: " + meta(*current).uid);
    return;
  }
  ApiRequest request;
  request.verb = Verb::kPatch;
  request.kind = Kind::kSecret;
  request.namespace_ = last_used.ns;
  request.name = last_used.name;
  request.patch_type = PatchType::kMerge;
  request.merge_patch = std::make_shared<const nlohmann::json>(nlohmann::json{
      {"metadata",
       {{"name", last_used.name},
        {"namespace", last_used.ns},
        {"uid", last_used.uid},
        {"labels", {{std::string(auth::kLastUsedLabel), last_used.date}}}}}});
  request.user = "system:apiserver";
  const std::string previous_user = writing_user_;
  writing_user_ = request.user;
  const ApiResponse response = patch(request);
  writing_user_ = previous_user;
  if (!response.ok()) {
    ctx().note("legacy token tracking", "patching last-used label of secret " + last_used.ns + "/" + last_used.name +
                                            ": " + response.error->message);
  }
}

void ApiServer::queue_tracking_sync(sim::Duration delay) {
  if (tracking_sync_queued_) return;
  tracking_sync_queued_ = true;
  spawn(run_tracking_sync(delay));
}

sim::Task<void> ApiServer::run_tracking_sync(sim::Duration delay) {
  co_await sleep(delay, wait::kApiserverLatency);
  tracking_sync_queued_ = false;
  const auto* current = as<ConfigMap>(
      store_.get(Kind::kConfigMap, std::string(auth::kTrackingConfigMapNamespace), std::string(auth::kTrackingConfigMapName)));
  const TrackingSync sync = sync_tracking_config_map(config_.behaviour.legacy_token_tracking, current, ctx().now(),
                                                     config_.epoch_unix_seconds, tracking_created_at_);
  writing_user_ = "system:apiserver";
  switch (sync.action) {
    case TrackingSync::kNothing:
      break;
    case TrackingSync::kWait:
      writing_user_.clear();
      queue_tracking_sync(sync.retry_at - ctx().now());
      co_return;
    case TrackingSync::kCreate: {
      coverage::probe(ctx(), coverage::Probe::kTrackingConfigMapWritten);
      const ApiResponse created = commit_create(Object(*sync.write));
      // AlreadyExists counts as done; another error leaves the limiter unspent.
      if (created.ok()) tracking_created_at_ = ctx().now();
      break;
    }
    case TrackingSync::kUpdate: {
      coverage::probe(ctx(), coverage::Probe::kTrackingConfigMapWritten);
      (void)store_.update(Object(*sync.write));  // NotFound and Conflict count as done
      break;
    }
    case TrackingSync::kDelete: {
      Preconditions same;
      same.resource_version = current->metadata.resource_version;
      (void)store_.remove(Kind::kConfigMap, current->metadata.namespace_, current->metadata.name, same);
      break;
    }
  }
  writing_user_.clear();
}

std::int64_t ApiServer::now_unix_nanos() {
  return config_.epoch_unix_seconds * sim::Duration::kNsPerSecond + ctx().now().since_start().ns();
}

auth::AuthResult ApiServer::authenticate(std::string_view token) {
  return authenticator_->authenticate(token, now_unix_nanos());
}

auth::AuthResult ApiServer::authenticate(std::string_view token, const std::vector<std::string>& audiences) {
  if (audiences.empty()) return authenticate(token);
  return authenticator_->authenticate(token, audiences, now_unix_nanos());
}

ApiServer::~ApiServer() = default;

const client::Informer& ApiServer::auth_cache(Kind kind) const { return caches_->for_auth(kind); }
const client::Informer& ApiServer::admission_cache(Kind kind) const { return caches_->for_admission(kind); }

void ApiServer::set_faults(faults::FaultInjector* injector, const std::map<sim::ActorId, std::string>* names,
                           std::function<void(sim::ActorId)> crash_after) {
  injector_ = injector;
  actor_names_ = names;
  crash_after_ = std::move(crash_after);
  hub_.set_fault_injector(injector, names);
}

void ApiServer::start() {
  store_.set_before_change([this](const ObjectId& written) {
    if (before_auth_change_) before_auth_change_(&written);
  });
  store_.set_change_listener([this](const StoreChange& change) {
    if (!observers_.empty()) {
      StoreChange audited = change;
      audited.user = writing_user_;
      for (ApiServerObserver* observer : observers_) observer->on_commit(audited, ctx().now());
    }
    hub_.publish(ctx(), change);
    // The tracking controller's informer (its ConfigMap only) queues a sync.
    if (tracking_controller_runs() && kind_of(*change.object) == Kind::kConfigMap &&
        meta(*change.object).namespace_ == auth::kTrackingConfigMapNamespace &&
        meta(*change.object).name == auth::kTrackingConfigMapName) {
      queue_tracking_sync(config_.watch_latency.sample(ctx().prng()));
    }
  });
  if (started_before_) fail_broken_connections();
  started_before_ = true;
  open_own_watches();
  // The post-start hook: the controller's first sync.
  tracking_sync_queued_ = false;
  tracking_created_at_.reset();
  if (tracking_controller_runs()) queue_tracking_sync(sim::Duration::zero());
}

void ApiServer::fail_broken_connections() {
  ctx().note("apiserver restarted", "apiserver restarted: " + std::to_string(in_flight_.size()) + " requests lost, " +
             std::to_string(hub_.size()) + " watches closed");
  for (const auto& [serial, connection] : in_flight_) {
    if (connection.review) {
      auto result = std::make_unique<TokenReviewResult>();
      result->id = connection.id;
      result->error = "the connection to the apiserver was lost";
      ctx().reply_to(connection.from, connection.incarnation, sim::Duration::zero(), kTagTokenReviewResult,
                     std::move(result));
    } else {
      auto response = std::make_unique<ApiResponse>();
      response->id = connection.id;
      ApiStatus status;
      status.code = 503;
      status.reason = "ServiceUnavailable";
      status.message = "the connection to the apiserver was lost (it restarted): unexpected EOF";
      response->error = std::move(status);
      ctx().reply_to(connection.from, connection.incarnation, sim::Duration::zero(), kTagApiResponse,
                     std::move(response));
    }
  }
  in_flight_.clear();
  hub_.close_all(ctx());
}

ObjectPtr ApiServer::bootstrap(Object object) {
  if (auto* ns = std::get_if<Namespace>(&object)) {
    ns->phase = NamespacePhase::kActive;
    if (ns->spec_finalizers.empty()) ns->spec_finalizers.push_back(std::string(kNamespaceFinalizerKubernetes));
  }
  StoreResult result = store_.create(std::move(object), sim::Time::zero());
  SIM_CHECK(result.ok(), "bootstrap object rejected: " + (result.ok() ? std::string() : result.error().message));
  return result.value();
}

void ApiServer::open_own_watches() {
  for (Kind kind : {Kind::kServiceAccount, Kind::kSecret, Kind::kPod}) {
    const std::uint64_t id = hub_.open(ctx().self(), kind, sim::Duration::zero());
    const std::vector<ObjectPtr> items = store_.list(kind);
    caches_->for_auth(kind).replace(items, store_.resource_version(), id);
    if (caches_->separate_admission) caches_->admission[static_cast<std::size_t>(kind)].replace(items, store_.resource_version(), id);
  }
}

void ApiServer::handle_crash() {
  if (before_auth_change_) before_auth_change_(nullptr);
  // Watches break with the process; caches are rebuilt on restart.
  for (Kind kind : kAllKinds) {
    caches_->auth[static_cast<std::size_t>(kind)].reset();
    caches_->admission[static_cast<std::size_t>(kind)].reset();
  }
}

void ApiServer::handle_message(sim::Message& message) {
  switch (message.tag) {
    case kTagApiRequest: {
      const sim::ActorId from = message.from;
      const std::uint32_t incarnation = message.from_incarnation;
      spawn(serve(take_payload<ApiRequest>(message), from, incarnation));
      return;
    }
    case kTagTokenReview: {
      const sim::ActorId from = message.from;
      const std::uint32_t incarnation = message.from_incarnation;
      spawn(review(take_payload<TokenReview>(message), from, incarnation));
      return;
    }
    case kTagWatchEvent: {
      const auto* event = message.payload_as<WatchEvent>();
      SIM_CHECK(event != nullptr, "watch event without payload");
      const Kind kind = kind_of(*event->object);
      if (before_auth_change_) {
        const ObjectMeta& m = meta(*event->object);
        const ObjectId changed{kind, m.namespace_, m.name};
        before_auth_change_(&changed);
      }
      caches_->for_auth(kind).apply(*event);
      if (caches_->separate_admission) {
        auto copy = std::make_unique<WatchEvent>(*event);
        ctx().send(ctx().self(), config_.admission_watch_lag, kTagAdmissionCacheEvent, std::move(copy),
                   wait::kAdmissionCacheLag);
      }
      return;
    }
    case kTagWatchClosed:
      // Its own watches, closed by a restart; start() opened new ones.
      return;
    case kTagBreakWatches: {
      const auto* command = message.payload_as<BreakWatches>();
      SIM_CHECK(command != nullptr, "break-watches message without payload");
      hub_.close_actor(ctx(), command->actor);
      return;
    }
    case kTagAdmissionCacheEvent: {
      const auto* event = message.payload_as<WatchEvent>();
      SIM_CHECK(event != nullptr, "watch event without payload");
      caches_->admission[static_cast<std::size_t>(kind_of(*event->object))].apply(*event);
      return;
    }
    default:
      SIM_CHECK(false, "apiserver: unexpected message tag " + std::to_string(message.tag));
  }
}

sim::Task<void> ApiServer::serve(std::unique_ptr<ApiRequest> request, sim::ActorId from, std::uint32_t incarnation) {
  // (Partitions and delays act on the way here and back: faults/transport.h.)
  faults::FaultInjector::RequestFate fate;
  if (injector_ != nullptr) fate = injector_->on_request(from, *request);
  const std::uint64_t serial = next_serial_++;
  in_flight_[serial] = Connection{.from = from, .incarnation = incarnation, .id = request->id};
  co_await sleep(config_.latency.sample(ctx().prng()), wait::kApiserverLatency);
  ApiResponse response;
  if (fate.error && !fate.after_commit) {
    response.error = fate.error;
  } else if (request->verb == Verb::kWatch) {
    response = open_watch(*request, from, incarnation);
  } else if (request->verb == Verb::kCreate && request->kind == Kind::kPod && request->subresource.empty()) {
    response = co_await create_pod(*request);
  } else if (request->verb == Verb::kCreate && request->kind == Kind::kServiceAccount &&
             request->subresource == "token") {
    response = create_token_request(*request);
  } else {
    writing_user_ = request->user;
    response = execute(*request);
    writing_user_.clear();
  }
  if (fate.error && fate.after_commit) {
    // phase: after: whatever happened is committed (and observed), but the
    // client only learns of the error, as when a response is lost.
    if (response.ok()) record_lost_outcome(from, *request, response.object);
    response = ApiResponse{};
    response.error = fate.error;
  }
  response.id = request->id;
  ++requests_served_;
  in_flight_.erase(serial);
  // crashAfter: the request is committed, and the process dies before the
  // response reaches it (the crash is scheduled first at this instant).
  bool outcome_lost = false;
  if (injector_ != nullptr && response.ok() && injector_->take_crash_after(from, request->verb, request->kind) &&
      crash_after_) {
    record_lost_outcome(from, *request, response.object);
    outcome_lost = true;
    crash_after_(from);
  }
  const ObjectPtr committed = response.ok() ? response.object : nullptr;
  const bool delivered = ctx().reply_to(from, incarnation, sim::Duration::zero(), kTagApiResponse,
                                        std::make_unique<ApiResponse>(std::move(response)));
  // A partition that began while the request was being served drops the
  // answer on the link: the write is committed and its writer never learns.
  // (Bookkeeping for the known-weakness log only; nothing behaves on it.)
  if (!delivered && committed && !outcome_lost) record_lost_outcome(from, *request, committed);
}

namespace {

void fill_review_result(const auth::AuthResult& answer, TokenReviewResult& result) {
  result.authenticated = answer.outcome == auth::AuthResult::kAuthenticated;
  result.audit_annotations = answer.audit_annotations;
  result.warnings = answer.warnings;
  if (result.authenticated) {
    result.username = answer.user.name;
    result.uid = answer.user.uid;
    result.groups = answer.user.groups;
    result.extra = answer.user.extra;
  } else {
    result.error = auth::client_visible_reason(answer);
  }
}

}  // namespace

std::optional<TokenReviewResult> ApiServer::answer_review(const DataValue& token, sim::Time at) {
  const auth::AuthResult answer =
      judge_presented(token, {}, config_.epoch_unix_seconds * sim::Duration::kNsPerSecond + at.since_start().ns());
  if (answer.last_used_patch) return std::nullopt;
  TokenReviewResult result;
  fill_review_result(answer, result);
  return result;
}

sim::Task<void> ApiServer::review(std::unique_ptr<TokenReview> review, sim::ActorId from, std::uint32_t incarnation) {
  const std::uint64_t serial = next_serial_++;
  in_flight_[serial] = Connection{.from = from, .incarnation = incarnation, .id = review->id, .review = true};
  const bool periodic = review->draw_key != 0;
  const sim::Duration latency =
      periodic ? review_latency(config_.latency, review->draw_key, review->latency_cap)
               : config_.latency.sample(ctx().prng());
  const sim::Duration wait =
      review->sent_at ? std::max(sim::Duration::zero(), *review->sent_at + latency - ctx().now()) : latency;
  co_await sleep(wait, periodic ? sim::Urgency::kPeriodic : sim::Urgency::kWork, wait::kApiserverLatency);
  in_flight_.erase(serial);
  auto result = std::make_unique<TokenReviewResult>();
  result->id = review->id;
  fill_review_result(authenticate_request(review->token, review->audiences), *result);
  for (ApiServerObserver* observer : observers_) observer->on_token_review(review->token, *result, ctx().now(), review->audiences);
  ctx().reply_to(from, incarnation, sim::Duration::zero(), kTagTokenReviewResult, std::move(result), {},
                 periodic ? sim::Urgency::kPeriodic : sim::Urgency::kWork);
}

ApiResponse ApiServer::create_token_request(const ApiRequest& request) {
  if (!request.token_request) return failure(status_bad_request("create serviceaccounts/token without a TokenRequest body"));
  // The nonce is drawn only for a randomized (ES256) key, so that RS256
  // runs keep the apiserver's stream as it was.
  const bool randomized = config_.token_issuer.key && config_.token_issuer.key->randomized();
  TokenRequestContext context{ctx().now(), config_.epoch_unix_seconds, randomized ? ctx().prng().next_u64() : 0};
  // ServiceAccountTokenJTI: uuid.New() (drawn only where the gate is on, so
  // earlier releases keep their random streams).
  if (config_.behaviour.token_jti) context.jti = random_uuid(ctx().prng());
  TokenRequestOutcome outcome = create_token(config_.behaviour, config_.token_issuer, store_, request.namespace_,
                                             request.name, *request.token_request, context);
  if (outcome.error) return failure(std::move(*outcome.error));
  ApiResponse response;
  response.token_request = std::move(outcome.response);
  response.warnings = std::move(outcome.warnings);
  return response;
}

void ApiServer::record_lost_outcome(sim::ActorId from, const ApiRequest& request, const ObjectPtr& committed) {
  const bool write = request.verb == Verb::kCreate || request.verb == Verb::kUpdate || request.verb == Verb::kPatch ||
                     request.verb == Verb::kDelete;
  if (weaknesses_ == nullptr || !write || !committed) return;
  std::string actor = request.user;
  if (actor_names_ != nullptr) {
    auto it = actor_names_->find(from);
    if (it != actor_names_->end()) actor = it->second;
  }
  coverage::probe(ctx(), coverage::Probe::kT3_5WriteOutcomeLost);
  ctx().note(std::string("known weakness ") + faults::kWriteOutcomeLost,
             fmt::format("known weakness {}: {} {} {}/{}", faults::kWriteOutcomeLost, verb_name(request.verb),
                         resource_name(kind_of(*committed)), meta(*committed).namespace_, meta(*committed).name));
  weaknesses_->record(faults::WeaknessRecord{
      .weakness = faults::kWriteOutcomeLost,
      .actor = std::move(actor),
      .object = faults::ref_of(*committed),
      .account = std::holds_alternative<ServiceAccount>(*committed) ? faults::ref_of(*committed)
                                                                   : faults::account_named_by(*committed),
      .time = ctx().now()});
}

ApiResponse ApiServer::open_watch(const ApiRequest& request, sim::ActorId from, std::uint32_t incarnation) {
  ApiResponse response;
  response.watch_id = hub_.open(from, request.kind, request.watch_lag, incarnation);
  response.items = store_.list(request.kind, request.namespace_);
  response.resource_version = store_.resource_version();
  return response;
}

ApiResponse ApiServer::execute(const ApiRequest& request) {
  switch (request.verb) {
    case Verb::kGet: {
      ObjectPtr object = store_.get(request.kind, request.namespace_, request.name);
      if (!object) return failure(status_not_found(resource_name(request.kind), request.name));
      return success(std::move(object));
    }
    case Verb::kList: {
      ApiResponse response;
      response.items = store_.list(request.kind, request.namespace_);
      response.resource_version = store_.resource_version();
      return response;
    }
    case Verb::kCreate:
      return create(request);
    case Verb::kUpdate:
      return update(request);
    case Verb::kDelete:
      return remove(request);
    case Verb::kPatch:
      return patch(request);
    case Verb::kWatch:
      break;
  }
  return failure(status_bad_request("unsupported verb"));
}

std::optional<ApiStatus> ApiServer::check_namespace_accepts(Kind kind, const std::string& ns,
                                                            const std::string& name) const {
  if (!is_namespaced(kind)) return std::nullopt;
  const auto* namespace_object = as<Namespace>(store_.get(Kind::kNamespace, "", ns));
  if (namespace_object == nullptr) return status_not_found("namespaces", ns);
  if (namespace_object->phase == NamespacePhase::kTerminating) {
    return status_namespace_terminating(resource_name(kind), name, ns);
  }
  return std::nullopt;
}

ApiResponse ApiServer::create(const ApiRequest& request) {
  if (!request.body) return failure(status_bad_request("create without a body"));
  Object object = *request.body;
  const Kind kind = kind_of(object);
  // Mutating admission (namespace lifecycle, on the request's namespace)
  // runs before the store's BeforeCreate checks the body's namespace.
  if (auto rejected = check_namespace_accepts(kind, request.namespace_, meta(object).name)) {
    return failure(*rejected);
  }
  if (auto rejected = settle_namespace(object, request.namespace_)) return failure(*rejected);
  if (auto* ns = std::get_if<Namespace>(&object)) {
    ns->phase = NamespacePhase::kActive;
    if (ns->spec_finalizers.empty()) ns->spec_finalizers.push_back(std::string(kNamespaceFinalizerKubernetes));
  }
  ApiResponse response = commit_create(std::move(object));
  // The scheduler retries pods it could not place when a node appears.
  if (response.ok() && kind == Kind::kNode) schedule_pending_pods();
  return response;
}

void ApiServer::schedule(const Pod& pod) {
  if (!pod.spec.node_name.empty() || pod.metadata.deletion_timestamp) return;
  const std::optional<std::string> node = pick_node(store_, pod);
  if (!node) return;
  StoreResult bound = store_.update(Object(bound_pod(pod, *node, ctx().now(), config_.epoch_unix_seconds)));
  SIM_CHECK(bound.ok(), "binding a pod just read from storage failed");
}

void ApiServer::schedule_pending_pods() {
  for (const ObjectPtr& object : store_.list(Kind::kPod)) schedule(std::get<Pod>(*object));
}

ApiResponse ApiServer::patch(const ApiRequest& request) {
  if (!request.merge_patch) return failure(status_bad_request("patch without a body"));
  ObjectPtr current = store_.get(request.kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(request.kind), request.name));
  // RFC 7386 on the object as the API shows it, then decoded back: what the
  // apiserver's patch handler does. A resourceVersion in the patch is a
  // precondition, as in an update.
  const EncodeOptions options{.epoch_unix_seconds = config_.epoch_unix_seconds};
  nlohmann::json document = encode_object(*current, options);
  switch (request.patch_type) {
    case PatchType::kStrategic:
      document = strategic_merge(request.kind, document, *request.merge_patch);
      break;
    case PatchType::kJson: {
      auto patched = apply_json_patch(document, *request.merge_patch);
      if (!patched) return failure(patched.error());
      document = std::move(patched).value();
      break;
    }
    case PatchType::kMerge:
      document.merge_patch(*request.merge_patch);
      break;
  }
  auto decoded = decode_object(document, options);
  if (!decoded) {
    return failure(status_bad_request(decoded.error().message + " at " + decoded.error().path));
  }
  Object patched = std::move(decoded).value();
  // (A JSON patch's operations act on the document, which carries the
  // stored resourceVersion unless an operation changed it.)
  if (request.patch_type != PatchType::kJson &&
      (!request.merge_patch->contains("metadata") || !(*request.merge_patch)["metadata"].contains("resourceVersion"))) {
    meta(patched).resource_version = meta(*current).resource_version;
  }
  ApiRequest as_update;
  as_update.verb = Verb::kUpdate;
  as_update.kind = request.kind;
  as_update.namespace_ = request.namespace_;
  as_update.name = request.name;
  as_update.subresource = request.subresource;
  as_update.body = std::make_shared<const Object>(std::move(patched));
  return update(as_update);
}

ApiResponse ApiServer::commit_create(Object object) {
  if (auto* secret = std::get_if<Secret>(&object)) {
    if (secret->type.empty()) secret->type = std::string(kSecretTypeOpaque);
  }
  if (auto rejected = invalid(object, validate_create(object))) return failure(*rejected);
  StoreResult result = store_.create(std::move(object), ctx().now());
  if (!result) return failure(result.error());
  return success(result.value());
}

sim::Task<ApiResponse> ApiServer::create_pod(const ApiRequest& request) {
  if (!request.body || !std::holds_alternative<Pod>(*request.body)) {
    co_return failure(status_bad_request("create pods without a Pod body"));
  }
  Pod pod = std::get<Pod>(*request.body);
  // Admission (lifecycle, then ServiceAccount) works in the request's
  // namespace; the body's is checked after it, by BeforeCreate.
  const std::string ns = request.namespace_;
  if (auto rejected = check_namespace_accepts(Kind::kPod, ns, pod.metadata.name)) co_return failure(*rejected);
  apply_pod_defaults(pod);  // the decoder's defaults
  co_await sleep(config_.admission_latency.sample(ctx().prng()), wait::kAdmissionLatency);
  admission::Attributes attributes;
  attributes.operation = admission::Operation::kCreate;
  attributes.resource = "pods";
  attributes.namespace_ = ns;
  attributes.name = pod.metadata.name;
  PodAdmission record;
  record.started = ctx().now();
  AdmissionEnv env(*this, record);
  // 1.20's default chain, mutating then validating: ServiceAccount, Priority,
  // DefaultTolerationSeconds, then ServiceAccount's validation.
  std::optional<ApiStatus> rejected = co_await admission::mutate(attributes, &pod, env, config_.admission);
  if (!rejected) rejected = admission::admit_priority(attributes, pod, nullptr);
  if (!rejected) {
    admission::admit_default_toleration_seconds(attributes, pod);
    rejected = co_await admission::validate(attributes, &pod, env, config_.admission);
  }
  if (rejected) {
    record.stored_account = store_.get(Kind::kServiceAccount, pod.metadata.namespace_, pod.spec.service_account_name);
    for (ApiServerObserver* observer : observers_) observer->on_pod_rejected(pod, *rejected, record, ctx().now());
    co_return failure(std::move(*rejected));
  }
  // Lifecycle again: the namespace may have started terminating meanwhile.
  if (auto late = check_namespace_accepts(Kind::kPod, ns, pod.metadata.name)) co_return failure(*late);
  // Storage decodes with defaults too: what admission added (a token volume) gets them.
  apply_pod_defaults(pod);
  prepare_pod_for_create(pod);
  const std::string sa_name = pod.spec.service_account_name;
  Object object(std::move(pod));
  if (auto mismatch = settle_namespace(object, ns)) co_return failure(*mismatch);
  writing_user_ = request.user;
  ApiResponse response = commit_create(std::move(object));
  writing_user_.clear();
  if (response.ok()) {
    record.stored_account = store_.get(Kind::kServiceAccount, ns, sa_name);
    for (ApiServerObserver* observer : observers_) {
      observer->on_pod_admitted(std::get<Pod>(*response.object), record, ctx().now());
    }
    schedule(std::get<Pod>(*response.object));
  }
  co_return response;
}

ApiResponse ApiServer::update(const ApiRequest& request) {
  if (!request.body) return failure(status_bad_request("update without a body"));
  Object object = *request.body;
  const Kind kind = kind_of(object);
  if (auto rejected = check_name(object, request)) return failure(*rejected);
  ObjectPtr current = store_.get(kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(kind), request.name));
  if (auto rejected = settle_namespace(object, request.namespace_)) return failure(*rejected);
  if (auto* ns = std::get_if<Namespace>(&object)) {
    // status is a subresource: a plain update keeps the phase; "finalize"
    // changes only spec.finalizers.
    const auto& old_ns = std::get<Namespace>(*current);
    ns->phase = old_ns.phase;
    if (request.subresource != "finalize") ns->spec_finalizers = old_ns.spec_finalizers;
  }
  if (auto* pod = std::get_if<Pod>(&object)) {
    const auto& old_pod = std::get<Pod>(*current);
    if (request.subresource == "status") {
      PodStatus status = pod->status;
      *pod = old_pod;
      pod->status = status;
      pod->metadata.resource_version = meta(*request.body).resource_version;
    } else {
      pod->status = old_pod.status;
      apply_pod_defaults(*pod);
      // The mutating plugins that handle updates (ServiceAccount does not in 1.20).
      admission::Attributes attributes;
      attributes.operation = admission::Operation::kUpdate;
      attributes.resource = "pods";
      attributes.namespace_ = request.namespace_;
      attributes.name = request.name;
      if (auto rejected = admission::admit_priority(attributes, *pod, &old_pod)) return failure(*rejected);
      admission::admit_default_toleration_seconds(attributes, *pod);
    }
  }
  if (auto* node = std::get_if<Node>(&object)) {
    // nodeStrategy: status changes only through the status subresource,
    // and the status subresource changes nothing else.
    const auto& old_node = std::get<Node>(*current);
    if (request.subresource == "status") {
      node->spec = old_node.spec;
    } else {
      node->status = old_node.status;
    }
  }
  if (auto* secret = std::get_if<Secret>(&object)) {
    if (secret->type.empty()) secret->type = std::string(kSecretTypeOpaque);
  }
  // rest.BeforeUpdate: an update never sets, moves or clears a deletion.
  meta(object).deletion_timestamp = meta(*current).deletion_timestamp;
  meta(object).deletion_grace_period_seconds = meta(*current).deletion_grace_period_seconds;
  if (auto rejected = invalid(object, validate_update(object, *current))) return failure(*rejected);
  if (should_delete_during_update(object, *current)) {
    // The update emptied the finalizers of an object waiting only for them:
    // the registry removes it instead of writing it (deleteWithoutFinalizers).
    const ObjectMeta& m = meta(object);
    const ObjectMeta& stored = meta(*current);
    if (m.resource_version != 0 && m.resource_version != stored.resource_version) {
      return failure(status_conflict_modified(resource_name(kind), request.name));
    }
    Preconditions same;
    same.uid = m.uid.empty() ? stored.uid : m.uid;
    StoreResult removed = store_.remove(kind, request.namespace_, request.name, same);
    if (!removed) return failure(removed.error());
    return success(removed.value());
  }
  StoreResult result = store_.update(std::move(object));
  if (!result) return failure(result.error());
  return success(result.value());
}

ApiResponse ApiServer::remove(const ApiRequest& request) {
  if (request.kind == Kind::kNamespace) {
    ObjectPtr current = store_.get(Kind::kNamespace, "", request.name);
    if (!current) return failure(status_not_found("namespaces", request.name));
    const auto& ns = std::get<Namespace>(*current);
    // Preconditions hold for the graceful first step too: a DELETE meant
    // for an earlier namespace of the same name must not start deleting
    // its successor (the store checks them for the final removal).
    if (request.preconditions.uid && *request.preconditions.uid != ns.metadata.uid) {
      return failure(status_conflict("namespaces", request.name,
                                     fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: {}",
                                                 *request.preconditions.uid, ns.metadata.uid)));
    }
    if (ns.phase != NamespacePhase::kTerminating) {
      // Graceful: the namespace turns Terminating and the namespace
      // controller empties it; the object goes once it is finalized.
      Namespace terminating = ns;
      terminating.phase = NamespacePhase::kTerminating;
      terminating.metadata.deletion_timestamp = ctx().now();
      StoreResult result = store_.update(Object(std::move(terminating)));
      if (!result) return failure(result.error());
      return success(result.value());
    }
    // Prior to its final deletion a namespace must be finalized: until the
    // namespace controller has emptied it, another DELETE is refused.
    if (!ns.spec_finalizers.empty()) {
      return failure(status_conflict("namespaces", request.name,
                                     "The system is ensuring all content is removed from this namespace.  Upon "
                                     "completion, this namespace will automatically be purged by the system."));
    }
  }
  ObjectPtr current = store_.get(request.kind, request.namespace_, request.name);
  if (!current) return failure(status_not_found(resource_name(request.kind), request.name));
  if (auto failed = store_.precondition_failure(*current, request.preconditions)) return failure(*failed);
  DeletionPlan plan = plan_deletion(*current, request.grace_period_seconds, ctx().now());
  switch (plan.action) {
    case DeletionPlan::Action::kAlreadyDeleting:
      return success(current);
    case DeletionPlan::Action::kRemove:
      break;
    case DeletionPlan::Action::kMarkDeleting:
    case DeletionPlan::Action::kMarkThenRemove: {
      StoreResult marked = store_.mark_deleting(std::move(*plan.updated));
      if (!marked) return failure(marked.error());
      if (plan.action == DeletionPlan::Action::kMarkDeleting) return success(marked.value());
      // The removal follows the write at once; a resourceVersion
      // precondition now names the version just written, as the registry
      // updates it.
      Preconditions after = request.preconditions;
      if (after.resource_version) after.resource_version = meta(*marked.value()).resource_version;
      StoreResult removed = store_.remove(request.kind, request.namespace_, request.name, after);
      if (!removed) return failure(removed.error());
      return success(removed.value());
    }
  }
  StoreResult result = store_.remove(request.kind, request.namespace_, request.name, request.preconditions);
  if (!result) return failure(result.error());
  return success(result.value());
}

}  // namespace sasim::model
