// The upgrade step (§12, §14): read with its defaults, refused where the
// components' order, the version or the gates do not fit, the timeline's
// skews checked before the run with the rule named, and written back as read.
#include <catch2/catch.hpp>

#include "scenarios/parse_test_support.h"
#include "scenarios/parser.h"
#include "scenarios/writer.h"

namespace sasim::scenarios {
namespace {

using model::versions::Component;

using testing::parse_error;
using testing::parse_ok;

TEST_CASE("upgrade takes every component in upstream's order by default") {
  const Scenario s = parse_ok("steps:\n  - upgrade: {version: \"1.21\"}\n");
  REQUIRE(s.steps.size() == 1);
  const auto& a = std::get<UpgradeAction>(s.steps[0].action);
  CHECK(a.version == "1.21");
  CHECK(a.components == std::vector<Component>{Component::kApiServer, Component::kControllerManager, Component::kKubelet});
  CHECK_FALSE(a.feature_gates.has_value());
}

TEST_CASE("upgrade with some components and its own gates") {
  const Scenario s = parse_ok(
      "cluster: {version: \"1.20\", featureGates: {BoundServiceAccountTokenVolume: true}}\n"
      "steps:\n"
      "  - upgrade: {version: \"1.21\", components: [apiserver, controller-manager]}\n"
      "  - upgrade: {version: \"1.21\", components: [kubelet], featureGates: {}}\n");
  const auto& first = std::get<UpgradeAction>(s.steps[0].action);
  CHECK(first.components == std::vector<Component>{Component::kApiServer, Component::kControllerManager});
  const auto& second = std::get<UpgradeAction>(s.steps[1].action);
  REQUIRE(second.feature_gates.has_value());
  CHECK(second.feature_gates->empty());
}

TEST_CASE("upgrade components out of upstream's order or twice or unknown or none are errors") {
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.20\", components: [kubelet, apiserver]}\n") ==
        "s.yaml:2:54: error: components are upgraded in upstream's order (apiserver, controller-manager, kubelet): "
        "apiserver cannot come after kubelet");
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.20\", components: [kubelet, kubelet]}\n")
            .find("kubelet is listed twice") != std::string::npos);
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.20\", components: [scheduler]}\n").find("scheduler") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.20\", components: []}\n").find("components is empty") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - upgrade: {components: [kubelet]}\n").find("upgrade needs a version") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.19\"}\n").find("unsupported Kubernetes version \"1.19\"") !=
        std::string::npos);
}

TEST_CASE("a skipped minor is an input error at the step's version naming the rule") {
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.22\"}\n") ==
        "s.yaml:2:24: error: upgrade of apiserver to 1.22: kube-apiserver goes one minor at a time: 1.20 to 1.22 "
        "skips 1.21 (version-skew policy: one-minor-at-a-time)");
}

TEST_CASE("skews are checked across the whole timeline") {
  // A kubelet left at 1.20 while the apiserver reaches 1.23.
  const std::string kubelet_left =
      "steps:\n"
      "  - upgrade: {version: \"1.21\", components: [apiserver, controller-manager]}\n"
      "  - upgrade: {version: \"1.22\", components: [apiserver, controller-manager]}\n"
      "  - upgrade: {version: \"1.23\", components: [apiserver, controller-manager]}\n";
  CHECK(parse_error(kubelet_left) ==
        "s.yaml:4:24: error: upgrade of apiserver to 1.23: kubelet 1.20 would be 3 minors older than kube-apiserver "
        "1.23 (at most 2 for a kubelet older than 1.25; upgrade the kubelet first) (version-skew policy: "
        "kubelet-too-old)");
  // A kubelet before its apiserver.
  CHECK(parse_error("steps:\n  - upgrade: {version: \"1.21\", components: [kubelet]}\n")
            .find("(version-skew policy: kubelet-not-newer)") != std::string::npos);
  // The controller-manager left behind.
  CHECK(parse_error("steps:\n"
                    "  - upgrade: {version: \"1.21\", components: [apiserver]}\n"
                    "  - upgrade: {version: \"1.22\", components: [apiserver]}\n")
            .find("(version-skew policy: controller-manager-one-older)") != std::string::npos);
  // A downgrade.
  CHECK(parse_error("cluster: {version: \"1.24\"}\nsteps:\n  - upgrade: {version: \"1.23\"}\n")
            .find("(version-skew policy: no-downgrade)") != std::string::npos);
  // Each minor in turn is fine, whole or in parts.
  parse_ok("steps:\n"
           "  - upgrade: {version: \"1.21\", components: [apiserver]}\n"
           "  - upgrade: {version: \"1.21\", components: [controller-manager, kubelet]}\n"
           "  - upgrade: {version: \"1.22\"}\n");
}

TEST_CASE("a gate the new release removed or locked is an error and the step's own gates replace it") {
  const std::string removed =
      "cluster: {version: \"1.22\", featureGates: {BoundServiceAccountTokenVolume: true}}\n"
      "steps:\n"
      "  - upgrade: {version: \"1.23\"}\n";
  CHECK(parse_error(removed).find("s.yaml:3:24: error: upgrade of apiserver to 1.23: unrecognized feature gate: "
                                  "BoundServiceAccountTokenVolume") != std::string::npos);
  const std::string locked =
      "cluster: {version: \"1.21\", featureGates: {BoundServiceAccountTokenVolume: false}}\n"
      "steps:\n"
      "  - upgrade: {version: \"1.22\"}\n";
  CHECK(parse_error(locked).find("cannot set feature gate BoundServiceAccountTokenVolume to false, feature is locked "
                                 "to true") != std::string::npos);
  parse_ok(
      "cluster: {version: \"1.22\", featureGates: {BoundServiceAccountTokenVolume: true}}\n"
      "steps:\n"
      "  - upgrade: {version: \"1.23\", featureGates: {}}\n");
}

TEST_CASE("an upgrade step is written back as read") {
  const Scenario s = parse_ok("steps:\n  - upgrade: {version: \"1.21\", components: [apiserver]}\n");
  const std::string text = write_scenario(s);
  CHECK(text.find("upgrade") != std::string::npos);
  const Scenario again = parse_ok(text);
  REQUIRE(again.steps.size() == 1);
  CHECK(std::get<UpgradeAction>(again.steps[0].action).components == std::vector<Component>{Component::kApiServer});
}

}  // namespace
}  // namespace sasim::scenarios
