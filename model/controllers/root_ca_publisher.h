// The root-CA publisher (kube-controller-manager `root-ca-cert-publisher`,
// RootCAConfigMap; rules C1-C6 in docs/rules.md): every namespace gets a
// ConfigMap kube-root-ca.crt whose ca.crt is the cluster's CA, which the
// projected token volume of 1.21+ mounts beside the token.
//
// Events: a namespace add enqueues it whatever its phase; a namespace update
// only while Active; an update or deletion of a ConfigMap named
// kube-root-ca.crt enqueues its namespace (tombstones unwrapped). ConfigMap
// adds are not watched and there is no resync. One worker, client-go's
// default controller rate limiter, no retry cap.
#pragma once

#include <string>
#include <string_view>

#include "model/controllers/controller_actor.h"
#include "model/objects/constants.h"

namespace sasim::model::controllers {

inline constexpr std::string_view kDescriptionAnnotation = "kubernetes.io/description";
inline constexpr std::string_view kRootCaDescription =
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
    "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes "
    "clusters.";

struct RootCaPublisherOptions {
  ControllerOptions base{.client = {.user = "root-ca-cert-publisher"}, .workers = 1};
  // --root-ca-file's bytes (or the controller manager's own CA): ca.crt.
  std::string root_ca{};
};

class RootCaPublisher final : public ControllerActor {
 public:
  explicit RootCaPublisher(RootCaPublisherOptions options);

 private:
  sim::Task<bool> sync_namespace(std::string ns);

  RootCaPublisherOptions options_;
  client::Informer* namespaces_;
  client::Informer* config_maps_;
  Queue<std::string>* queue_;
};

}  // namespace sasim::model::controllers
