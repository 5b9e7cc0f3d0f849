// The ServiceAccounts controller (kube-controller-manager `serviceaccount`),
// rules A1-A7: every Active namespace gets a ServiceAccount `default`.
//
// Namespace adds and updates enqueue the namespace; a ServiceAccount
// deletion enqueues its namespace (tombstones unwrapped, as upstream does
// since the workqueue rewrite). One worker, unlimited retries, and only the
// lister is consulted before creating: AlreadyExists is fine.
#pragma once

#include <string>
#include <vector>

#include "model/controllers/controller_actor.h"

namespace sasim::model::controllers {

struct ServiceAccountsControllerOptions {
  ControllerOptions base{.client = {.user = "serviceaccounts-controller"}, .workers = 1};
  // DefaultServiceAccountsControllerOptions: just `default`.
  std::vector<std::string> managed_names{"default"};
};

class ServiceAccountsController final : public ControllerActor {
 public:
  explicit ServiceAccountsController(ServiceAccountsControllerOptions options);

 private:
  sim::Task<bool> sync_namespace(std::string ns);

  ServiceAccountsControllerOptions options_;
  client::Informer* namespaces_;
  client::Informer* service_accounts_;
  Queue<std::string>* queue_;
};

}  // namespace sasim::model::controllers
