// The bound-token validator (upstream pkg/serviceaccount/claims.go,
// validator.Validate): after the JWT authenticator has verified the
// signature and the audiences, check the token's times (BV3) and that the
// ServiceAccount, and the Secret or pod it is bound to, still exist, are not
// deleted beyond the 60 s leeway and have the uids the claims name (BV4).
//
// --service-account-lookup does not apply: bound tokens are always looked
// up. The objects are read through BoundObjectGetter, which the apiserver
// implements over its informer caches with a live read on a miss (GET-28),
// so a stale cache decides, as upstream.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/auth/auth_result.h"
#include "model/auth/bound_claims.h"
#include "sim/result.h"

namespace sasim::model::auth {

// User extra keys of a pod-bound token (SAU).
inline constexpr std::string_view kPodNameExtraKey = "authentication.kubernetes.io/pod-name";
inline constexpr std::string_view kPodUidExtraKey = "authentication.kubernetes.io/pod-uid";
// 1.29+: the node of a pod-bound token (ServiceAccountTokenPodNodeInfo) or
// the node a token is bound to, and the token's jti (ServiceAccountTokenJTI).
inline constexpr std::string_view kNodeNameExtraKey = "authentication.kubernetes.io/node-name";
inline constexpr std::string_view kNodeUidExtraKey = "authentication.kubernetes.io/node-uid";
inline constexpr std::string_view kCredentialIdExtraKey = "authentication.kubernetes.io/credential-id";
// The audit annotation of a token used after its warnafter (BV6).
inline constexpr std::string_view kStaleTokenAnnotation = "authentication.k8s.io/stale-token";
// go-jose's jwt.DefaultLeeway: exp, nbf and deletions are judged one minute late.
inline constexpr std::int64_t kBoundTokenLeewaySeconds = 60;

class BoundObjectGetter {
 public:
  virtual ~BoundObjectGetter() = default;
  struct Object {
    std::string uid;
    // metadata.deletionTimestamp in whole seconds since the Unix epoch (the
    // API keeps whole seconds).
    std::optional<std::int64_t> deletion_unix_seconds;
  };
  // An error is returned to the client as its message (`serviceaccounts "x" not found`).
  virtual sim::Result<Object> service_account(std::string_view ns, std::string_view name) = 0;
  // nullopt: not found (or any error; the validator does not tell them apart).
  virtual std::optional<Object> secret(std::string_view ns, std::string_view name) = 0;
  virtual std::optional<Object> pod(std::string_view ns, std::string_view name) = 0;
  // Nodes are cluster-scoped. The default: no nodes at all.
  virtual std::optional<Object> node(std::string_view /*name*/) { return std::nullopt; }
};

// The release-dependent parts of the validator (Behaviour, BV3-BV4).
struct BoundValidatorOptions {
  // <= 1.22: "Token has expired.", "ServiceAccount UID (...) does not match
  // claim (...)", "Token has been invalidated"; 1.23+: the lowercase forms.
  bool capitalised_messages = false;
  // go-jose >= 2.6 (1.27+): a token issued in the future is rejected, and a
  // token without exp or nbf is not judged on the missing claim. Older
  // go-jose reads a missing exp as the zero time: expired.
  bool go_jose_checks_iat = false;
  // >= 1.30: the uid of the account, Secret or pod is checked before its deletion.
  bool uid_before_deletion = false;
  // BV5 (1.29+): a token bound to a node alone is checked against the node
  // (ServiceAccountTokenNodeBindingValidation); off, it is rejected.
  bool node_binding_validation = false;
  // A pod-bound token's node claim becomes user extra (ServiceAccountTokenPodNodeInfo).
  bool pod_node_info = false;
  // The token's jti becomes the credential-id extra `JTI=<jti>` (ServiceAccountTokenJTI).
  bool credential_id = false;
  // Broken variant bound-validator-ignore-pod (model/cluster/broken_variants.h):
  // the bound pod is neither looked up nor checked. Never set otherwise.
  bool broken_ignore_pod = false;
  // Broken variant bound-validator-ignore-node: a node-bound token's Node is
  // neither looked up nor checked. Never set otherwise.
  bool broken_ignore_node = false;
};

// The authenticated user, with its extra for a pod-bound token, or the
// rejection message. `now_unix_nanos` is the apiserver's wall clock.
sim::Result<UserInfo> validate_bound_token(const BoundClaims& claims, BoundObjectGetter& getter,
                                           std::int64_t now_unix_nanos, const BoundValidatorOptions& options,
                                           std::map<std::string, std::string>* audit_annotations = nullptr);

}  // namespace sasim::model::auth
