// Cluster: a Kubernetes control plane assembled on a Simulator: the
// apiserver, the three controllers of kube-controller-manager that the
// ServiceAccount machinery involves, a kubelet, and a user client
// (kubectl) through which the harness acts. Built from plain configuration
// (ClusterConfig), so that scenarios, property tests and benchmarks build
// worlds the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/apiserver/apiserver.h"
#include "model/cluster/fault_controller.h"
#include "model/faults/injector.h"
#include "model/faults/weakness_log.h"
#include "model/auth/signing_key.h"
#include "model/controllers/namespace_controller.h"
#include "model/controllers/serviceaccounts_controller.h"
#include "model/controllers/tokens_controller.h"
#include "model/kubelet/kubelet.h"
#include "sim/simulator.h"

namespace sasim::model {

struct ClusterConfig {
  std::string version = "1.20";
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
  ApiServerConfig apiserver{};
  controllers::TokensControllerOptions tokens_controller{};
  controllers::ServiceAccountsControllerOptions serviceaccounts_controller{};
  controllers::NamespaceControllerOptions namespace_controller{};
  kubelet::KubeletOptions kubelet{};
};

// The scenario format's defaults (§4), for the parts the model owns.
ClusterConfig default_cluster_config();

class UserClient;

class Cluster {
 public:
  // Adds the actors to `simulator` and writes the initial namespaces.
  Cluster(sim::Simulator& simulator, ClusterConfig config);
  ~Cluster();

  sim::Simulator& simulator() { return simulator_; }
  const ClusterConfig& config() const { return config_; }
  ApiServer& apiserver() { return *apiserver_; }
  const ApiServer& apiserver() const { return *apiserver_; }
  controllers::TokensController& tokens_controller() { return *tokens_controller_; }
  controllers::ServiceAccountsController& serviceaccounts_controller() { return *serviceaccounts_controller_; }
  controllers::NamespaceController& namespace_controller() { return *namespace_controller_; }
  kubelet::Kubelet& kubelet() { return *kubelet_; }
  // Faults (scenario format §7) and the known weaknesses the model recorded (§8).
  FaultController& fault_controller() { return *faults_; }
  const faults::WeaknessLog& weaknesses() const { return *weaknesses_; }

  // The user's requests (kubectl): sent now; `done` runs when the response
  // arrives. Not rate limited.
  void submit(std::unique_ptr<ApiRequest> request, std::function<void(ApiResponse)> done);
  // The same, retried as client-go retries (up to `attempts` in all,
  // honouring Retry-After on 429 and on 5xx answers that carry one); `done`
  // gets the last answer and how many retries there were.
  void submit_retrying(std::unique_ptr<ApiRequest> request, int attempts,
                       std::function<void(ApiResponse, int)> done);
  void review_token(std::string token, std::function<void(TokenReviewResult)> done);

  // Actor names, as scenarios and traces use them.
  static constexpr const char* kApiServer = "apiserver";
  static constexpr const char* kTokensController = "tokens-controller";
  static constexpr const char* kServiceAccountsController = "serviceaccounts-controller";
  static constexpr const char* kNamespaceController = "namespace-controller";
  static constexpr const char* kKubelet = "kubelet";
  static constexpr const char* kKubectl = "kubectl";

 private:
  sim::Simulator& simulator_;
  ClusterConfig config_;
  ApiServer* apiserver_;
  controllers::TokensController* tokens_controller_;
  controllers::ServiceAccountsController* serviceaccounts_controller_;
  controllers::NamespaceController* namespace_controller_;
  kubelet::Kubelet* kubelet_;
  UserClient* kubectl_;
  sim::ActorId kubectl_id_;
  std::unique_ptr<faults::WeaknessLog> weaknesses_;
  std::map<sim::ActorId, std::string> actor_names_;
  std::unique_ptr<faults::FaultInjector> injector_;
  std::unique_ptr<FaultController> faults_;
};

}  // namespace sasim::model
