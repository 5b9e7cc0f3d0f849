// The always-invariants about pod admission, checked on each admitted pod.
// Whether the account existed, and the imagePullSecrets it passes on, are
// judged against the account as storage held it at that moment (which is
// what "existed at admission" means; admission itself may have read a stale
// cache, and that is exactly what these catch). Automount is judged against
// the account admission decided with (its cache, or a live GET on a miss):
// a stale cache is not the plugin's mistake there, and the precedence rule
// is written here again rather than taken from the plugin.
//
// The observer sees the pod after admission, not the manifest the client
// sent, which bounds what can be told apart:
// - a volume the user mounted at the token path counts as a token mount;
// - a pod admitted with imagePullSecrets may have brought its own, so only
//   a pod left without any is checked against its account.
// Mirror pods are exempt from all three (§8 precisions): admission never
// mutates them.
#pragma once

#include <optional>

#include "model/admission/config.h"
#include "model/apiserver/apiserver.h"
#include "model/objects/object.h"
#include "properties/violation.h"

namespace sasim::properties {

// The pod's account must have been stored when the pod was.
CheckOutcome check_pod_uses_existing_serviceaccount(const model::Pod& pod, const model::ObjectPtr& service_account,
                                                    sim::Time now);

// Rule R5 as the invariants state it: the pod's automountServiceAccountToken
// when set (either way), else the account's, else true; nullopt when there
// is no account and the pod says nothing.
std::optional<bool> expected_automount(const model::Pod& pod, const model::ServiceAccount* account);

// should = mountServiceAccountToken and expected_automount(pod, the account
// admission decided with). should false: no container (init, regular or
// ephemeral) has a volume mounted at
// /var/run/secrets/kubernetes.io/serviceaccount. should true and the pod
// could not have been admitted without one (requireAPIToken, or the bound
// token volume, which needs no Secret): every init and regular container
// has one. Without an account and without the pod's own setting there is
// nothing to judge (the existing-account invariant reports the pod).
CheckOutcome check_pod_follows_automount(const model::Pod& pod, const model::ServiceAccount* decided_with,
                                         const model::admission::Config& config, sim::Time now);

// A pod left without imagePullSecrets must have an account without any.
CheckOutcome check_pod_inherits_image_pull_secrets(const model::Pod& pod, const model::ObjectPtr& service_account,
                                                   sim::Time now);

// A violation of `invariant` by `pod`, naming the pod and its ServiceAccount.
Violation pod_violation(std::string_view invariant, const model::Pod& pod, sim::Time now, std::string message);

}  // namespace sasim::properties
