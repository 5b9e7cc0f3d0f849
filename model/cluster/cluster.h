// Cluster: a Kubernetes control plane assembled on a Simulator: the
// apiserver, the controllers of kube-controller-manager that the
// ServiceAccount machinery involves (the root-CA publisher where the release
// runs it), a kubelet, and a user client
// (kubectl) through which the harness acts. Built from plain configuration
// (ClusterConfig), so that scenarios, property tests and benchmarks build
// worlds the same way.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/apiserver/apiserver.h"
#include "model/cluster/fault_controller.h"
#include "model/cluster/upgrade_record.h"
#include "model/faults/injector.h"
#include "model/faults/weakness_log.h"
#include "model/auth/signing_key.h"
#include "model/controllers/legacy_token_cleaner.h"
#include "model/controllers/namespace_controller.h"
#include "model/controllers/root_ca_publisher.h"
#include "model/controllers/serviceaccounts_controller.h"
#include "model/controllers/tokens_controller.h"
#include "model/kubelet/kubelet.h"
#include "model/versions/behaviour.h"
#include "model/versions/version_skew.h"
#include "sim/simulator.h"

namespace sasim::model {

struct ClusterConfig {
  std::string version = "1.20";
  // What the release does, with its feature gates (model/versions). Every
  // component's release-dependent settings are taken from it when the
  // cluster is built (complete_config); nothing else compares versions.
  versions::Behaviour behaviour = versions::behaviour_of(versions::FeatureGates(versions::KubeVersion{20}));
  // The namespaces a fresh cluster has had since 1.14.
  std::vector<std::string> namespaces{"default", "kube-node-lease", "kube-public", "kube-system"};
  // Nodes registered at time 0 (nodes.h), each run by the kubelet.
  std::vector<std::string> nodes{"node-1"};
  // kube-controller-manager's --service-account-private-key-file; the
  // apiserver verifies with its public half. Null: the built-in RS256 key.
  std::shared_ptr<const auth::SigningKey> signing_key{};
  // --root-ca-file: the bytes of ca.crt in token Secrets. Defaults to the built-in CA.
  std::optional<std::string> root_ca{};
  bool service_account_lookup = true;
  // kube-apiserver's --service-account-issuer: the first is written into
  // bound tokens, all are accepted (several from 1.22). Legacy tokens keep
  // the issuer kubernetes/serviceaccount.
  std::vector<std::string> service_account_issuers{"https://kubernetes.default.svc.cluster.local"};
  // --api-audiences; empty: the issuers (as upstream defaults it).
  std::vector<std::string> api_audiences{};
  // --service-account-max-token-expiration; nullopt: no cap.
  std::optional<sim::Duration> max_token_expiration{};
  // --service-account-extend-token-expiration.
  bool extend_token_expiration = true;
  // kube-controller-manager's --legacy-service-account-token-clean-up-period (1.28+).
  sim::Duration legacy_token_clean_up_period = sim::Duration::hours(8760);
  // --service-account-key-file's other keys: public keys the authenticator
  // accepts besides the signing key's (key rotation).
  std::vector<auth::PublicKey> verification_keys{};
  ApiServerConfig apiserver{};
  controllers::TokensControllerOptions tokens_controller{};
  controllers::ServiceAccountsControllerOptions serviceaccounts_controller{};
  controllers::NamespaceControllerOptions namespace_controller{};
  // Runs when the release's Behaviour says so (RootCAConfigMap); its CA
  // defaults to root_ca.
  controllers::RootCaPublisherOptions root_ca_publisher{};
  // Runs where the release's Behaviour cleans legacy tokens up (1.28 with
  // the gate, 1.29+); its mode, period and epoch come from this config.
  controllers::LegacyTokenCleanerOptions legacy_token_cleaner{};
  kubelet::KubeletOptions kubelet{};
  // Deliberately broken (broken_variants.h): an upgraded apiserver keeps
  // serving by its old release's settings.
  bool broken_upgrade_keeps_apiserver_release = false;
};

// The scenario format's defaults (§4), for the parts the model owns.
ClusterConfig default_cluster_config();

// Sets every component's release-dependent settings in `config` from
// config.behaviour (the version table's Behaviour): the apiserver's
// (admission, authenticator, TokenRequest) and the controllers'.
void apply_release(ClusterConfig& config);

// The actors of kube-controller-manager that a release runs, in the order
// they are started and upgraded: the one list of them.
std::vector<std::string> controller_manager_actors(const versions::Behaviour& behaviour);

class UserClient;
class NodeStatusReporter;

class Cluster {
 public:
  // Adds the actors to `simulator` and writes the initial namespaces.
  Cluster(sim::Simulator& simulator, ClusterConfig config);
  ~Cluster();

