#include "model/versions/behaviour.h"

namespace sasim::model::versions {

Behaviour behaviour_of(const FeatureGates& gates) {
  const int minor = gates.version().minor;
  Behaviour b;
  b.version = gates.version();
  b.gates = gates;

  // E2 until 1.23; E3 (1.24-1.26) follows the gate; E4 (1.27+) has no such code path.
  b.tokens_controller_auto_generates =
      minor <= 26 && !gates.enabled(Gate::kLegacyServiceAccountTokenNoAutoGeneration);
  b.root_ca_publisher = minor >= 21 || gates.enabled(Gate::kRootCAConfigMap);
  if (minor >= 29) {
    b.legacy_token_cleanup =
        minor >= 30 || gates.enabled(Gate::kLegacyServiceAccountTokenCleanUp) ? LegacyTokenCleanup::kTwoPhase
                                                                                : LegacyTokenCleanup::kNone;
  } else if (minor == 28 && gates.enabled(Gate::kLegacyServiceAccountTokenCleanUp)) {
    b.legacy_token_cleanup = LegacyTokenCleanup::kDelete;
  }

  b.kubelet_api_qps = minor >= 27 ? 50 : 5;
  b.kubelet_api_burst = minor >= 27 ? 100 : 10;

  b.token_mount = minor >= 23 || gates.enabled(Gate::kBoundServiceAccountTokenVolume) ? TokenMount::kProjected
                                                                                       : TokenMount::kSecretVolume;
  b.projected_token_expiration_seconds = minor == 20 ? 3600 : 3607;
  if (minor >= 23) b.projected_default_mode = 0644;
  b.admission_validates_ephemeral_containers = minor >= 24;
  b.admission_checks_env_from = minor >= 27;

  b.multiple_issuers = minor >= 22;
  if (minor >= 26) {
    b.max_token_expiration_range_error = "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds";
  }

  b.token_request_body_namespace_checked = minor >= 24;
  b.token_request_order = minor >= 24 ? TokenRequestOrder::kLookupFirst : TokenRequestOrder::kValidateFirst;
  b.extension_requires_api_audiences = minor >= 24;
  b.warn_when_expiration_capped = minor >= 24;
  b.token_jti = gates.enabled(Gate::kServiceAccountTokenJTI);
  b.token_pod_node_info = gates.enabled(Gate::kServiceAccountTokenPodNodeInfo);
  b.token_node_binding = gates.enabled(Gate::kServiceAccountTokenNodeBinding);
  b.claims_reject_pod_and_secret = minor >= 29;

  b.bound_token_messages = minor >= 23 ? BoundTokenMessages::kLowercase : BoundTokenMessages::kCapitalised;
  b.bound_token_checks_iat = minor >= 27;
  b.bound_token_uid_before_deletion = minor >= 30;
  b.node_binding_validation = gates.enabled(Gate::kServiceAccountTokenNodeBindingValidation);
  b.post_verification_issuer_check = minor >= 32;
  b.legacy_token_tracking = minor >= 30 || gates.enabled(Gate::kLegacyServiceAccountTokenTracking);
  b.legacy_invalid_since_check = minor >= 30 || (minor == 29 && gates.enabled(Gate::kLegacyServiceAccountTokenCleanUp));
  b.legacy_tracking_config_map_deleted = (minor == 26 || minor == 27) && !b.legacy_token_tracking;
  b.token_request_knows_nodes = minor >= 29;
  return b;
}

std::optional<Behaviour> default_behaviour(KubeVersion version) {
  auto gates = resolve_feature_gates(version, {});
  if (!gates.ok()) return std::nullopt;
  return behaviour_of(gates.value());
}

}  // namespace sasim::model::versions
