// The always-invariants that judge the ServiceAccount admission plugin's
// refusals and its mountable-secrets enforcement, against its inputs as
// the apiserver recorded them (model::PodAdmission: the account each
// lookup returned) and the apiserver's caches and storage at the instant
// of the decision. Every rule is written here again from 1.20's plugin
// (R4, R5, L1, R9 of docs/rules.md), not taken from it.
//
// pod-rejections-have-cause: a refusal must have a cause 1.20 gives:
// - `serviceaccount "NAME" not found` (R4): the failing lookup read
//   admission's cache, found nothing there, then read storage live (ten
//   times for `default`, once for any other name) and found nothing
//   either: a plugin that ignores what it was given, or that stops looking
//   on a cache miss, refuses pods 1.20 admits;
// - `No API token found` (L1): requireAPIToken is on, automount is on for
//   the pod with the account admission decided with, and that account
//   references no Secret that admission's Secret cache holds as a token of
//   that account (type, name annotation, uid annotation empty or its uid);
// - `... is not allowed because service account ... does not reference`
//   (R9): mountable secrets are enforced for the account (the cluster's
//   limitSecretReferences, or the kubernetes.io/enforce-mountable-secrets
//   annotation parsing true as Go's strconv.ParseBool reads it) and the pod
//   does reference something the account does not list;
// - a mirror pod's refusal (R8) needs the mirror annotation;
// anything else is a refusal 1.20's plugin never gives.
//
// admitted-pods-respect-mountable-secrets: under enforcement, an admitted
// pod's secret volumes and env secretKeyRefs (and envFrom, with the
// CVE-2024-3177 fix) in init and regular containers name Secrets its
// account references, and its imagePullSecrets the account's.
#pragma once

#include <optional>
#include <string>

#include "model/admission/config.h"
#include "model/apiserver/apiserver.h"
#include "model/client/informer.h"
#include "properties/violation.h"

namespace sasim::properties {

// `secret_cache`: admission's Secret cache at the instant of the refusal
// (what L1 read, as nothing happens between its decision and the refusal).
CheckOutcome check_pod_rejection(const model::Pod& pod, const model::ApiStatus& status,
                                 const model::PodAdmission& admission, const model::client::Informer& secret_cache,
                                 const model::admission::Config& config, sim::Time now);

CheckOutcome check_pod_respects_mountable_secrets(const model::Pod& pod, const model::PodAdmission& admission,
                                                  const model::admission::Config& config, sim::Time now);

// Whether mountable secrets are enforced for `account` (R9), and the first
// reference of `pod` the account does not allow, if any.
bool enforces_mountable_secrets(const model::ServiceAccount& account, const model::admission::Config& config);
std::optional<std::string> unlisted_secret_reference(const model::Pod& pod, const model::ServiceAccount& account,
                                                     const model::admission::Config& config);

}  // namespace sasim::properties
