// What the apiserver's decoder fills into a pod (k8s.io/kubernetes
// pkg/apis/core/v1/defaults.go, 1.20: SetDefaults_Pod, _PodSpec, _Container,
// _ContainerPort, _Probe, _HTTPGetAction, _Volume and the volume sources,
// _ObjectFieldSelector, _ServiceAccountTokenProjection). The apiserver
// decodes every object it is sent and every object it reads from etcd with
// these defaults, so they show on every pod `kubectl get -o yaml` prints:
// dnsPolicy ClusterFirst, restartPolicy Always, terminationGracePeriodSeconds
// 30, schedulerName default-scheduler, securityContext {}, enableServiceLinks
// true, imagePullPolicy, terminationMessagePath and -Policy, port protocol
// TCP, secret/configMap/projected volume defaultMode 420, ...
//
// With them, the v1 conversion's alias: serviceAccount always shows what
// serviceAccountName says (and fills it when only the old field is given).
// Applying them twice changes nothing. Left out: the defaults of volume
// sources nobody uses with ServiceAccounts (iSCSI, RBD, ScaleIO, AzureDisk)
// and the rounding of resource quantities to milli-units.
#pragma once

#include <string>
#include <string_view>

#include "model/objects/pod.h"

namespace sasim::model {

void apply_pod_defaults(Pod& pod);

// parsers.ParseImageName's tag: "" with a digest and no tag, "latest" when
// neither is given.
std::string image_tag(std::string_view image);

}  // namespace sasim::model
