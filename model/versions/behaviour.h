// Behaviour: what one release (with its feature gates) does differently,
// as typed settings that components read. This is the one place that
// knows which release does what; nothing else compares versions.
//
//   auto gates = resolve_feature_gates(KubeVersion{24}, {});
//   Behaviour b = behaviour_of(gates.value());
//   if (b.tokens_controller_auto_generates) ...   // E2 rule T3
//
// Each field names the rule or upstream change it stands for. The eras
// (E2-E5) and rule ids are those of docs/rules.md; docs/versions.md shows
// this table for users.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "model/versions/feature_gates.h"
#include "model/versions/kube_version.h"

namespace sasim::model::versions {

// How admission mounts a pod's token (reference L1-L2 and R6).
enum class TokenMount : std::uint8_t {
  kSecretVolume,  // the first referenced token Secret as a Secret volume (1.20; 1.21 with the gate off)
  kProjected,     // kube-api-access-xxxxx: a bound token, kube-root-ca.crt and the namespace
};

// The TokenRequest handler's order of steps (supplement B2/B3, PR #107880).
enum class TokenRequestOrder : std::uint8_t {
  kValidateFirst,  // <= 1.23: validation before the ServiceAccount lookup (a bad expiry is 422 even for a missing account)
  kLookupFirst,    // 1.24+: the account first (404), then validation
};

// The wording of the bound-token validator's errors (supplement BV3-BV4).
enum class BoundTokenMessages : std::uint8_t {
  kCapitalised,  // <= 1.22: "Token has expired.", "ServiceAccount UID (...) does not match claim (...)"
  kLowercase,    // 1.23+: "service account token has expired", ...
};

// What the legacy-token cleaner does (reference §5.5).
enum class LegacyTokenCleanup : std::uint8_t {
  kNone,       // no cleaner (before 1.28, or the gate off)
  kDelete,     // 1.28 alpha: unused tokens deleted directly
  kTwoPhase,   // 1.29+: labelled invalid-since, then deleted a period later
};

struct Behaviour {
  KubeVersion version{};
  FeatureGates gates{KubeVersion{}};

  // ---- kube-controller-manager
  // T3: the tokens controller creates a token Secret for every account
  // (E2; E3 with LegacyServiceAccountTokenNoAutoGeneration off). T3': off.
  bool tokens_controller_auto_generates = true;
  // The root-CA publisher writes kube-root-ca.crt in every namespace
  // (RootCAConfigMap, beta and on in 1.20; always from 1.21).
  bool root_ca_publisher = true;
  LegacyTokenCleanup legacy_token_cleanup = LegacyTokenCleanup::kNone;

  // ---- kubelet
  // KubeletConfiguration's kubeAPIQPS and kubeAPIBurst defaults, the limits
  // of the kubelet's client (its TokenRequests and pod status writes among
  // them): 5 and 10 until 1.26, 50 and 100 from 1.27 (#116121).
  std::int64_t kubelet_api_qps = 5;
  std::int64_t kubelet_api_burst = 10;

  // ---- kube-apiserver: the ServiceAccount admission plugin
  TokenMount token_mount = TokenMount::kSecretVolume;
  // The projected token's expirationSeconds (3600 in 1.20, AV1; 3607 from
  // 1.21, WarnOnlyBoundTokenExpirationSeconds, AV2).
  std::int64_t projected_token_expiration_seconds = 3600;
  // The projected volume's defaultMode written by admission: unset before
  // 1.23 (the API default 0644 applies when stored), 0644 from 1.23 (AV4).
  std::optional<int> projected_default_mode{};
  // CVE-2023-2728 (fixed in 1.24.15, 1.25.11, 1.26.6, 1.27.3): Update and
  // the ephemeralcontainers subresource are validated (R10).
  bool admission_validates_ephemeral_containers = false;
  // CVE-2024-3177 (fixed in 1.27.13, 1.28.9, 1.29.4): envFrom is checked.
  bool admission_checks_env_from = false;

