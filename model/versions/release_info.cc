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
  // The other minors' last patch releases, on kind v0.20's node images
  // (containerd 1.7.1 on Debian 12); the kernel is the host's, as above.
  if (version == KubeVersion{21}) return ReleaseInfo{"v1.21.14", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{22}) return ReleaseInfo{"v1.22.17", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{23}) return ReleaseInfo{"v1.23.17", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{24}) return ReleaseInfo{"v1.24.17", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{25}) return ReleaseInfo{"v1.25.16", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{26}) return ReleaseInfo{"v1.26.15", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{27}) return ReleaseInfo{"v1.27.16", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{28}) return ReleaseInfo{"v1.28.15", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{29}) return ReleaseInfo{"v1.29.15", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{30}) return ReleaseInfo{"v1.30.14", "containerd://1.7.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  // 1.31-1.33 on kind v0.29's node images, which ship containerd 2.1.
  if (version == KubeVersion{31}) return ReleaseInfo{"v1.31.9", "containerd://2.1.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{32}) return ReleaseInfo{"v1.32.5", "containerd://2.1.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  if (version == KubeVersion{33}) return ReleaseInfo{"v1.33.1", "containerd://2.1.1", "Debian GNU/Linux 12 (bookworm)", "5.10.0-19-amd64"};
  return std::nullopt;
}

}  // namespace sasim::model::versions
