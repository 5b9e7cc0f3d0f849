// The feature gates of kube-apiserver, kube-controller-manager and the
// kubelet that touch the ServiceAccount machinery, with their stage and
// default in every minor release 1.20-1.33, and the resolution of a
// scenario's `cluster.featureGates` against them, with upstream's errors.
//
// This is data: components never compare version numbers; they read a
// Behaviour (behaviour.h), which is computed from the version and these
// gates. docs/versions.md is the same table for users.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/versions/kube_version.h"
#include "sim/result.h"

namespace sasim::model::versions {

enum class Gate : std::uint8_t {
  kTokenRequest,
  kTokenRequestProjection,
  kBoundServiceAccountTokenVolume,
  kRootCAConfigMap,
  kServiceAccountIssuerDiscovery,
  kCSIServiceAccountToken,
  kLegacyServiceAccountTokenNoAutoGeneration,
  kLegacyServiceAccountTokenTracking,
  kLegacyServiceAccountTokenCleanUp,
  kServiceAccountTokenJTI,
  kServiceAccountTokenPodNodeInfo,
  kServiceAccountTokenNodeBinding,
  kServiceAccountTokenNodeBindingValidation,
  kExternalServiceAccountTokenSigner,
  kServiceAccountNodeAudienceRestriction,
  kKubeletServiceAccountTokenForCredentialProviders,
};
inline constexpr std::size_t kGateCount = 16;

enum class Stage : std::uint8_t { kAbsent, kAlpha, kBeta, kGA };

// A gate in one release: its stage, its default and whether it is locked
// to that default (setting it otherwise is an error).
struct GateState {
  Stage stage = Stage::kAbsent;
  bool default_on = false;
  bool locked = false;
  bool operator==(const GateState&) const = default;
};

std::string_view gate_name(Gate gate);
std::string_view stage_name(Stage stage);  // "alpha", "beta", "GA", "absent"
// Every gate, in the order of the enum.
const std::array<Gate, kGateCount>& all_gates();
// The gate's state in `version` (stage kAbsent where the release has no such gate).
GateState gate_state(Gate gate, KubeVersion version);
// Where the table's row comes from (upstream files and pull requests).
std::string_view gate_source(Gate gate);

// The gates of one release with a scenario's settings applied.
class FeatureGates {
 public:
  explicit FeatureGates(KubeVersion version);
  KubeVersion version() const { return version_; }
  // Whether the gate is on: its setting, else its default; false where the
  // release has no such gate.
  bool enabled(Gate gate) const { return enabled_[static_cast<std::size_t>(gate)]; }
  // What the scenario set explicitly, by gate name (for output and upgrades).
  const std::map<std::string, bool>& settings() const { return settings_; }

 private:
  friend sim::Result<FeatureGates, std::string> resolve_feature_gates(KubeVersion,
                                                                       const std::map<std::string, bool>&);
  KubeVersion version_;
  std::array<bool, kGateCount> enabled_{};
  std::map<std::string, bool> settings_{};
};

// Applies `settings` (gate name -> value, as --feature-gates takes them) to
// `version`'s defaults. Errors use component-base's wording:
// "unrecognized feature gate: NAME" for a gate the release does not have
// (or that sasim does not simulate: the message says so), and
// "cannot set feature gate NAME to false, feature is locked to true".
sim::Result<FeatureGates, std::string> resolve_feature_gates(KubeVersion version,
                                                             const std::map<std::string, bool>& settings);

}  // namespace sasim::model::versions
