#include "model/versions/simulated.h"

#include <algorithm>

namespace sasim::model::versions {

std::vector<KubeVersion> simulated_versions() { return {KubeVersion{20}}; }

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
