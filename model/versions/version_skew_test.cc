#include "model/versions/version_skew.h"

#include <catch2/catch.hpp>

namespace sasim::model::versions {
namespace {

KubeVersion v(int minor) { return KubeVersion{minor}; }

// Upgrades every component of `versions` to `to`, in upstream's order; the first violation.
std::optional<SkewViolation> upgrade_all(ComponentVersions& versions, KubeVersion to) {
  for (Component c : kUpgradeOrder) {
    if (auto violation = upgrade_component(versions, c, to)) return violation;
  }
  return std::nullopt;
}

TEST_CASE("a whole control plane goes one minor at a time in upstream's order") {
  ComponentVersions versions(v(20));
  for (int minor = 21; minor <= 33; ++minor) REQUIRE_FALSE(upgrade_all(versions, v(minor)).has_value());
  CHECK(versions.of(Component::kKubelet) == v(33));
}

TEST_CASE("kube-apiserver may not skip a minor") {
  ComponentVersions versions(v(20));
  auto violation = upgrade_component(versions, Component::kApiServer, v(22));
  REQUIRE(violation.has_value());
  CHECK(violation->rule == "one-minor-at-a-time");
  CHECK(violation->message == "kube-apiserver goes one minor at a time: 1.20 to 1.22 skips 1.21");
  CHECK(versions.of(Component::kApiServer) == v(20));  // unchanged
}

TEST_CASE("no component goes back") {
  ComponentVersions versions(v(24));
  auto violation = upgrade_component(versions, Component::kKubelet, v(23));
  REQUIRE(violation.has_value());
  CHECK(violation->rule == "no-downgrade");
}

TEST_CASE("the controller-manager is never newer than the apiserver and at most one minor older") {
  ComponentVersions versions(v(23));
  auto newer = upgrade_component(versions, Component::kControllerManager, v(24));
  REQUIRE(newer.has_value());
  CHECK(newer->rule == "controller-manager-not-newer");
  REQUIRE_FALSE(upgrade_component(versions, Component::kApiServer, v(24)).has_value());
  auto too_old = upgrade_component(versions, Component::kApiServer, v(25));
  REQUIRE(too_old.has_value());
  CHECK(too_old->rule == "controller-manager-one-older");
}

TEST_CASE("a kubelet may trail by two minors or three from a 1.25 kubelet") {
  ComponentVersions versions(v(20));
  for (int minor = 21; minor <= 22; ++minor) {
    REQUIRE_FALSE(upgrade_component(versions, Component::kApiServer, v(minor)).has_value());
    REQUIRE_FALSE(upgrade_component(versions, Component::kControllerManager, v(minor)).has_value());
  }
  // kubelet 1.20 with apiserver 1.22: two minors, allowed; 1.23 would be three.
  auto three = upgrade_component(versions, Component::kApiServer, v(23));
  REQUIRE(three.has_value());
  CHECK(three->rule == "kubelet-too-old");
  CHECK(three->message == "kubelet 1.20 would be 3 minors older than kube-apiserver 1.23 (at most 2 for a kubelet older "
                          "than 1.25; upgrade the kubelet first)");
  ComponentVersions old(v(24));
  REQUIRE_FALSE(upgrade_component(old, Component::kApiServer, v(25)).has_value());
  REQUIRE_FALSE(upgrade_component(old, Component::kControllerManager, v(25)).has_value());
  REQUIRE_FALSE(upgrade_component(old, Component::kApiServer, v(26)).has_value());
  REQUIRE_FALSE(upgrade_component(old, Component::kControllerManager, v(26)).has_value());
  auto too_old = upgrade_component(old, Component::kApiServer, v(27));
  REQUIRE(too_old.has_value());
  CHECK(too_old->rule == "kubelet-too-old");
  ComponentVersions newer(v(25));
  for (int minor = 26; minor <= 28; ++minor) {
    REQUIRE_FALSE(upgrade_component(newer, Component::kApiServer, v(minor)).has_value());
    REQUIRE_FALSE(upgrade_component(newer, Component::kControllerManager, v(minor)).has_value());
  }
  CHECK(newer.of(Component::kKubelet) == v(25));  // three behind 1.28: allowed
  auto four = upgrade_component(newer, Component::kApiServer, v(29));
  REQUIRE(four.has_value());
  CHECK(four->rule == "kubelet-too-old");
}

TEST_CASE("a kubelet is never newer than the apiserver") {
  ComponentVersions versions(v(22));
  auto violation = upgrade_component(versions, Component::kKubelet, v(23));
  REQUIRE(violation.has_value());
  CHECK(violation->rule == "kubelet-not-newer");
}

TEST_CASE("components are named as upgrade.components names them") {
  for (Component c : kUpgradeOrder) CHECK(parse_component(component_name(c)) == c);
  CHECK_FALSE(parse_component("scheduler").has_value());
}

}  // namespace
}  // namespace sasim::model::versions
