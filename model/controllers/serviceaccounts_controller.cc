#include "model/controllers/serviceaccounts_controller.h"

#include "model/coverage/probes.h"

namespace sasim::model::controllers {

using coverage::Probe;

ServiceAccountsController::ServiceAccountsController(ServiceAccountsControllerOptions options)
    : ControllerActor(options.base),
      options_(std::move(options)),
      namespaces_(&add_informer(Kind::kNamespace, options_.base.watch_lag)),
      service_accounts_(&add_informer(Kind::kServiceAccount, options_.base.watch_lag)) {
  queue_ = &add_queue<std::string>("serviceaccount", options_.base.workers, /*max_retries=*/-1,
                                   [this](std::string ns) { return sync_namespace(std::move(ns)); });
  namespaces_->add_handlers({
      .on_add = [this](const ObjectPtr& o) { queue_->add(meta(*o).name); },
      .on_update = [this](const ObjectPtr&, const ObjectPtr& o) { queue_->add(meta(*o).name); },
      .on_delete = nullptr,
  });
  service_accounts_->add_handlers({
      .on_add = nullptr,
      .on_update = nullptr,
      .on_delete = [this](const ObjectPtr& o, bool /*tombstone*/) { queue_->add(meta(*o).namespace_); },
  });
}

sim::Task<bool> ServiceAccountsController::sync_namespace(std::string ns) {
  const auto* namespace_object = as<Namespace>(namespaces_->get("", ns));
  if (namespace_object == nullptr) {
    coverage::probe(ctx(), Probe::kA3_1NamespaceNotCached);
    co_return false;  // A3.1
  }
  if (namespace_object->phase != NamespacePhase::kActive) {
    coverage::probe(ctx(), Probe::kA3_2NamespaceNotActive);
    co_return false;  // A3.2
  }
  bool failed = false;
  for (const std::string& name : options_.managed_names) {
    coverage::probe(ctx(), Probe::kA1ManagedAccount);
    if (service_accounts_->get(ns, name)) continue;
    ServiceAccount sa;
    sa.metadata.name = name;
    sa.metadata.namespace_ = ns;
    ApiResponse response = co_await create(Object(std::move(sa)));
    if (response.ok()) coverage::probe(ctx(), Probe::kA3_3AccountCreated);
    if (!response.ok() && (is_already_exists(*response.error) || response.error->has_cause(kCauseNamespaceTerminating))) {
      coverage::probe(ctx(), Probe::kA3_3CreateIgnored);
    }
    if (response.ok() || is_already_exists(*response.error)) continue;
    if (response.error->has_cause(kCauseNamespaceTerminating)) continue;
    coverage::probe(ctx(), Probe::kA4NamespaceRequeued);
    failed = true;
  }
  co_return failed;  // A4: requeued with backoff, no cap
}

}  // namespace sasim::model::controllers
