// The namespace controller (kube-controller-manager `namespace`), reduced to
// the kinds simulated: once a namespace is Terminating it deletes the
// namespace's Pods, Secrets and ServiceAccounts, checks that none remain,
// removes the `kubernetes` finalizer and deletes the namespace. Pods go
// gracefully: when the namespace held pods, or objects that finalizers keep,
// it looks again after half the estimated wait plus a second (16 s for
// pods with the default 30 s grace period), as upstream's deleter does.
//
// While it works, the other controllers race it: the ServiceAccounts
// controller does not recreate `default` in a Terminating namespace, and
// the tokens controller's creations fail with NamespaceTerminating.
#pragma once

#include <string>

#include "model/controllers/controller_actor.h"

namespace sasim::model::controllers {

struct NamespaceControllerOptions {
  ControllerOptions base{.client = {.user = "namespace-controller"}, .workers = 5};
};

class NamespaceController final : public ControllerActor {
 public:
  explicit NamespaceController(NamespaceControllerOptions options);

 private:
  sim::Task<bool> sync_namespace(std::string ns);

  NamespaceControllerOptions options_;
  client::Informer* namespaces_;
  Queue<std::string>* queue_;
};

}  // namespace sasim::model::controllers
