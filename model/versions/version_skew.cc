#include "model/versions/version_skew.h"

#include <fmt/format.h>

namespace sasim::model::versions {

std::string_view component_name(Component component) {
  switch (component) {
    case Component::kApiServer: return "apiserver";
    case Component::kControllerManager: return "controller-manager";
    case Component::kKubelet: return "kubelet";
  }
  return "?";
}

std::string_view component_binary(Component component) {
  switch (component) {
    case Component::kApiServer: return "kube-apiserver";
    case Component::kControllerManager: return "kube-controller-manager";
    case Component::kKubelet: return "kubelet";
  }
  return "?";
}

std::optional<Component> parse_component(std::string_view name) {
  for (Component c : kUpgradeOrder) {
    if (component_name(c) == name) return c;
  }
  return std::nullopt;
}

namespace {

// How many minors a kubelet may trail kube-apiserver: two, or three for a
// kubelet of 1.25 or newer (KEP-3935, in the policy since the 1.28 release).
int kubelet_max_lag(KubeVersion kubelet) { return kubelet.minor >= 25 ? 3 : 2; }

std::optional<SkewViolation> check_skew(const ComponentVersions& v) {
  const KubeVersion api = v.of(Component::kApiServer);
  const KubeVersion cm = v.of(Component::kControllerManager);
  const KubeVersion kubelet = v.of(Component::kKubelet);
  if (cm > api) {
    return SkewViolation{"controller-manager-not-newer",
                         fmt::format("kube-controller-manager {} would be newer than kube-apiserver {} (it must not be "
                                     "newer; upgrade the apiserver first)",
                                     cm.to_string(), api.to_string())};
  }
  if (cm.minor < api.minor - 1) {
    return SkewViolation{"controller-manager-one-older",
                         fmt::format("kube-controller-manager {} would be more than one minor older than "
                                     "kube-apiserver {} (upgrade the controller-manager too)",
                                     cm.to_string(), api.to_string())};
  }
  if (kubelet > api) {
    return SkewViolation{"kubelet-not-newer", fmt::format("kubelet {} would be newer than kube-apiserver {} (it must "
                                                          "not be newer; upgrade the apiserver first)",
                                                          kubelet.to_string(), api.to_string())};
  }
  if (kubelet.minor < api.minor - kubelet_max_lag(kubelet)) {
    return SkewViolation{"kubelet-too-old",
                         fmt::format("kubelet {} would be {} minors older than kube-apiserver {} (at most {} for a "
                                     "kubelet {}; upgrade the kubelet first)",
                                     kubelet.to_string(), api.minor - kubelet.minor, api.to_string(),
                                     kubelet_max_lag(kubelet), kubelet.minor >= 25 ? "1.25 or newer" : "older than 1.25")};
  }
  return std::nullopt;
}

}  // namespace

std::optional<KubeVersion> next_minor(KubeVersion version) {
  if (version.minor >= KubeVersion::kLastMinor) return std::nullopt;
  return KubeVersion{version.minor + 1};
}

std::optional<SkewViolation> upgrade_component(ComponentVersions& current, Component component, KubeVersion to) {
  const KubeVersion from = current.of(component);
  if (to < from) {
    return SkewViolation{"no-downgrade", fmt::format("{} cannot go back from {} to {} (upgrades only)",
                                                     component_binary(component), from.to_string(), to.to_string())};
  }
  if (component == Component::kApiServer && to.minor > from.minor + 1) {
    return SkewViolation{"one-minor-at-a-time",
                         fmt::format("kube-apiserver goes one minor at a time: {} to {} skips {}", from.to_string(),
                                     to.to_string(), KubeVersion{from.minor + 1}.to_string())};
  }
  ComponentVersions next = current;
  next.of(component) = to;
  if (auto violation = check_skew(next)) return violation;
  current = next;
  return std::nullopt;
}

}  // namespace sasim::model::versions