  // ---- kube-apiserver: service-account flags
  // --service-account-issuer may be repeated from 1.22 (#101155): the first
  // issuer signs, all are accepted, and --api-audiences defaults to all of
  // them. Before, one issuer.
  bool multiple_issuers = false;
  // The startup error for --service-account-max-token-expiration outside
  // [1h, 2^32 s] (B7). The older wording is the one of 1.20 to at least
  // 1.24; 1.28 has the newer one (where it changed between is unconfirmed,
  // taken here as 1.26).
  std::string_view max_token_expiration_range_error =
      "the serviceaccount max expiration must be between 1 hour to 2^32 seconds";

  // ---- kube-apiserver: TokenRequest (supplement §2)
  TokenRequestOrder token_request_order = TokenRequestOrder::kValidateFirst;
  // B1: from 1.24 the generic create handler checks the body's namespace
  // against the URL's before TokenREST (400) and fills an empty one
  // (#94637); before, a TokenRequest's body namespace is not looked at.
  bool token_request_body_namespace_checked = false;
  // B8: the extended lifetime of a 3607-second pod-bound token
  // (ExpirationExtensionSeconds, 365 days, 1.19-1.31).
  std::int64_t expiration_extension_seconds = 365LL * 24 * 60 * 60;
  // B8: from 1.24 only tokens for the apiserver's own audiences are extended (#105954).
  bool extension_requires_api_audiences = false;
  // B7: from 1.24 a capped expiration answers with a warning (#107880).
  bool warn_when_expiration_capped = false;
  // B9: a random jti in bound tokens (ServiceAccountTokenJTI).
  bool token_jti = false;
  // B6/B9: pod-bound tokens carry the pod's node (ServiceAccountTokenPodNodeInfo).
  bool token_pod_node_info = false;
  // B6: tokens may be bound to a Node (ServiceAccountTokenNodeBinding).
  bool token_node_binding = false;
  // CLM-30: Claims() rejects a pod and a secret together (1.29+; before, the pod wins).
  bool claims_reject_pod_and_secret = false;

  // ---- kube-apiserver: authentication
  BoundTokenMessages bound_token_messages = BoundTokenMessages::kCapitalised;
  // BV3: go-jose >= 2.6 rejects a token issued in the future (1.27+).
  bool bound_token_checks_iat = false;
  // BV4: from 1.30 the uid of the account, Secret or pod is checked before its deletion.
  bool bound_token_uid_before_deletion = false;
  // BV5: node-bound tokens are validated (ServiceAccountTokenNodeBindingValidation).
  bool node_binding_validation = false;
  // V4: after verification an issuer outside the accepted set is an error (1.32+).
  bool post_verification_issuer_check = false;
  // §5.3 step 9: legacy tokens get kubernetes.io/legacy-token-last-used (LegacyServiceAccountTokenTracking).
  bool legacy_token_tracking = false;
  // §5.3 step 7: kubernetes.io/legacy-token-invalid-since rejects a legacy
  // token (1.29 with LegacyServiceAccountTokenCleanUp; ungated from 1.30).
  bool legacy_invalid_since_check = false;
  // V9: with LegacyServiceAccountTokenTracking turned off (possible in 1.26
  // and 1.27 only), kube-apiserver's tracking controller deletes its
  // ConfigMap instead of keeping it.
  bool legacy_tracking_config_map_deleted = false;
  // B6: from 1.29 TokenREST knows the Node kind (bound when
  // ServiceAccountTokenNodeBinding is on, refused with its own message when
  // off); before, a Node is "an object of type /v1, Kind=Node".
  bool token_request_knows_nodes = false;
};

// The behaviour of the release `gates` were resolved for.
Behaviour behaviour_of(const FeatureGates& gates);

// `version`'s behaviour with every feature gate at its default; nullopt for a
// version outside the table. The one way from a version to its behaviour for
// callers that take no --feature-gates (the fuzzer, the reference model).
std::optional<Behaviour> default_behaviour(KubeVersion version);

}  // namespace sasim::model::versions
