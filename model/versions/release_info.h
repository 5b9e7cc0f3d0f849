// What the components of a simulated release report about themselves: the
// kubelet's and kube-proxy's nodeInfo, the container runtime and OS a node
// of that release runs. A row exists for each simulated release
// (simulated.h); the values of the runtime and OS are those of a kind node
// image of that release, so that `kubectl get nodes -o wide` looks real.
#pragma once

#include <optional>
#include <string_view>

#include "model/versions/kube_version.h"

namespace sasim::model::versions {

struct ReleaseInfo {
  std::string_view git_version;  // "v1.20.15": the minor's last patch release
  std::string_view container_runtime_version;
  std::string_view os_image;
  std::string_view kernel_version;
};

// nullopt for a release that is not simulated.
std::optional<ReleaseInfo> release_info(const KubeVersion& version);

}  // namespace sasim::model::versions
