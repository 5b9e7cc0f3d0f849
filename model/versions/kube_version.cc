#include "model/versions/kube_version.h"

#include <charconv>

namespace sasim::model::versions {

std::optional<KubeVersion> KubeVersion::parse(std::string_view text) {
  if (!text.starts_with("1.")) return std::nullopt;
  const std::string_view rest = text.substr(2);
  if (rest.empty() || rest.size() > 2 || rest.front() == '0') return std::nullopt;
  int minor = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), minor);
  if (error != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  if (minor < kFirstMinor || minor > kLastMinor) return std::nullopt;
  return KubeVersion{minor};
}

std::string KubeVersion::to_string() const { return "1." + std::to_string(minor); }

std::vector<KubeVersion> all_versions() {
  std::vector<KubeVersion> out;
  for (int minor = KubeVersion::kFirstMinor; minor <= KubeVersion::kLastMinor; ++minor) out.push_back(KubeVersion{minor});
  return out;
}

}  // namespace sasim::model::versions
