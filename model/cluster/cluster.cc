#include "model/cluster/cluster.h"

#include "model/api/wait_categories.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/lazy_token.h"
#include "model/cluster/nodes.h"
#include "sim/check.h"

namespace sasim::model {

// The harness's hands: each submission is a coroutine that waits for the
// response and hands it to the caller's callback.
class UserClient final : public client::ClientActor {
 public:
  UserClient() : client::ClientActor(client::ClientOptions{.user = "kubectl", .qps = 1'000'000, .burst = 1'000'000}) {}

  void submit(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done) {
    spawn(run(std::move(request), std::move(done)));
  }
  void submit_retrying(std::unique_ptr<ApiRequest> request, int attempts,
                       std::function<void(ApiResponse, int)> done) {
    spawn(run_retrying(std::move(request), attempts, std::move(done)));
  }
  void review(std::string token, std::function<void(TokenReviewResult)> done) {
    spawn(run_review(std::move(token), std::move(done)));
  }
  // The harness calls in from outside any handler; reap what finished.
  void after_external_call() {}

 protected:
  void start() override {}

 private:
  sim::Task<void> run(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done) {
    ApiResponse response = co_await call(std::move(request));
    done(std::move(response));
  }
  // client-go's retry of a request: the same request again after the
  // Retry-After the answer carried (at least a second), on a 429 or on a
  // 5xx that carries one (admission's ServerTimeout does), up to `attempts`
  // times in all. The wait is the client's own, so a recorded trace shows it
  // as kubectl's "client retry".
  sim::Task<void> run_retrying(std::unique_ptr<ApiRequest> request, int attempts,
                               std::function<void(ApiResponse, int)> done) {
    for (int attempt = 0;; ++attempt) {
      ApiResponse response = co_await call(std::make_unique<ApiRequest>(*request));
      const bool retriable = response.error && (response.error->code == 429 ||
                                                (response.error->code >= 500 &&
                                                 response.error->details.retry_after_seconds > 0));
      if (!retriable || attempt + 1 >= attempts) {
        done(std::move(response), attempt);
        co_return;
      }
      co_await sleep(sim::Duration::seconds(std::max(1, response.error->details.retry_after_seconds)),
                     wait::kClientRetry);
    }
  }
  sim::Task<void> run_review(std::string token, std::function<void(TokenReviewResult)> done) {
    TokenReviewResult result = co_await review_token(std::move(token));
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
  if (!config.tokens_controller.token_generator) {
    std::shared_ptr<const auth::SigningKey> key = config.signing_key;
    config.tokens_controller.token_generator = [key](const ServiceAccount& sa, const std::string& secret_name) {
      return std::shared_ptr<const LazyValue>(
          auth::make_legacy_token(key, sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid, secret_name));
    };
  }
  if (config.apiserver.authenticator.keys.empty()) {
    config.apiserver.authenticator.keys.push_back(config.signing_key->public_key());
  }
  config.apiserver.authenticator.lookup = config.service_account_lookup;
}

}  // namespace

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

  config_.kubelet.nodes.clear();
  for (std::size_t i = 0; i < config_.nodes.size(); ++i) {
    const NodeNetwork network = node_network(i);
    config_.kubelet.nodes.push_back({config_.nodes[i], network.internal_ip, network.pod_cidr});
  }
  config_.kubelet.epoch_unix_seconds = config_.apiserver.epoch_unix_seconds;
  auto kubelet = std::make_unique<kubelet::Kubelet>(config_.kubelet);
  kubelet_ = kubelet.get();
  simulator_.add_actor(kKubelet, std::move(kubelet));

  auto kubectl = std::make_unique<UserClient>();
  kubectl_ = kubectl.get();
  kubectl_id_ = simulator_.add_actor(kKubectl, std::move(kubectl));

  // Forked after every actor, so that faults shift no actor's random stream.
  injector_ = std::make_unique<faults::FaultInjector>(simulator_.fork_prng(), weaknesses_.get());
  faults_ = std::make_unique<FaultController>(simulator_, *this, *injector_);
  for (std::uint32_t i = 0; i < simulator_.actor_count(); ++i) actor_names_[sim::ActorId{i}] = simulator_.actor_name(sim::ActorId{i});
  apiserver_->set_weakness_log(weaknesses_.get());
  apiserver_->set_faults(injector_.get(), &actor_names_,
                         [this](sim::ActorId actor) { faults_->crash(actor, std::nullopt); });
}

Cluster::~Cluster() = default;

void Cluster::submit(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done) {
  kubectl_->submit(std::move(request), std::move(done));
}

void Cluster::submit_retrying(std::unique_ptr<ApiRequest> request, int attempts,
                              std::function<void(ApiResponse, int)> done) {
  kubectl_->submit_retrying(std::move(request), attempts, std::move(done));
}

void Cluster::review_token(std::string token, std::function<void(TokenReviewResult)> done) {
  kubectl_->review(std::move(token), std::move(done));
}

}  // namespace sasim::model
