// The upstream version-skew policy between the components an `upgrade` step
// moves, as rules checked before a scenario runs (a timeline that breaks one
// is an input error, exit 2). The policy in sasim's words (docs/scenarios.md
// has the same list for users):
//
//   one-minor-at-a-time  kube-apiserver goes from 1.n to 1.(n+1), never
//                        further in one upgrade.
//   no-downgrade         no component goes back to an older minor.
//   controller-manager-not-newer   kube-controller-manager is never newer
//                        than kube-apiserver ...
//   controller-manager-one-older   ... and at most one minor older.
//   kubelet-not-newer    a kubelet is never newer than kube-apiserver ...
//   kubelet-too-old      ... and at most two minors older; three when the
//                        kubelet is 1.25 or newer (the policy since the 1.28
//                        release).
//
// Components are upgraded in upstream's order: apiserver, then
// controller-manager, then kubelet; the rules hold after each one.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/versions/kube_version.h"

namespace sasim::model::versions {

enum class Component : std::uint8_t { kApiServer, kControllerManager, kKubelet };
inline constexpr std::size_t kComponentCount = 3;
// Upstream's upgrade order.
inline constexpr std::array<Component, kComponentCount> kUpgradeOrder{Component::kApiServer,
                                                                     Component::kControllerManager, Component::kKubelet};

// "apiserver", "controller-manager", "kubelet": as `upgrade.components` names them.
std::string_view component_name(Component component);
// The process upstream names ("kube-apiserver", "kube-controller-manager", "kubelet").
std::string_view component_binary(Component component);
std::optional<Component> parse_component(std::string_view name);

// The minor each component runs.
struct ComponentVersions {
  std::array<KubeVersion, kComponentCount> versions{};
  explicit ComponentVersions(KubeVersion all) { versions.fill(all); }
  KubeVersion& of(Component c) { return versions[static_cast<std::size_t>(c)]; }
  KubeVersion of(Component c) const { return versions[static_cast<std::size_t>(c)]; }
};

struct SkewViolation {
  std::string_view rule;  // one of the rule names above
  std::string message;    // a sentence naming the versions
};

// The next minor (1.21 after 1.20); nullopt after the table's last.
std::optional<KubeVersion> next_minor(KubeVersion version);

// Moves `component` of `current` to `to` if the policy allows it; else the
// first rule broken (and `current` is unchanged).
std::optional<SkewViolation> upgrade_component(ComponentVersions& current, Component component, KubeVersion to);

}  // namespace sasim::model::versions
