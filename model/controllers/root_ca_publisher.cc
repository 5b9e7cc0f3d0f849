#include "model/controllers/root_ca_publisher.h"

#include "model/coverage/probes.h"

namespace sasim::model::controllers {

RootCaPublisher::RootCaPublisher(RootCaPublisherOptions options)
    : ControllerActor(options.base),
      options_(std::move(options)),
      namespaces_(&add_informer(Kind::kNamespace, options_.base.watch_lag)),
      config_maps_(&add_informer(Kind::kConfigMap, options_.base.watch_lag)) {
  queue_ = &add_queue<std::string>("root_ca_cert_publisher", options_.base.workers, /*max_retries=*/-1,
                                   [this](std::string ns) { return sync_namespace(std::move(ns)); });
  namespaces_->add_handlers({
      // C3: an added namespace whatever its phase, an updated one only while Active.
      .on_add = [this](const ObjectPtr& o) { queue_->add(meta(*o).name); },
      .on_update =
          [this](const ObjectPtr&, const ObjectPtr& o) {
            if (std::get<Namespace>(*o).phase == NamespacePhase::kActive) queue_->add(meta(*o).name);
          },
      .on_delete = nullptr,
  });
  auto enqueue_if_root_ca = [this](const ObjectPtr& o) {
    if (meta(*o).name != kRootCaConfigMapName) return;
    coverage::probe(ctx(), coverage::Probe::kC3ConfigMapChangeQueued);
    queue_->add(meta(*o).namespace_);
  };
  config_maps_->add_handlers({
      .on_add = nullptr,  // C3: creations are not watched
      .on_update = [enqueue_if_root_ca](const ObjectPtr&, const ObjectPtr& o) { enqueue_if_root_ca(o); },
      .on_delete = [enqueue_if_root_ca](const ObjectPtr& o, bool /*tombstone*/) { enqueue_if_root_ca(o); },
  });
}

sim::Task<bool> RootCaPublisher::sync_namespace(std::string ns) {
  const std::map<std::string, std::string> wanted{{std::string(kServiceAccountRootCaKey), options_.root_ca}};
  coverage::probe(ctx(), coverage::Probe::kC1PublisherSynced);
  const ObjectPtr cached = config_maps_->get(ns, std::string(kRootCaConfigMapName));
  if (!cached) {
    coverage::probe(ctx(), coverage::Probe::kC4ConfigMapCreated);
    coverage::probe(ctx(), coverage::Probe::kC2CaWritten);
    // C4: NotFound in the lister: create it.
    ConfigMap cm;
    cm.metadata.name = std::string(kRootCaConfigMapName);
    cm.metadata.namespace_ = ns;
    cm.metadata.annotations[std::string(kDescriptionAnnotation)] = std::string(kRootCaDescription);
    cm.data = wanted;
    ApiResponse response = co_await create(Object(std::move(cm)));
    if (response.ok()) co_return false;
    // The namespace gone or terminating: no retry. Anything else (an
    // AlreadyExists the lister has not seen yet included) is retried.
    if (is_not_found(*response.error) || response.error->has_cause(kCauseNamespaceTerminating)) co_return false;
    coverage::probe(ctx(), coverage::Probe::kC5SyncRetried);
    co_return true;
  }
  const auto& current = std::get<ConfigMap>(*cached);
  const std::string* description = current.metadata.annotation(std::string(kDescriptionAnnotation));
  // C4: exactly {ca.crt: CA} and any non-empty description: nothing to do.
  if (current.data == wanted && description != nullptr && !description->empty()) co_return false;
  // Otherwise data is replaced whole (extra keys dropped) and the
  // description set; labels, other annotations and binaryData are kept.
  coverage::probe(ctx(), coverage::Probe::kC6ConfigMapRestored);
  coverage::probe(ctx(), coverage::Probe::kC2CaWritten);
  ConfigMap updated = current;
  updated.data = wanted;
  updated.metadata.annotations[std::string(kDescriptionAnnotation)] = std::string(kRootCaDescription);
  ApiResponse response = co_await update(Object(std::move(updated)));
  if (!response.ok()) coverage::probe(ctx(), coverage::Probe::kC5SyncRetried);
  co_return !response.ok();
}

}  // namespace sasim::model::controllers
