#include "model/versions/simulated.h"

#include <algorithm>

namespace sasim::model::versions {

// 1.21-1.25: admission, the TokenRequest API, bound-token validation, the
// tokens controller and the root-CA publisher follow each release. The
// kubelet's token manager (projected tokens written into pods) is not
// simulated yet: a 1.21+ pod's process presents no token.
std::vector<KubeVersion> simulated_versions() {
  return {KubeVersion{20}, KubeVersion{21}, KubeVersion{22}, KubeVersion{23}, KubeVersion{24}, KubeVersion{25}};
}

std::string simulated_versions_text() {
  std::string out;
  for (const KubeVersion& version : simulated_versions()) out += (out.empty() ? "" : ", ") + version.to_string();
  return out;
}

bool is_simulated(const KubeVersion& version) {
  const std::vector<KubeVersion> all = simulated_versions();
  return std::find(all.begin(), all.end(), version) != all.end();
}

}  // namespace sasim::model::versions
