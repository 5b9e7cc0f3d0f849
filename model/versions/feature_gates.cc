#include "model/versions/feature_gates.h"

#include <algorithm>

#include <fmt/format.h>

namespace sasim::model::versions {
namespace {

// Cells of the table, one per minor from 1.20 to 1.33.
constexpr GateState kNo{Stage::kAbsent, false, false};
constexpr GateState kAlpha{Stage::kAlpha, false, false};
constexpr GateState kBeta{Stage::kBeta, true, false};
constexpr GateState kBetaOff{Stage::kBeta, false, false};
constexpr GateState kGA{Stage::kGA, true, false};
constexpr GateState kGALocked{Stage::kGA, true, true};

struct Row {
  Gate gate;
  std::string_view name;
  //      1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 1.33
  std::array<GateState, kVersionCount> cells;
  std::string_view source;
};

// Stages and defaults as each release's pkg/features/kube_features.go
// declares them. Each minor is its last patch release: where a patch changed
// a default (ServiceAccountNodeAudienceRestriction in 1.32), the patched
// default is the one here.
const std::array<Row, kGateCount>& table() {
  static const std::array<Row, kGateCount> kTable{{
      {Gate::kTokenRequest, "TokenRequest",
       {kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "GA and locked in 1.20; removed in 1.21 (kubernetes/kubernetes#97148)"},
      {Gate::kTokenRequestProjection, "TokenRequestProjection",
       {kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "GA and locked in 1.20; removed in 1.21 (#97148)"},
      {Gate::kBoundServiceAccountTokenVolume, "BoundServiceAccountTokenVolume",
       {kAlpha, kBeta, kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "alpha 1.13, beta 1.21 (#95667), GA 1.22 (#101992), removed 1.23 (#104167)"},
      {Gate::kRootCAConfigMap, "RootCAConfigMap",
       {kBeta, kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "beta 1.20 (#96197), GA 1.21 (#98033), removed 1.22 (#101579)"},
      {Gate::kServiceAccountIssuerDiscovery, "ServiceAccountIssuerDiscovery",
       {kBeta, kGALocked, kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "beta 1.20, GA and locked 1.21-1.22, removed 1.23"},
      {Gate::kCSIServiceAccountToken, "CSIServiceAccountToken",
       {kAlpha, kBeta, kGALocked, kGALocked, kGALocked, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
       "alpha 1.20, beta 1.21, GA and locked 1.22; still declared in 1.24 (removal in 1.25 inferred)"},
      {Gate::kLegacyServiceAccountTokenNoAutoGeneration, "LegacyServiceAccountTokenNoAutoGeneration",
       {kNo, kNo, kNo, kNo, kBeta, kBeta, kGA, kGALocked, kGALocked, kNo, kNo, kNo, kNo, kNo},
       "beta 1.24 (#108309), GA 1.26, locked 1.27 (#114522, which deleted the auto-generation path), removed 1.29"},
      {Gate::kLegacyServiceAccountTokenTracking, "LegacyServiceAccountTokenTracking",
       {kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kBeta, kGALocked, kGALocked, kNo, kNo, kNo, kNo},
       "alpha 1.26 (#108858), beta 1.27 (#114523), GA 1.28 (#117591), removed 1.30"},
      {Gate::kLegacyServiceAccountTokenCleanUp, "LegacyServiceAccountTokenCleanUp",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kBeta, kGALocked, kGALocked, kNo, kNo},
       "alpha 1.28 (#115554), beta 1.29 (#120682), GA 1.30, removed 1.32"},
      {Gate::kServiceAccountTokenJTI, "ServiceAccountTokenJTI",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kBeta, kBeta, kGALocked, kGALocked},
       "alpha 1.29 (#120780), beta 1.30, GA 1.32 (#128169)"},
      {Gate::kServiceAccountTokenPodNodeInfo, "ServiceAccountTokenPodNodeInfo",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kBeta, kBeta, kGALocked, kGALocked},
       "alpha 1.29 (#120780), beta 1.30, GA 1.32 (#128169)"},
      {Gate::kServiceAccountTokenNodeBinding, "ServiceAccountTokenNodeBinding",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kAlpha, kBeta, kBeta, kGALocked},
       "alpha 1.29, beta 1.31, GA 1.33 (#125238)"},
      {Gate::kServiceAccountTokenNodeBindingValidation, "ServiceAccountTokenNodeBindingValidation",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kBeta, kBeta, kGALocked, kGALocked},
       "alpha 1.29, beta 1.30, GA 1.32 (#128169)"},
      {Gate::kExternalServiceAccountTokenSigner, "ExternalServiceAccountTokenSigner",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha, kAlpha},
       "alpha 1.32 (beta in 1.34)"},
      {Gate::kServiceAccountNodeAudienceRestriction, "ServiceAccountNodeAudienceRestriction",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kBetaOff, kBeta},
       "beta 1.32 (#128077), default turned off in a 1.32 patch (#130015), on in 1.33 (#130017)"},
      {Gate::kKubeletServiceAccountTokenForCredentialProviders, "KubeletServiceAccountTokenForCredentialProviders",
       {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kAlpha},
       "alpha 1.33 (beta in 1.34)"},
  }};
  return kTable;
}

const Row& row(Gate gate) { return table()[static_cast<std::size_t>(gate)]; }

}  // namespace

std::string_view gate_name(Gate gate) { return row(gate).name; }
std::string_view gate_source(Gate gate) { return row(gate).source; }

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::kAbsent: return "absent";
    case Stage::kAlpha: return "alpha";
    case Stage::kBeta: return "beta";
    case Stage::kGA: return "GA";
  }
  return "absent";
}

const std::array<Gate, kGateCount>& all_gates() {
  static const std::array<Gate, kGateCount> kGates = [] {
    std::array<Gate, kGateCount> gates{};
    for (std::size_t i = 0; i < kGateCount; ++i) gates[i] = table()[i].gate;
    return gates;
  }();
  return kGates;
}

GateState gate_state(Gate gate, KubeVersion version) { return row(gate).cells[version.index()]; }

FeatureGates::FeatureGates(KubeVersion version) : version_(version) {
  for (Gate gate : all_gates()) enabled_[static_cast<std::size_t>(gate)] = gate_state(gate, version).default_on;
}

sim::Result<FeatureGates, std::string> resolve_feature_gates(KubeVersion version,
                                                             const std::map<std::string, bool>& settings) {
  FeatureGates gates(version);
  for (const auto& [name, value] : settings) {
    // (A named capture: clang before 16 cannot capture a structured binding.)
    const auto it =
        std::find_if(table().begin(), table().end(), [&gate = name](const Row& r) { return r.name == gate; });
    const GateState state = it == table().end() ? kNo : it->cells[version.index()];
    if (state.stage == Stage::kAbsent) {
      // component-base's wording first; then what only sasim can say.
      return sim::unexpected(fmt::format(
          "unrecognized feature gate: {} (Kubernetes {} has no such gate, or it does not concern the "
          "ServiceAccount machinery that sasim simulates)",
          name, version.to_string()));
    }
    if (state.locked && value != state.default_on) {
      return sim::unexpected(fmt::format("cannot set feature gate {} to {}, feature is locked to {}", name, value,
                                         state.default_on));
    }
    gates.enabled_[static_cast<std::size_t>(it->gate)] = value;
    gates.settings_[name] = value;
  }
  return gates;
}

}  // namespace sasim::model::versions
