#include "tools/fuzz/upgrades.h"

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

}  // namespace sasim::tools::fuzz
