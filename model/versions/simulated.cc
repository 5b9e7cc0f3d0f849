#include "model/versions/simulated.h"

#include <algorithm>

namespace sasim::model::versions {

// Every minor of the version table runs. What a release changes is its
// Behaviour (behaviour.h); a rule that a release has and the model does not
// simulate yet is listed in docs/versions.md.
std::vector<KubeVersion> simulated_versions() {
  std::vector<KubeVersion> all;
  for (int minor = KubeVersion::kFirstMinor; minor <= KubeVersion::kLastMinor; ++minor) all.push_back(KubeVersion{minor});
  return all;
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
