#include "model/cluster/cluster.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/cluster/idle_horizon.h"
#include "model/api/wait_categories.h"
#include "model/auth/bound_token.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/lazy_token.h"
#include "model/cluster/node_status_reporter.h"
#include "model/cluster/nodes.h"
#include "sim/check.h"

namespace sasim::model {

// The harness's hands: each submission is a coroutine that waits for the
// response and hands it to the caller's callback.
class UserClient final : public client::ClientActor {
 public:
  UserClient() : client::ClientActor(client::ClientOptions{.user = "kubectl", .qps = 1'000'000, .burst = 1'000'000}) {}

  void submit(std::unique_ptr<ApiRequest> request, int max_retries, std::function<void(ApiResponse)> done) {
    spawn(run(std::move(request), max_retries, std::move(done)));
  }
  void review(std::string token, std::vector<std::string> audiences, std::function<void(TokenReviewResult)> done) {
    spawn(run_review(std::move(token), std::move(audiences), std::move(done)));
  }
  // The harness calls in from outside any handler; reap what finished.
  void after_external_call() {}

 protected:
  void start() override {}

 private:
  sim::Task<void> run(std::unique_ptr<ApiRequest> request, int max_retries, std::function<void(ApiResponse)> done) {
    ApiResponse response = co_await call(std::move(request), max_retries);
    done(std::move(response));
  }
  sim::Task<void> run_review(std::string token, std::vector<std::string> audiences,
                             std::function<void(TokenReviewResult)> done) {
    TokenReviewResult result = co_await review_token(std::move(token), std::move(audiences));
    done(std::move(result));
  }
};

ClusterConfig default_cluster_config() {
  ClusterConfig config;
  config.apiserver.latency = default_apiserver_latency();
  return config;
}

namespace {

// Fills in what follows from the signing key and CA: the tokens
// controller's generator and CA bytes, the authenticator's keys.
void complete_config(ClusterConfig& config) {
  if (!config.signing_key) {
    auto key = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem());
    SIM_CHECK(key.ok(), "the built-in signing key does not load");
    config.signing_key = std::make_shared<const auth::SigningKey>(std::move(key).value());
  }
  if (!config.root_ca) config.root_ca = std::string(auth::builtin_root_ca_pem());
  if (config.tokens_controller.root_ca.empty()) config.tokens_controller.root_ca = *config.root_ca;
  if (config.root_ca_publisher.root_ca.empty()) config.root_ca_publisher.root_ca = *config.root_ca;
  if (!config.tokens_controller.token_generator) {
    std::shared_ptr<const auth::SigningKey> key = config.signing_key;
    config.tokens_controller.token_generator = [key](const ServiceAccount& sa, const std::string& secret_name,
                                                     std::uint64_t nonce_seed) {
      return std::shared_ptr<const LazyValue>(auth::make_legacy_token(key, sa.metadata.namespace_, sa.metadata.name,
                                                                      sa.metadata.uid, secret_name, nonce_seed));
    };
  }
  if (config.apiserver.authenticator.keys.empty()) {
    config.apiserver.authenticator.keys.push_back(config.signing_key->public_key());
    for (const auth::PublicKey& key : config.verification_keys) config.apiserver.authenticator.keys.push_back(key);
  }
  config.apiserver.authenticator.lookup = config.service_account_lookup;
  apply_release(config);
}

}  // namespace

