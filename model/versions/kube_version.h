// A Kubernetes minor release, 1.20 to 1.33: the unit in which sasim
// simulates behaviour. Each minor stands for its last patch release (where a
// fix was backported to a patch, e.g. the CVE-2023-2728 admission fix in
// 1.24.15, the minor has it).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sasim::model::versions {

struct KubeVersion {
  int minor = 20;  // 1.<minor>

  static constexpr int kFirstMinor = 20;
  static constexpr int kLastMinor = 33;

  // "1.20" .. "1.33"; nullopt for anything else ("1.19", "1.20.3", "v1.20", "2.0").
  static std::optional<KubeVersion> parse(std::string_view text);
  std::string to_string() const;  // "1.20"
  // The index of this minor in per-version tables: 0 for 1.20.
  std::size_t index() const { return static_cast<std::size_t>(minor - kFirstMinor); }

  auto operator<=>(const KubeVersion&) const = default;
};

inline constexpr std::size_t kVersionCount = KubeVersion::kLastMinor - KubeVersion::kFirstMinor + 1;

// Every minor the version table describes, oldest first.
std::vector<KubeVersion> all_versions();

}  // namespace sasim::model::versions
