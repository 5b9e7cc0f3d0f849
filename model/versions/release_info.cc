#include "model/versions/release_info.h"

#include "model/versions/simulated.h"

namespace sasim::model::versions {

std::optional<ReleaseInfo> release_info(const KubeVersion& version) {
  if (!is_simulated(version)) return std::nullopt;
  // v1.20.15 is 1.20's last patch release; kind's node image for it ships
  // containerd 1.5 on Ubuntu 21.04.
  if (version == KubeVersion{20}) {
    return ReleaseInfo{"v1.20.15", "containerd://1.5.10", "Ubuntu 21.04", "5.10.0-19-amd64"};
  }
  return std::nullopt;
}

}  // namespace sasim::model::versions