// What a component started at config.behaviour's release is given: every
// release-dependent setting of every component, from the one table. A
// cluster applies it once at construction, and again, per component, when
// an upgrade restarts one at a new release (Cluster::upgrade), so that a
// component restarted at V runs exactly as in a cluster started at V.
void apply_release(ClusterConfig& config) {
  // kube-apiserver's service-account flags (B11: --api-audiences defaults to the issuers).
  const versions::Behaviour& b = config.behaviour;
  const std::vector<std::string> audiences =
      config.api_audiences.empty() ? config.service_account_issuers : config.api_audiences;
  config.apiserver.behaviour = b;
  // T3 or T3': whether the tokens controller makes a Secret for every account.
  config.tokens_controller.auto_generate = b.tokens_controller_auto_generates;
  TokenIssuerConfig& issuer = config.apiserver.token_issuer;
  issuer.issuers = config.service_account_issuers;
  issuer.api_audiences = audiences;
  issuer.max_expiration_seconds = config.max_token_expiration ? config.max_token_expiration->ns() / sim::Duration::kNsPerSecond : 0;
  issuer.extend_expiration = config.extend_token_expiration;
  issuer.key = config.signing_key;
  auth::AuthenticatorConfig& authn = config.apiserver.authenticator;
  authn.implicit_audiences = audiences;
  authn.bound_issuers = config.service_account_issuers;
  authn.bound.capitalised_messages = b.bound_token_messages == versions::BoundTokenMessages::kCapitalised;
  authn.bound.go_jose_checks_iat = b.bound_token_checks_iat;
  authn.bound.uid_before_deletion = b.bound_token_uid_before_deletion;
  authn.bound_post_verification_issuer_check = b.post_verification_issuer_check;
  authn.bound.node_binding_validation = b.node_binding_validation;
  authn.bound.pod_node_info = b.token_pod_node_info;
  authn.bound.credential_id = b.token_jti;
  authn.legacy_tracking.tracking = b.legacy_token_tracking;
  authn.legacy_tracking.invalid_since_check = b.legacy_invalid_since_check;

  // The ServiceAccount admission plugin of the release.
  admission::Config& admission = config.apiserver.admission;
  admission.bound_service_account_token_volume = b.token_mount == versions::TokenMount::kProjected;
  admission.bound_token_expiration_seconds = b.projected_token_expiration_seconds;
  admission.bound_token_default_mode = b.projected_default_mode;
  admission.ephemeral_containers_fix = b.admission_validates_ephemeral_containers;
  admission.env_from_fix = b.admission_checks_env_from;

  // The kubelet's client limits (its KubeletConfiguration defaults).
  config.kubelet.client.qps = b.kubelet_api_qps;
  config.kubelet.client.burst = b.kubelet_api_burst;

  // CLN: the legacy-token cleaner of the release.
  config.legacy_token_cleaner.mode = b.legacy_token_cleanup;
  config.legacy_token_cleaner.clean_up_period = config.legacy_token_clean_up_period;
  config.legacy_token_cleaner.epoch_unix_seconds = config.apiserver.epoch_unix_seconds;

  // The kubelet reads kube-root-ca.crt for projected volumes; until
  // ConfigMaps are simulated it stands for what the publisher writes.
}

std::vector<std::string> controller_manager_actors(const versions::Behaviour& behaviour) {
  std::vector<std::string> names{Cluster::kTokensController, Cluster::kServiceAccountsController,
                                 Cluster::kNamespaceController};
  if (behaviour.root_ca_publisher) names.emplace_back(Cluster::kRootCaPublisher);
  if (behaviour.legacy_token_cleanup != versions::LegacyTokenCleanup::kNone) {
    names.emplace_back(Cluster::kLegacyTokenCleaner);
  }
  return names;
}

