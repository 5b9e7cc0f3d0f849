// The invariants of bound (TokenRequest) tokens, judged from the JWT's
// claims and the objects, apart from the model's bound-token validator:
//
// bound-tokens-respect-their-objects (always): a review that accepts a
// token of a bound issuer must not do so once the token is past `exp` plus
// the 60 s leeway, once its ServiceAccount is gone, has another uid or was
// deleted more than 60 s ago, or once its pod, Secret or (for a token bound
// to a Node alone, 1.29+) Node is gone, has another uid or was deleted more
// than 60 s ago. A pod-bound token's node claim is information only. "Gone" is as the authenticator's
// lookups see it (its informer's copy, storage on a miss): upstream reads a
// cache that lags, and the invariant holds it to what it can see.
//
// running-pods-hold-valid-tokens (eventually): every pod that is Running,
// not terminating (the kubelet stops rotating those, K13), mounts a
// projected token and whose process the kubelet runs, holds (as its
// process last read it) a token of a bound issuer, for the pod's own
// ServiceAccount (namespace, name and the account's current uid), bound to
// this pod incarnation, not past `exp` plus the leeway. Legacy tokens of
// Secret volumes are the other invariants' concern. A pod whose account is
// gone is not judged (nothing repairs it but the account's return), nor,
// for two sync periods after the account is created again, one holding an
// expired token of the account before (the kubelet asks again at its next
// sync; an unexpired one it keeps, a known weakness judged at once).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/api/token_review.h"
#include "model/objects/data_value.h"
#include "model/objects/object.h"
#include "properties/violation.h"

namespace sasim::properties {

class TokenOracle;

// The claims of a bound token, read without verifying anything.
struct BoundTokenClaims {
  std::string issuer;
  std::string subject;
  std::int64_t exp = 0;  // seconds since the Unix epoch
  std::string ns;
  std::string service_account_name, service_account_uid;
  std::string pod_name, pod_uid;
  std::string secret_name, secret_uid;
  std::string node_name, node_uid;  // 1.29+: a pod's node, or the Node a token is bound to
};

// The payload of a compact JWT as bound-token claims; nullopt if it is not
// one (no `kubernetes.io` object with a serviceaccount).
std::optional<BoundTokenClaims> read_bound_claims(std::string_view token);

// The objects as the authenticator would find them now.
struct BoundLookup {
  std::function<model::ObjectPtr(model::Kind kind, const std::string& ns, const std::string& name)> get;
  std::int64_t epoch_unix_seconds = 0;  // simulated time 0 on the wall clock
  // running-pods-hold-valid-tokens: how long after an account comes back
  // (deleted and created again) its pods' kubelet may still hold an expired
  // token of the old account. Its TokenRequests failed while the account
  // was gone; the next pod sync (within 1.5 sync periods) asks again.
  // Zero: none.
  sim::Duration recreated_account_grace{};
};

// Why a token with these claims must be rejected at `now`, or empty.
std::string bound_token_must_be_rejected(const BoundTokenClaims& claims, const BoundLookup& objects, sim::Time now);

// A running pod's token refused only because its account was deleted and
// recreated under the same name since the token was issued, while the
// token has not expired: upstream's kubelet keys its token cache without
// the account's uid (kubernetes#132802) and keeps serving the old token
// until its refresh point (80 % of its lifetime, or 24 h), and past it
// while a refresh fails, up to expiry (kubernetes#106049). A known
// weakness then, not a finding; past expiry, the token's `exp` makes it a
// violation whatever the account. nullopt in every other case.
std::optional<KnownWeakness> held_for_a_recreated_account(const BoundTokenClaims& claims, const BoundLookup& objects,
                                                          sim::Time now);

// bound-tokens-respect-their-objects for one review. One check per
// accepted review of a token of `bound_issuers`.
// `oracle`, when given, lends the claims of a token it has verified (its
// cache holds each distinct token's payload once), so that a token judged
// every hour, or presented again and again, is not parsed each time, and
// the claims of a bound token nobody read (TokenOracle::verify_presented),
// so that it is not signed; any other token is read as above. The answers
// are the same.
CheckOutcome check_bound_token_review(const model::DataValue& token, const model::TokenReviewResult& result,
                                      const std::vector<std::string>& bound_issuers, const BoundLookup& objects,
                                      sim::Time now, const TokenOracle* oracle = nullptr);

// One running pod as running-pods-hold-valid-tokens sees it.
struct RunningPodToken {
  model::ObjectPtr pod;                 // as stored
  std::optional<model::DataValue> token;  // what its process holds (nullopt: nothing)
};

// running-pods-hold-valid-tokens over `pods` (the caller picks the Running,
// non-terminating pods with a projected token whose process runs). One
// check per pod. `oracle` as for check_bound_token_review.
CheckOutcome check_running_pods_hold_valid_tokens(const std::vector<RunningPodToken>& pods,
                                                  const std::vector<std::string>& bound_issuers,
                                                  const BoundLookup& objects, sim::Time now,
                                                  const TokenOracle* oracle = nullptr);

}  // namespace sasim::properties
