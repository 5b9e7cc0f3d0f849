#include "tools/fuzz/upgrades.h"

#include <algorithm>

#include "model/versions/feature_gates.h"
#include "model/versions/simulated.h"

namespace sasim::tools::fuzz {

namespace v = model::versions;

std::vector<std::string> VersionRange::versions() const {
  std::vector<std::string> out;
  for (const v::KubeVersion& version : v::simulated_versions()) {
    if (first <= version && version <= last) out.push_back(version.to_string());
  }
  return out;
}

std::optional<VersionRange> parse_version_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  const std::string a = dots == std::string::npos ? text : text.substr(0, dots);
  const std::string b = dots == std::string::npos ? text : text.substr(dots + 2);
  const auto first = v::KubeVersion::parse(a);
  const auto last = v::KubeVersion::parse(b);
  if (!first || !last || !v::is_simulated(*first) || !v::is_simulated(*last) || *last < *first) return std::nullopt;
  return VersionRange{*first, *last};
}

UpgradeTimeline upgrade_timeline(const FuzzCase& c) {
  const v::KubeVersion start = v::KubeVersion::parse(c.cluster.version).value_or(v::KubeVersion{});
  const v::KubeVersion limit = v::KubeVersion::parse(c.cluster.last_version).value_or(start);
  UpgradeTimeline out;
  v::ComponentVersions current(start);
  for (const FuzzOp& op : c.ops) {
    out.before.push_back(current);
    if (op.kind != OpKind::kUpgrade || op.upgrade_components.empty()) {
      out.targets.emplace_back();
      continue;
    }
    const v::KubeVersion api = current.of(v::Component::kApiServer);
    const std::optional<v::KubeVersion> next = api < limit ? v::next_minor(api) : std::nullopt;
    // The listed components to `to`, all or none.
    auto try_upgrade = [&](v::KubeVersion to) {
      v::ComponentVersions moved = current;
      for (v::Component component : op.upgrade_components) {
        if (v::upgrade_component(moved, component, to)) return false;
      }
      current = moved;
      return true;
    };
    v::KubeVersion to = api;
    if (next && try_upgrade(*next)) {
      to = *next;
    } else {
      // Catching up with the apiserver (or restarting at its release)
      // never breaks the policy: components are never newer than it.
      try_upgrade(api);
    }
    out.targets.push_back(to.to_string());
  }
  out.end = current;
  return out;
}

std::vector<v::KubeVersion> releases_reached(const FuzzCase& c) {
  const std::optional<v::KubeVersion> start = v::KubeVersion::parse(c.cluster.version);
  if (!start) return {};
  v::KubeVersion newest = *start;
  const UpgradeTimeline timeline = upgrade_timeline(c);
  for (const v::ComponentVersions& before : timeline.before) newest = std::max(newest, before.of(v::Component::kApiServer));
  newest = std::max(newest, timeline.end.of(v::Component::kApiServer));
  std::vector<v::KubeVersion> out;
  for (const v::KubeVersion& version : v::simulated_versions()) {
    if (*start <= version && version <= newest) out.push_back(version);
  }
  return out;
}

bool feature_gates_hold(const FuzzCase& c) {
  if (c.cluster.feature_gates.empty()) return true;
  for (const v::KubeVersion& version : releases_reached(c)) {
    if (!v::resolve_feature_gates(version, c.cluster.feature_gates)) return false;
  }
  return true;
}

}  // namespace sasim::tools::fuzz