  sim::Simulator& simulator() { return simulator_; }
  // The configuration the cluster was built with (its first release).
  const ClusterConfig& config() const { return config_; }
  // The release a component runs now: config().behaviour until an upgrade
  // restarts it at another. Invariants read the release in force here.
  const versions::Behaviour& release(versions::Component component) const {
    return releases_[static_cast<std::size_t>(component)];
  }
  ApiServer& apiserver() { return *apiserver_; }
  const ApiServer& apiserver() const { return *apiserver_; }
  controllers::TokensController& tokens_controller() { return *tokens_controller_; }
  controllers::ServiceAccountsController& serviceaccounts_controller() { return *serviceaccounts_controller_; }
  controllers::NamespaceController& namespace_controller() { return *namespace_controller_; }
  // Null where the release runs no root-CA publisher (1.20 with RootCAConfigMap off).
  controllers::RootCaPublisher* root_ca_publisher() { return root_ca_publisher_; }
  // Null where the release runs no legacy-token cleaner (before 1.28; 1.28 without its gate).
  controllers::LegacyTokenCleaner* legacy_token_cleaner() { return legacy_token_cleaner_; }
  kubelet::Kubelet& kubelet() { return *kubelet_; }
  // Faults (scenario format §7) and the known weaknesses the model recorded (§8).
  FaultController& fault_controller() { return *faults_; }
  const faults::WeaknessLog& weaknesses() const { return *weaknesses_; }

  // Upgrades `component` in place (the scenario format's `upgrade` step):
  // its processes stop now, as a crash stops them (requests in flight fail,
  // watches break, caches and queues are lost), stay down for `downtime`,
  // and come back with `release`'s settings (apply_release), re-listing and
  // waiting for their caches as after any restart. Stored objects persist.
  // `serving` runs once the last of them is up again. The skew policy is
  // the caller's to check (model/versions/version_skew.h).
  void upgrade(versions::Component component, versions::Behaviour release, sim::Duration downtime,
               std::function<void()> serving);
  // The ServiceAccount admission plugin's settings of the release the
  // apiserver runs now, as the version table gives them (for invariants:
  // not read back from the apiserver).
  const admission::Config& admission_in_force() const { return admission_in_force_; }
  // How many times a component came back at a release (0 until an upgrade).
  std::uint64_t upgrades() const { return upgrades_; }
  // Told of every upgrade once its component serves again (upgrade_record.h).
  // Not owned; observers outlive the run, as the apiserver's do.
  void add_upgrade_observer(UpgradeObserver* observer) { upgrade_observers_.push_back(observer); }
  // The kubelet's status updates after its upgrades (null until the first).
  const NodeStatusReporter* node_status_reporter() const { return node_status_reporter_; }
  // The actors a component runs now, by name (the controller-manager's from
  // controller_manager_actors).
  std::vector<std::string> actors_of(versions::Component component) const;

  // The user's requests (kubectl): sent now; `done` runs when the final
  // response arrives. Not rate limited. One request unless `max_retries`
  // lets client-go's retry after Retry-After answers (ClientActor::call)
  // send it again.
  void submit(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done, int max_retries = 0);
  // A TokenReview; `audiences` are its spec.audiences (empty: the apiserver's own).
  void review_token(std::string token, std::function<void(TokenReviewResult)> done,
                    std::vector<std::string> audiences = {});

  // Actor names, as scenarios and traces use them.
  static constexpr const char* kApiServer = "apiserver";
  static constexpr const char* kTokensController = "tokens-controller";
  static constexpr const char* kServiceAccountsController = "serviceaccounts-controller";
  static constexpr const char* kNamespaceController = "namespace-controller";
  static constexpr const char* kRootCaPublisher = "root-ca-cert-publisher";
  static constexpr const char* kLegacyTokenCleaner = "legacy-token-cleaner";
  static constexpr const char* kKubelet = "kubelet";
  static constexpr const char* kKubectl = "kubectl";
  static constexpr const char* kNodeStatusReporter = "kubelet-node-status";

 private:
  sim::Simulator& simulator_;
  ClusterConfig config_;
  std::array<versions::Behaviour, versions::kComponentCount> releases_;
  std::uint64_t upgrades_ = 0;
  std::vector<UpgradeObserver*> upgrade_observers_;
  admission::Config admission_in_force_{};
  // A restarted kubelet's node status (node_status_reporter.h).
  void report_node_status(const versions::KubeVersion& version, const client::ClientOptions& client);
  NodeStatusReporter* node_status_reporter_ = nullptr;
  void start_missing_controllers(const ClusterConfig& next);
  ApiServer* apiserver_;
  controllers::TokensController* tokens_controller_;
  controllers::ServiceAccountsController* serviceaccounts_controller_;
  controllers::NamespaceController* namespace_controller_;
  controllers::RootCaPublisher* root_ca_publisher_ = nullptr;
  controllers::LegacyTokenCleaner* legacy_token_cleaner_ = nullptr;
  kubelet::Kubelet* kubelet_;
  UserClient* kubectl_;
  sim::ActorId kubectl_id_;
  std::unique_ptr<faults::WeaknessLog> weaknesses_;
  std::map<sim::ActorId, std::string> actor_names_;
  std::unique_ptr<faults::FaultInjector> injector_;
  std::unique_ptr<faults::Transport> transport_;
  std::unique_ptr<FaultController> faults_;
};

}  // namespace sasim::model
