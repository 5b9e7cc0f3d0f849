// The Kubernetes releases sasim simulates today: the one place that says
// so. The version table (feature_gates.h, behaviour.h) describes every
// release from 1.20 to 1.33; a release is listed here once the model
// follows its behaviour, and from then on scenarios may name it
// (`cluster.version`) and `sasim --version` lists it.
#pragma once

#include <string>
#include <vector>

#include "model/versions/kube_version.h"

namespace sasim::model::versions {

// Oldest first.
std::vector<KubeVersion> simulated_versions();
// "1.20" (several: "1.20, 1.21").
std::string simulated_versions_text();
bool is_simulated(const KubeVersion& version);

}  // namespace sasim::model::versions
