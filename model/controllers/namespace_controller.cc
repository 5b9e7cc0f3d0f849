#include "model/controllers/namespace_controller.h"

#include <algorithm>

#include "model/objects/constants.h"

namespace sasim::model::controllers {
namespace {

// finalizerEstimateSeconds: how long the namespace deleter waits for objects
// that only their finalizers keep.
constexpr std::int64_t kFinalizerEstimateSeconds = 15;

}  // namespace

NamespaceController::NamespaceController(NamespaceControllerOptions options)
    : ControllerActor(options.base),
      options_(std::move(options)),
      namespaces_(&add_informer(Kind::kNamespace, options_.base.watch_lag)) {
  queue_ = &add_queue<std::string>("namespace", options_.base.workers, /*max_retries=*/-1,
                                   [this](std::string ns) { return sync_namespace(std::move(ns)); });
  auto enqueue_if_deleting = [this](const ObjectPtr& o) {
    if (meta(*o).deletion_timestamp) queue_->add(meta(*o).name);
  };
  namespaces_->add_handlers({
      .on_add = enqueue_if_deleting,
      .on_update = [enqueue_if_deleting](const ObjectPtr&, const ObjectPtr& o) { enqueue_if_deleting(o); },
      .on_delete = nullptr,
  });
}

sim::Task<bool> NamespaceController::sync_namespace(std::string ns) {
  ApiResponse live = co_await get(Kind::kNamespace, "", ns);
  if (!live.ok()) co_return !is_not_found(*live.error);
  const auto& current = std::get<Namespace>(*live.object);
  if (!current.metadata.deletion_timestamp) co_return false;

  if (!current.spec_finalizers.empty()) {
    // deleteAllContent: the simulated namespaced kinds, one object at a
    // time. Before deleting pods it estimates how long their graceful
    // deletion takes (estimateGracefulTerminationForPods: the longest
    // terminationGracePeriodSeconds of a pod not yet finished).
    bool remaining = false;
    std::int64_t estimate = 0;
    for (Kind kind : {Kind::kPod, Kind::kSecret, Kind::kConfigMap, Kind::kServiceAccount}) {
      ApiResponse listed = co_await list(kind, ns);
      if (!listed.ok()) co_return true;
      for (const ObjectPtr& object : listed.items) {
        const auto* pod = as<Pod>(object);
        if (pod == nullptr || pod->status.phase == PodPhase::kSucceeded || pod->status.phase == PodPhase::kFailed) continue;
        estimate = std::max(estimate, pod->spec.termination_grace_period_seconds.value_or(0));
      }
      for (const ObjectPtr& object : listed.items) {
        ApiResponse deleted = co_await remove(kind, ns, meta(*object).name);
        if (!deleted.ok() && !is_not_found(*deleted.error)) remaining = true;
      }
    }
    // Controllers may have created more while we deleted: check again.
    // Items still there are expected when they wait for a graceful
    // deletion or for their finalizers (estimated at 15 s); otherwise
    // something went wrong and the namespace is retried.
    for (Kind kind : {Kind::kPod, Kind::kSecret, Kind::kConfigMap, Kind::kServiceAccount}) {
      ApiResponse listed = co_await list(kind, ns);
      if (!listed.ok()) {
        remaining = true;
        continue;
      }
      if (listed.items.empty() || estimate > 0) continue;
      bool finalizers = false;
      for (const ObjectPtr& object : listed.items) finalizers = finalizers || !meta(*object).finalizers.empty();
      if (finalizers) {
        estimate = kFinalizerEstimateSeconds;
      } else {
        remaining = true;
      }
    }
    if (remaining) co_return true;
    if (estimate > 0) {
      // ResourcesRemainingError: look again after estimate/2 + 1 seconds.
      queue_->add_after(ns, sim::Duration::seconds(estimate / 2 + 1));
      co_return false;
    }

    Namespace finalized = current;
    std::erase(finalized.spec_finalizers, std::string(kNamespaceFinalizerKubernetes));
    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kUpdate;
    request->kind = Kind::kNamespace;
    request->name = ns;
    request->subresource = "finalize";
    request->body = std::make_shared<const Object>(Object(std::move(finalized)));
    ApiResponse response = co_await call(std::move(request));
    if (!response.ok()) co_return !is_not_found(*response.error);
  }
  // Only this namespace: by the time the request is served, a user may have
  // removed it and created another of the same name (found by sasim fuzz).
  Preconditions same_namespace;
  same_namespace.uid = current.metadata.uid;
  ApiResponse deleted = co_await remove(Kind::kNamespace, "", ns, same_namespace);
  if (!deleted.ok()) co_return !is_not_found(*deleted.error) && !is_conflict(*deleted.error);
  co_return false;
}

}  // namespace sasim::model::controllers
