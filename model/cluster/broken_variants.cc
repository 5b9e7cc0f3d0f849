#include "model/cluster/broken_variants.h"

namespace sasim::model {

const std::vector<BrokenVariant>& broken_variants() {
  static const std::vector<BrokenVariant> kVariants{
      {"tokens-skip-uid-check", "the tokens controller matches accounts by name only, ignoring the token's uid annotation"},
      {"tokens-never-remove-references", "the tokens controller leaves references to deleted token Secrets in place"},
      {"tokens-keep-orphan-tokens", "the tokens controller does not delete the tokens of a deleted account"},
      {"admission-ignore-automount", "admission mounts a token whatever the pod's and the account's automount say"},
      {"admission-overwrite-image-pull-secrets", "admission copies the account's imagePullSecrets over the pod's own"},
      {"admission-admit-without-account", "admission admits a pod whose ServiceAccount does not exist"},
      {"tokens-overwrite-custom-namespace",
       "the tokens controller replaces a token Secret's non-empty namespace by the Secret's own"},
      {"tokens-keep-unreferenced-tokens",
       "the tokens controller does not delete a token it created but could not reference"},
      {"tokens-reference-failed-creates",
       "the tokens controller references the token it tried to create even when the create failed"},
      {"admission-no-live-lookup", "admission refuses a pod whose account is missing from its cache, without a live GET"},
      {"authenticator-accept-deleted-secrets",
       "the authenticator lets a token whose Secret is gone through to the account checks"},
      {"admission-account-automount-wins", "admission asks the account's automount setting before the pod's"},
      {"bound-validator-ignore-pod",
       "the bound-token validator does not look up a pod-bound token's pod: a deleted or recreated pod's token keeps working"},
      {"admission-secret-volume-mount",
       "admission mounts the token Secret as a Secret volume where the release mounts the projected kube-api-access volume (1.21+)",
       "1.22"},
      {"token-request-ignore-expiration",
       "TokenRequest issues every token for the default hour, ignoring expirationSeconds, the maximum and the 3607 s extension"},
      {"upgrade-apiserver-keeps-release",
       "an upgraded apiserver comes back with its old release's settings (1.20's Secret volumes after the upgrade to 1.21)",
       "1.20..1.21"},
      {"authenticator-track-first-use-only",
       "the apiserver writes a legacy token's last-used label at its first use only, never a later day's (1.26+ tracking)",
       "1.30"},
      {"authenticator-ignore-invalid-since",
       "the authenticator accepts a legacy token whose Secret is labelled invalid-since (1.29+)", "1.30"},
      {"bound-validator-ignore-node",
       "the bound-token validator does not look up a node-bound token's Node: a deleted or recreated Node's token keeps "
       "working (1.29+; node binding on by default from 1.31)",
       "1.31"},
      {"cleaner-ignore-mounts", "the legacy-token cleaner labels and deletes token Secrets that pods mount", "1.30",
       "tests/scenarios/broken/legacy-token-cleaner.yaml"},
      {"cleaner-ignore-last-used",
       "the legacy-token cleaner ignores the last-used label: tokens in use are labelled invalid and deleted", "1.30",
       "tests/scenarios/broken/legacy-token-cleaner.yaml"},
      {"kubelet-never-refreshes",
       "the kubelet's token manager never refreshes a cached token: a pod keeps its first projected token past its expiry",
       "1.25", "tests/scenarios/broken/kubelet-never-refreshes.yaml"},
  };
  return kVariants;
}

bool enable_broken_variant(ClusterConfig& config, std::string_view name) {
  auto& tokens = config.tokens_controller.broken;
  auto& admission = config.apiserver.admission.broken;
  if (name == "tokens-skip-uid-check") {
    tokens.skip_uid_check = true;
  } else if (name == "tokens-never-remove-references") {
    tokens.never_remove_references = true;
  } else if (name == "tokens-keep-orphan-tokens") {
    tokens.keep_orphan_tokens = true;
  } else if (name == "admission-ignore-automount") {
    admission.ignore_automount = true;
  } else if (name == "admission-overwrite-image-pull-secrets") {
    admission.overwrite_image_pull_secrets = true;
  } else if (name == "admission-admit-without-account") {
    admission.admit_without_account = true;
  } else if (name == "tokens-overwrite-custom-namespace") {
    tokens.overwrite_custom_namespace = true;
  } else if (name == "tokens-keep-unreferenced-tokens") {
    tokens.keep_unreferenced_tokens = true;
  } else if (name == "tokens-reference-failed-creates") {
    tokens.reference_failed_creates = true;
  } else if (name == "admission-no-live-lookup") {
    admission.no_live_lookup = true;
  } else if (name == "authenticator-accept-deleted-secrets") {
    config.apiserver.authenticator.broken.accept_missing_secrets = true;
  } else if (name == "admission-account-automount-wins") {
    admission.account_automount_wins = true;
  } else if (name == "bound-validator-ignore-pod") {
    config.apiserver.authenticator.broken.ignore_bound_pod = true;
  } else if (name == "bound-validator-ignore-node") {
    config.apiserver.authenticator.broken.ignore_bound_node = true;
  } else if (name == "admission-secret-volume-mount") {
    admission.secret_volume_mount = true;
  } else if (name == "authenticator-track-first-use-only") {
    config.apiserver.authenticator.broken.track_first_use_only = true;
  } else if (name == "authenticator-ignore-invalid-since") {
    config.apiserver.authenticator.broken.ignore_invalid_since = true;
  } else if (name == "cleaner-ignore-mounts") {
    config.legacy_token_cleaner.broken.ignore_mounts = true;
  } else if (name == "cleaner-ignore-last-used") {
    config.legacy_token_cleaner.broken.ignore_last_used = true;
  } else if (name == "token-request-ignore-expiration") {
    config.apiserver.token_issuer.broken.ignore_expiration = true;
  } else if (name == "kubelet-never-refreshes") {
    config.kubelet.broken_never_refresh = true;
  } else if (name == "upgrade-apiserver-keeps-release") {
    config.broken_upgrade_keeps_apiserver_release = true;
  } else {
    return false;
  }
  return true;
}

std::string broken_variant_names() {
  std::string out;
  for (const BrokenVariant& v : broken_variants()) out += (out.empty() ? "" : ", ") + std::string(v.name);
  return out;
}

}  // namespace sasim::model
