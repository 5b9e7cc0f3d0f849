// The DefaultTolerationSeconds admission plugin of kube-apiserver 1.20
// (plugin/pkg/admission/defaulttolerationseconds), on by default: a pod
// (create or update, not subresources) that does not tolerate the
// node.kubernetes.io/not-ready or .../unreachable NoExecute taints gets a
// toleration of each for 300 seconds (--default-not-ready-toleration-seconds,
// --default-unreachable-toleration-seconds). A toleration with an empty key
// or an empty effect counts as tolerating them.
#pragma once

#include "model/admission/attributes.h"
#include "model/objects/pod.h"

namespace sasim::model::admission {

void admit_default_toleration_seconds(const Attributes& attributes, Pod& pod);

}  // namespace sasim::model::admission