Cluster::Cluster(sim::Simulator& simulator, ClusterConfig config)
    : simulator_(simulator), config_(std::move(config)), weaknesses_(std::make_unique<faults::WeaknessLog>()) {
  complete_config(config_);
  config_.tokens_controller.weaknesses = weaknesses_.get();
  auto apiserver = std::make_unique<ApiServer>(config_.apiserver, simulator_.fork_prng());
  apiserver_ = apiserver.get();
  for (const std::string& name : config_.namespaces) {
    Namespace ns;
    ns.metadata.name = name;
    apiserver_->bootstrap(Object(std::move(ns)));
  }
  const std::optional<versions::KubeVersion> version = versions::KubeVersion::parse(config_.version);
  const std::optional<versions::ReleaseInfo> release =
      version ? versions::release_info(*version) : std::optional<versions::ReleaseInfo>();
  SIM_CHECK(release.has_value(), "unsupported cluster version " + config_.version);
  SIM_CHECK(config_.nodes.size() <= kMaxNodes, "too many nodes");
  for (std::size_t i = 0; i < config_.nodes.size(); ++i) {
    apiserver_->bootstrap(Object(registered_node(config_.nodes[i], i, *release)));
  }
  simulator_.add_actor(kApiServer, std::move(apiserver));

  auto tokens = std::make_unique<controllers::TokensController>(config_.tokens_controller);
  tokens_controller_ = tokens.get();
  simulator_.add_actor(kTokensController, std::move(tokens));

  auto serviceaccounts = std::make_unique<controllers::ServiceAccountsController>(config_.serviceaccounts_controller);
  serviceaccounts_controller_ = serviceaccounts.get();
  simulator_.add_actor(kServiceAccountsController, std::move(serviceaccounts));

  auto namespaces = std::make_unique<controllers::NamespaceController>(config_.namespace_controller);
  namespace_controller_ = namespaces.get();
  simulator_.add_actor(kNamespaceController, std::move(namespaces));

  releases_.fill(config_.behaviour);
  admission_in_force_ = config_.apiserver.admission;
  if (config_.behaviour.root_ca_publisher) {
    auto publisher = std::make_unique<controllers::RootCaPublisher>(config_.root_ca_publisher);
    root_ca_publisher_ = publisher.get();
    simulator_.add_actor(kRootCaPublisher, std::move(publisher));
  }

  config_.kubelet.nodes.clear();
  for (std::size_t i = 0; i < config_.nodes.size(); ++i) {
    const NodeNetwork network = node_network(i);
    config_.kubelet.nodes.push_back({config_.nodes[i], network.internal_ip, network.pod_cidr});
  }
  config_.kubelet.epoch_unix_seconds = config_.apiserver.epoch_unix_seconds;
  // The pods' presentations draw the apiserver's latency from their own
  // counter-based keys (TokenReview::draw_key), salted by the seed without
  // taking a draw from any stream.
  config_.kubelet.presentation_salt = sim::SplitMix64(simulator_.seed() ^ 0x7072'6573'656e'7473ULL).next();
  config_.kubelet.review_latency = config_.apiserver.latency;
  // Idle runs (kubelet.h): the horizon from the apiserver's storage, the
  // repeated reviews to the apiserver's observers.
  config_.kubelet.verdict_horizon = [this](const std::string& ns, const std::string& name, const DataValue& token,
                                           sim::Time now) {
    if (!simulator_.is_up(simulator_.find_actor(kApiServer))) return kubelet::IdleVerdict{.horizon = now};
    return idle_verdict_horizon(apiserver_->store(), config_.apiserver.epoch_unix_seconds, ns, name, token, now);
  };
  // A run goes on across a refresh with the apiserver's answer for the new
  // token; only for a bound token nobody read, whose review writes nothing.
  config_.kubelet.answer_review = [this](const DataValue& token, sim::Time at) -> std::optional<TokenReviewResult> {
    if (dynamic_cast<const auth::BoundToken*>(token.lazy()) == nullptr) return std::nullopt;
    if (!simulator_.is_up(simulator_.find_actor(kApiServer))) return std::nullopt;
    return apiserver_->answer_review(token, at);
  };
  config_.kubelet.reviews_repeated = [this](const DataValue& token, const TokenReviewResult& result,
                                            std::uint64_t count, const std::function<sim::Time(std::uint64_t)>& time_of) {
    apiserver_->notify_reviews_repeated(token, result, count, time_of);
  };
  auto kubelet = std::make_unique<kubelet::Kubelet>(config_.kubelet);
  kubelet_ = kubelet.get();
  simulator_.add_actor(kKubelet, std::move(kubelet));

  auto kubectl = std::make_unique<UserClient>();
  kubectl_ = kubectl.get();
  kubectl_id_ = simulator_.add_actor(kKubectl, std::move(kubectl));

  // Added last, so that the releases without it keep their actors' ids and
  // random streams.
  if (config_.behaviour.legacy_token_cleanup != versions::LegacyTokenCleanup::kNone) {
    auto cleaner = std::make_unique<controllers::LegacyTokenCleaner>(config_.legacy_token_cleaner);
    legacy_token_cleaner_ = cleaner.get();
    simulator_.add_actor(kLegacyTokenCleaner, std::move(cleaner));
  }

  // Forked after every actor, so that faults shift no actor's random stream.
  injector_ = std::make_unique<faults::FaultInjector>(simulator_.fork_prng(), weaknesses_.get());
  // Likewise the tokens controller's signing stream (ES256 nonces) and the
  // transport's (delay draws).
  tokens_controller_->set_signing_stream(simulator_.fork_prng());
  transport_ = std::make_unique<faults::Transport>(simulator_.fork_prng(), simulator_.find_actor(kApiServer));
  simulator_.set_link_policy(transport_.get());
  faults_ = std::make_unique<FaultController>(simulator_, *this, *injector_, *transport_);
  for (std::uint32_t i = 0; i < simulator_.actor_count(); ++i) actor_names_[sim::ActorId{i}] = simulator_.actor_name(sim::ActorId{i});
  apiserver_->set_weakness_log(weaknesses_.get());
  // Whatever the authenticator reads is about to change: the kubelet's idle
  // runs close first. An apiserver crash is a fault: no more runs.
  apiserver_->set_before_auth_change([this](const ObjectId* changed) {
    if (changed == nullptr) {
      kubelet_->stop_idle_elision();
    } else {
      kubelet_->close_idle_runs_reading(*changed);
    }
  });
  apiserver_->set_faults(injector_.get(), &actor_names_,
                         [this](sim::ActorId actor) { faults_->crash(actor, std::nullopt); });
}

Cluster::~Cluster() { simulator_.set_link_policy(nullptr); }

std::vector<std::string> Cluster::actors_of(versions::Component component) const {
  switch (component) {
    case versions::Component::kApiServer: return {kApiServer};
    case versions::Component::kControllerManager: return controller_manager_actors(release(component));
    case versions::Component::kKubelet: return {kKubelet};
  }
  return {};
}

void Cluster::upgrade(versions::Component component, versions::Behaviour release, sim::Duration downtime,
                      std::function<void()> serving) {
  const std::string what = fmt::format("upgrade {} {} -> {}", versions::component_name(component),
                                       this->release(component).version.to_string(), release.version.to_string());
  const std::vector<std::string> stopped = actors_of(component);
  simulator_.note("upgrade", fmt::format("{}: stopping {}", what, fmt::join(stopped, ", ")));
  // Components stop as in a crash: idle runs (kubelet.h) end before, as for a fault.
  kubelet_->stop_idle_elision();
  for (const std::string& name : stopped) simulator_.crash_at(simulator_.now(), simulator_.find_actor(name));
  simulator_.call_at(simulator_.now() + downtime, what, [this, component, release, stopped, what,
                                                         serving = std::move(serving)](sim::Simulator&) {
    // The configuration a cluster started at `release` would give the
    // component: the one table, applied as at construction.
    ClusterConfig next = config_;
    next.behaviour = release;
    apply_release(next);
    switch (component) {
      case versions::Component::kApiServer:
        if (!config_.broken_upgrade_keeps_apiserver_release) apiserver_->reconfigure(next.apiserver);
        break;
      case versions::Component::kControllerManager:
        tokens_controller_->reconfigure(next.tokens_controller);
        // 1.28's direct deletion becomes 1.29's two phases.
        if (legacy_token_cleaner_ != nullptr) legacy_token_cleaner_->reconfigure(next.legacy_token_cleaner);
        break;
      case versions::Component::kKubelet:
        // The new release's client limits; its Node's status is written once it is back (below).
        kubelet_->set_rate_limits(next.kubelet.client.qps, next.kubelet.client.burst);
        break;
    }
    const versions::KubeVersion from = this->release(component).version;
    releases_[static_cast<std::size_t>(component)] = release;
    if (component == versions::Component::kApiServer) admission_in_force_ = next.apiserver.admission;
    ++upgrades_;
    for (const std::string& name : stopped) simulator_.restart_at(simulator_.now(), simulator_.find_actor(name));
    // Controllers the new release runs and the old one did not start now.
    if (component == versions::Component::kControllerManager) start_missing_controllers(next);
    std::vector<std::string> started = actors_of(component);
    simulator_.note("upgrade", fmt::format("{}: starting {}", what, fmt::join(started, ", ")));
    if (component == versions::Component::kKubelet) report_node_status(release.version, next.kubelet.client);
    UpgradeRecord record{.component = component, .from = from, .to = release.version, .serving = simulator_.now(),
                         .running = started, .started = {}};
    for (const std::string& name : started) {
      if (std::find(stopped.begin(), stopped.end(), name) == stopped.end()) record.started.push_back(name);
    }
    for (UpgradeObserver* observer : upgrade_observers_) observer->on_upgrade(record);
    // After the restarts above (same instant, later in the queue).
    simulator_.call_at(simulator_.now(), what + " serving", [serving](sim::Simulator&) {
      if (serving) serving();
    });
  });
}

void Cluster::report_node_status(const versions::KubeVersion& version, const client::ClientOptions& client) {
  const std::optional<versions::ReleaseInfo> info = versions::release_info(version);
  SIM_CHECK(info.has_value(), "no release info for " + version.to_string());
  if (node_status_reporter_ == nullptr) {
    // The kubelet's own client: its user and limits.
    auto reporter = std::make_unique<NodeStatusReporter>(client);
    node_status_reporter_ = reporter.get();
    const sim::ActorId id = simulator_.add_actor(kNodeStatusReporter, std::move(reporter));
    actor_names_[id] = kNodeStatusReporter;
  }
  node_status_reporter_->report(config_.nodes, *info);
}

void Cluster::start_missing_controllers(const ClusterConfig& next) {
  if (next.behaviour.root_ca_publisher && root_ca_publisher_ == nullptr) {
    auto publisher = std::make_unique<controllers::RootCaPublisher>(next.root_ca_publisher);
    root_ca_publisher_ = publisher.get();
    const sim::ActorId id = simulator_.add_actor(kRootCaPublisher, std::move(publisher));
    actor_names_[id] = kRootCaPublisher;
  }
  if (next.behaviour.legacy_token_cleanup != versions::LegacyTokenCleanup::kNone && legacy_token_cleaner_ == nullptr) {
    auto cleaner = std::make_unique<controllers::LegacyTokenCleaner>(next.legacy_token_cleaner);
    legacy_token_cleaner_ = cleaner.get();
    const sim::ActorId id = simulator_.add_actor(kLegacyTokenCleaner, std::move(cleaner));
    actor_names_[id] = kLegacyTokenCleaner;
  }
}

void Cluster::submit(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done, int max_retries) {
  kubectl_->submit(std::move(request), max_retries, std::move(done));
}

void Cluster::review_token(std::string token, std::function<void(TokenReviewResult)> done,
                           std::vector<std::string> audiences) {
  kubectl_->review(std::move(token), std::move(audiences), std::move(done));
}

}  // namespace sasim::model
