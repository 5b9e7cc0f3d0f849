// The ServiceAccount admission plugin's settings: the plugin's own fields
// (kube-apiserver sets them at construction, with these defaults) and the
// feature gate and fixes that later releases changed.
#pragma once

#include <cstdint>
#include <optional>

namespace sasim::model::admission {

struct Config {
  // Reject pods until the account has a token Secret (cluster.admission.requireAPIToken).
  bool require_api_token = true;
  // Enforce mountable secrets for every account, not only annotated ones
  // (cluster.admission.limitSecretReferences).
  bool limit_secret_references = false;
  bool mount_service_account_token = true;
  // BoundServiceAccountTokenVolume: off in 1.20, beta (on) in 1.21, GA in
  // 1.22. On, a projected kube-api-access-xxxxx volume replaces the token
  // Secret volume, and no token Secret is needed.
  bool bound_service_account_token_volume = false;
  // The projected token's expirationSeconds: 3600 in 1.20 (ADMT-20); 3607
  // from 1.21 (WarnOnlyBoundTokenExpirationSeconds).
  std::int64_t bound_token_expiration_seconds = 3600;
  // The projected volume's defaultMode: unset in 1.20-1.21 (the API default
  // 0644 applies downstream); later releases write 0644 (420) explicitly.
  std::optional<int> bound_token_default_mode;
  // CVE-2023-2728 fix (1.24.15+): Update is handled, the ephemeralcontainers
  // subresource is validated, and a pod without an account is rejected
  // rather than looked up.
  bool ephemeral_containers_fix = false;
  // CVE-2024-3177 fix (1.27.13+): envFrom secret references are checked too.
  bool env_from_fix = false;
  // Deliberately broken variants, for showing that the fuzzer and the
  // invariants can fail (model/cluster/broken_variants.h).
  struct Broken {
    bool ignore_automount = false;                // mount a token whatever the pod and account say
    bool overwrite_image_pull_secrets = false;    // the account's imagePullSecrets replace the pod's own
    bool admit_without_account = false;           // a pod whose account is missing is admitted as it is
    bool no_live_lookup = false;                  // R4 gives up on a cache miss, without the live GETs
    bool account_automount_wins = false;          // R5 asks the account before the pod
    bool secret_volume_mount = false;             // L2's Secret volume even where the release mounts L3's projected one
  } broken{};
};

}  // namespace sasim::model::admission
