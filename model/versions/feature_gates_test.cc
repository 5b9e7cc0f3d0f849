#include "model/versions/feature_gates.h"

#include <sstream>

#include <catch2/catch.hpp>

namespace sasim::model::versions {
namespace {

// The feature-gate table as the project's documentation states it
// (docs/versions.md), one row per gate and one cell per minor from 1.20 to
// 1.33: "-" absent, "A" alpha (off), "B" beta (on), "B-" beta (off), "GA",
// "GA L" GA and locked. Written out independently of the code's table, so
// that a slip in either shows.
const char* const kExpected[] = {
    "TokenRequest                               | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "TokenRequestProjection                     | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "BoundServiceAccountTokenVolume             | A    | B    | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "RootCAConfigMap                            | B    | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "ServiceAccountIssuerDiscovery              | B    | GA L | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "CSIServiceAccountToken                     | A    | B    | GA L | GA L | GA L | -    | -    | -    | -    | -    | -    | -    | -    | -",
    "LegacyServiceAccountTokenNoAutoGeneration  | -    | -    | -    | -    | B    | B    | GA   | GA L | GA L | -    | -    | -    | -    | -",
    "LegacyServiceAccountTokenTracking          | -    | -    | -    | -    | -    | -    | A    | B    | GA L | GA L | -    | -    | -    | -",
    "LegacyServiceAccountTokenCleanUp           | -    | -    | -    | -    | -    | -    | -    | -    | A    | B    | GA L | GA L | -    | -",
    "ServiceAccountTokenJTI                     | -    | -    | -    | -    | -    | -    | -    | -    | -    | A    | B    | B    | GA L | GA L",
    "ServiceAccountTokenPodNodeInfo             | -    | -    | -    | -    | -    | -    | -    | -    | -    | A    | B    | B    | GA L | GA L",
    "ServiceAccountTokenNodeBinding             | -    | -    | -    | -    | -    | -    | -    | -    | -    | A    | A    | B    | B    | GA L",
    "ServiceAccountTokenNodeBindingValidation   | -    | -    | -    | -    | -    | -    | -    | -    | -    | A    | B    | B    | GA L | GA L",
    "ExternalServiceAccountTokenSigner          | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | A    | A",
    "ServiceAccountNodeAudienceRestriction      | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | -    | B-   | B",
    "KubeletServiceAccountTokenForCredentialProviders | - | - | - | - | - | - | - | - | - | - | - | - | - | A",
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string cell_text(GateState s) {
  switch (s.stage) {
    case Stage::kAbsent: return "-";
    case Stage::kAlpha: return s.default_on ? "A+" : "A";
    case Stage::kBeta: return s.default_on ? "B" : "B-";
    case Stage::kGA: return s.locked ? "GA L" : "GA";
  }
  return "?";
}

TEST_CASE("every gate has the documented stage and default and lock in every release from 1.20 to 1.33") {
  REQUIRE(std::size(kExpected) == kGateCount);
  for (std::size_t g = 0; g < kGateCount; ++g) {
    std::istringstream row(kExpected[g]);
    std::string field;
    std::getline(row, field, '|');
    const Gate gate = all_gates()[g];
    CAPTURE(field);
    REQUIRE(trim(field) == gate_name(gate));
    for (const KubeVersion v : all_versions()) {
      std::getline(row, field, '|');
      INFO(gate_name(gate) << " in " << v.to_string());
      CHECK(cell_text(gate_state(gate, v)) == trim(field));
    }
  }
}

TEST_CASE("a locked gate has the default it is locked to and only GA gates are locked") {
  for (Gate gate : all_gates()) {
    for (const KubeVersion v : all_versions()) {
      const GateState s = gate_state(gate, v);
      if (s.locked) CHECK(s.stage == Stage::kGA);
      if (s.stage == Stage::kAbsent) CHECK_FALSE(s.default_on);
    }
  }
}

TEST_CASE("feature-gate settings resolve against the release's defaults") {
  SECTION("nothing set: the defaults") {
    auto gates = resolve_feature_gates(KubeVersion{24}, {});
    REQUIRE(gates.ok());
    CHECK(gates.value().enabled(Gate::kLegacyServiceAccountTokenNoAutoGeneration));
    CHECK_FALSE(gates.value().enabled(Gate::kBoundServiceAccountTokenVolume));  // gone in 1.23: the behaviour is unconditional
    CHECK(gates.value().settings().empty());
  }
  SECTION("an alpha gate switched on") {
    auto gates = resolve_feature_gates(KubeVersion{20}, {{"BoundServiceAccountTokenVolume", true}});
    REQUIRE(gates.ok());
    CHECK(gates.value().enabled(Gate::kBoundServiceAccountTokenVolume));
    CHECK(gates.value().settings().at("BoundServiceAccountTokenVolume"));
  }
  SECTION("a beta gate switched off") {
    auto gates = resolve_feature_gates(KubeVersion{25}, {{"LegacyServiceAccountTokenNoAutoGeneration", false}});
    REQUIRE(gates.ok());
    CHECK_FALSE(gates.value().enabled(Gate::kLegacyServiceAccountTokenNoAutoGeneration));
  }
  SECTION("a locked gate set to its locked value is accepted") {
    CHECK(resolve_feature_gates(KubeVersion{27}, {{"LegacyServiceAccountTokenNoAutoGeneration", true}}).ok());
  }
  SECTION("a locked gate set against its lock is upstream's error") {
    auto gates = resolve_feature_gates(KubeVersion{27}, {{"LegacyServiceAccountTokenNoAutoGeneration", false}});
    REQUIRE_FALSE(gates.ok());
    CHECK(gates.error() ==
          "cannot set feature gate LegacyServiceAccountTokenNoAutoGeneration to false, feature is locked to true");
  }
  SECTION("a gate the release does not have is unrecognized") {
    auto gates = resolve_feature_gates(KubeVersion{33}, {{"LegacyServiceAccountTokenCleanUp", true}});
    REQUIRE_FALSE(gates.ok());
    CHECK_THAT(gates.error(), Catch::StartsWith("unrecognized feature gate: LegacyServiceAccountTokenCleanUp"));
    auto typo = resolve_feature_gates(KubeVersion{20}, {{"BoundServiceAccountTokenVolumes", true}});
    REQUIRE_FALSE(typo.ok());
    CHECK_THAT(typo.error(), Catch::StartsWith("unrecognized feature gate: BoundServiceAccountTokenVolumes"));
  }
}

}  // namespace
}  // namespace sasim::model::versions
