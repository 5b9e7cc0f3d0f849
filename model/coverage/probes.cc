#include "model/coverage/probes.h"

#include <array>

namespace sasim::model::coverage {
namespace {

using P = Probe;

// Why some paths cannot be reached by a 1.20 campaign, shared by their rows.
constexpr std::string_view kCacheNeverFails =
    "informer caches cannot fail in the model (upstream's listers cannot either), so the cache-error branch is "
    "defensive code";
constexpr std::string_view kGeneratorNeverFails =
    "the cluster's token generator signs with a loaded key and never fails; only unit tests plug in a failing one";
constexpr std::string_view kNotIn120 = "a later release's behaviour, switched off in 1.20 by the version table";
constexpr std::string_view kNoCleanerIn120 = "the legacy-token cleaner runs from 1.28 (LegacyServiceAccountTokenCleanUp)";

// In Probe order (checked below).
constexpr std::array<ProbeInfo, kProbeCount> kProbeTable{{
    {P::kS1AccountKeySynced, "S1-account-key-synced", "S1", "", "a worker of the account queue syncs a key", ""},
    {P::kS1SecretKeySynced, "S1-secret-key-synced", "S1", "", "a worker of the token Secret queue syncs a key", ""},
    {P::kS2AccountQueued, "S2-account-queued", "S2", "", "an account add, update or delete event queues its key", ""},
    {P::kS3TokenSecretQueued, "S3-token-secret-queued", "S3", "", "a service-account-token Secret event queues its key",
     ""},
    {P::kS3OtherSecretFiltered, "S3-other-secret-filtered", "S3", "",
     "a Secret of another type is dropped by the handlers' filter", ""},
    {P::kS3ReannotatedTokenReferenceKept, "reannotated-token-reference-kept", "S3", "reannotated-token-reference-kept",
     "a referenced token Secret re-annotated for another account queues only itself", ""},
    {P::kS4TombstoneIgnored, "tombstone-ignored", "S4", "tombstone-ignored",
     "a deletion seen only through a re-list (tombstone, or a uid change) is dropped", ""},
    {P::kS4QueuedWorkLostInCrash, "queued-work-lost-in-crash", "S4", "queued-work-lost-in-crash",
     "the tokens controller dies with keys still queued", ""},
    {P::kS4DeletionBeforeListUnseen, "deletion-before-list-unseen", "S4", "deletion-before-list-unseen",
     "a new process's first list misses a Secret an account still references", ""},
    {P::kS5CachesSynced, "S5-workers-started", "S5", "", "both caches synced; the workers start", ""},
    {P::kS6RetriesExhausted, "retries-exhausted", "S6", "retries-exhausted",
     "a key failed ten times and is forgotten until its next event", ""},
    {P::kS7LiveGetOnCacheMiss, "S7-live-get-on-cache-miss", "S7", "",
     "a lookup misses the cache and does a live GET (T6's account lookup)", ""},
    {P::kS7UidMismatch, "S7-uid-mismatch", "S7", "", "a cached object of the name has another uid: a miss", ""},
    {P::kS8DeleteAlreadyDone, "S8-delete-gone-or-conflict", "S8", "",
     "a token delete answered NotFound or Conflict (uid precondition) counts as done", ""},
    {P::kT1AccountCacheError, "T1-account-cache-error", "T1", "", "the account lookup failed; the key retries",
     kCacheNeverFails},
    {P::kT2AccountGoneTokensDeleted, "T2-account-gone-tokens-deleted", "T2", "",
     "an account gone (or replaced) has its token Secrets deleted", ""},
    {P::kT3EnsureToken, "T3-ensure-token", "T3", "", "an existing account is checked for a referenced token", ""},
    {P::kT3_1AlreadyReferenced, "T3.1-already-referenced", "T3.1", "",
     "the account references a cached token of its own: nothing to do", ""},
    {P::kT3_2LiveGetFailed, "T3.2-live-get-failed", "T3.2", "", "the live GET of the account failed; the key retries",
     ""},
    {P::kT3_2StaleCache, "T3.2-stale-cache", "T3.2", "",
     "the live account's resourceVersion differs from the cached one; the key retries", ""},
    {P::kT3_4TokenBuilt, "T3.4-token-built", "T3.4", "", "a new token Secret with a fresh generated name is built", ""},
    {P::kT3_5NamespaceTerminating, "T3.5-namespace-terminating", "T3.5", "",
     "the token create was refused because the namespace is terminating: the sync ends", ""},
    {P::kT3_5CreateFailed, "T3.5-create-failed", "T3.5", "", "the token create failed otherwise; the key retries", ""},
    {P::kT3_5WriteOutcomeLost, "write-outcome-lost", "T3.5", "write-outcome-lost",
     "the apiserver committed a write whose answer its client never got", ""},
    {P::kT3_6MutationCache, "T3.6-mutation-cache", "T3.6", "",
     "the created token enters the controller's mutation cache at once", ""},
    {P::kT3_7ReferenceAdded, "T3.7-reference-added", "T3.7", "", "the account now references the new token", ""},
    {P::kT3_7ConflictRetried, "T3.7-conflict-retried", "T3.7", "",
     "the reference update conflicted; the account is read again and the update retried", ""},
    {P::kT3_7AccountReplaced, "T3.7-account-replaced", "T3.7", "",
     "the account's uid changed before the reference was added: none is added", ""},
    {P::kT3_7ReferencedMeanwhile, "T3.7-referenced-meanwhile", "T3.7", "",
     "the account gained a referenced token meanwhile: none is added", ""},
    {P::kT3_8UnreferencedDeleted, "T3.8-unreferenced-token-deleted", "T3.8", "",
     "a created token that was not referenced is deleted", ""},
    {P::kT3_8CreatedTokenLeftUnreferenced, "created-token-left-unreferenced", "T3.8",
     "created-token-left-unreferenced", "a created, unreferenced token survives (its delete failed, or a crash)", ""},
    {P::kT3_8TokenDeletedAfterUnsureUpdate, "token-deleted-after-unsure-update", "T3.8",
     "token-deleted-after-unsure-update", "the created token is deleted after a reference update of unknown outcome",
     ""},
    {P::kT3_9FinalNoRetry, "T3.9-final-no-retry", "T3.9", "",
     "the reference update ended in Conflict or NotFound: no retry", ""},
    {P::kT3_9ErrorRetried, "T3.9-error-retried", "T3.9", "", "the reference update ended in another error: retry",
     ""},
    {P::kT4SecretCacheError, "T4-secret-cache-error", "T4", "", "the Secret lookup failed; the key retries",
     kCacheNeverFails},
    {P::kT5ReferenceRemoved, "T5-reference-removed", "T5", "",
     "a deleted token Secret's reference is removed from its account", ""},
    {P::kT5AccountNotCached, "T5-account-not-cached", "T5", "",
     "a deleted token Secret's account is not cached (or has another uid): nothing is removed", ""},
    {P::kT5ReferenceRemovalDropped, "reference-removal-dropped", "T5", "reference-removal-dropped",
     "removing the reference failed; it is only logged", ""},
    {P::kT5RecreatedAccountKeepsReference, "recreated-account-keeps-deleted-token-reference", "T5",
     "recreated-account-keeps-deleted-token-reference",
     "a deleted token of an earlier incarnation leaves the new account's reference", ""},
    {P::kT5DeletedTokenHiddenByMutationCache, "deleted-token-hidden-by-mutation-cache", "T5",
     "deleted-token-hidden-by-mutation-cache", "the mutation cache still returns a token deleted within 60 s", ""},
    {P::kT6OrphanTokenDeleted, "T6-orphan-token-deleted", "T6", "",
     "a token Secret whose account is missing (or has another uid) is deleted", ""},
    {P::kT6SecretFilledIn, "T6-secret-filled-in", "T6", "",
     "a token Secret's missing ca.crt, namespace or token is filled in", ""},
    {P::kT6StaleCacheSkipped, "T6-stale-cache-skipped", "T6", "",
     "the cached Secret is older than the live one: the fill-in is skipped", ""},
    {P::kT6_6GenerationFailed, "T6.6-generation-failed", "T6.6", "", "the fill-in's token generation failed",
     kGeneratorNeverFails},
    {P::kT7NothingToFill, "T7-nothing-to-fill", "T7", "",
     "an existing token Secret needs nothing (the controller's own updates come back here)", ""},
    {P::kS2WatchEventLost, "watch-event-lost", "S2", "watch-event-lost",
     "a watch event never reached an informer (dropped, or sent while its watch was broken)", ""},
    {P::kA1ManagedAccount, "A1-managed-account", "A1", "", "a namespace's `default` account is checked", ""},
    {P::kA3_1NamespaceNotCached, "A3.1-namespace-not-cached", "A3.1", "",
     "a queued namespace is missing from the cache: nothing to do", ""},
    {P::kA3_2NamespaceNotActive, "A3.2-namespace-not-active", "A3.2", "",
     "a queued namespace is terminating: nothing to do", ""},
    {P::kA3_3AccountCreated, "A3.3-account-created", "A3.3", "", "a missing managed account is created", ""},
    {P::kA3_3CreateIgnored, "A3.3-create-ignored", "A3.3", "",
     "the create answered AlreadyExists or NamespaceTerminating: ignored", ""},
    {P::kA4NamespaceRequeued, "A4-namespace-requeued", "A4", "", "a failed create requeues the namespace", ""},
    {P::kA7DefaultFoundAfterRetry, "A7-default-found-after-retry", "A7", "",
     "admission found `default` only after a live lookup answered NotFound", ""},
    {P::kR1PodCreateHandled, "R1-pod-create-handled", "R1", "", "the plugin handles a pod create", ""},
    {P::kR2Ignored, "R2-ignored", "R2", "", "the plugin passes a request it does not handle untouched",
     "the apiserver calls the plugin for pod creates only, so the plugin's own filter is reached by unit tests only"},
    {P::kR4NameDefaulted, "R4-name-defaulted", "R4", "", "a pod without an account name gets `default`", ""},
    {P::kR4CacheHit, "R4-cache-hit", "R4", "", "the pod's account is in admission's cache", ""},
    {P::kR4LiveLookup, "R4-live-lookup", "R4", "", "the pod's account is missing from the cache: a live GET", ""},
    {P::kR4AccountNotFound, "R4-account-not-found", "R4", "",
     "the account is still missing after the lookups: Forbidden", ""},
    {P::kR5AutomountOff, "R5-automount-off", "R5", "", "automount is off (the pod's or the account's setting)", ""},
    {P::kR6TokenMounted, "R6-token-mounted", "R6", "", "containers get the token volume mount", ""},
    {P::kR7PullSecretsCopied, "R7-pull-secrets-copied", "R7", "",
     "a pod without imagePullSecrets gets its account's (non-empty) list", ""},
    {P::kR8MirrorPod, "R8-mirror-pod", "R8", "", "a mirror pod is checked for credentials",
     "the generator never creates mirror pods (they come from a kubelet's static manifests, which the model has not)"},
    {P::kR9MountableSecretsEnforced, "R9-mountable-secrets-enforced", "R9", "",
     "mountable secrets are enforced for the pod's account", ""},
    {P::kR9SecretRefused, "R9-secret-refused", "R9", "", "a pod references a Secret its account does not list: Forbidden",
     ""},
    {P::kL1NoApiToken, "L1-no-api-token", "L1", "",
     "the account has no referenced token: 500 ServerTimeout, retry after 1 s", ""},
    {P::kL2TokenSecretMounted, "L2-token-secret-mounted", "L2", "",
     "the account's first valid token is mounted as a secret volume", ""},
    {P::kL3ProjectedVolume, "L3-projected-volume", "L3", "", "a projected token volume is mounted", kNotIn120},
    {P::kL4ExistingVolumeKept, "L4-existing-volume-kept", "L4", "",
     "the pod already has the token volume; it is kept", ""},
    {P::kV1NotHandled, "V1-not-handled", "V1", "",
     "a token that is not a compact JWT with an accepted issuer is not handled", ""},
    {P::kV2Unparseable, "V2-unparseable", "V2", "", "a token whose JWS does not parse is not handled", ""},
    {P::kV3NoKeyVerifies, "V3-no-key-verifies", "V3", "", "no key verifies the token's signature: rejected", ""},
    {P::kV4IssuerRejected, "V4-issuer-rejected", "V4", "", "a verified token's own issuer is not accepted", kNotIn120},
    {P::kV5AudienceRejected, "V5-audience-rejected", "V5", "",
     "the token's audiences do not meet the requested ones: rejected", ""},
    {P::kV6Rejected, "V6-rejected", "V6", "", "the validator rejects the token's claims or its looked-up objects", ""},
    {P::kV6Authenticated, "V6-authenticated", "V6", "", "the token authenticates", ""},
    {P::kC1PublisherSynced, "C1-publisher-synced", "C1", "", "the root-CA publisher runs and syncs a namespace", ""},
    {P::kC2CaWritten, "C2-ca-written", "C2", "", "the publisher writes the controller manager's CA as ca.crt", ""},
    {P::kC3ConfigMapChangeQueued, "C3-configmap-change-queued", "C3", "",
     "an update or delete of kube-root-ca.crt queues its namespace", ""},
    {P::kC4ConfigMapCreated, "C4-configmap-created", "C4", "", "kube-root-ca.crt is missing from the cache: created", ""},
    {P::kC5SyncRetried, "C5-sync-retried", "C5", "", "a failed publisher sync is requeued with backoff", ""},
    {P::kC6ConfigMapRestored, "C6-configmap-restored", "C6", "",
     "an edited kube-root-ca.crt is written back to {ca.crt: CA}", ""},
    {P::kK1TokenRequested, "K1-token-requested", "K1", "",
     "the kubelet asks for a projected token bound to the pod (a TokenRequest)", kNotIn120},
    {P::kK3CachedTokenUsed, "K3-cached-token-used", "K3", "",
     "the token manager hands back its cached token without an API call", kNotIn120},
    {P::kK4RefreshDue, "K4-refresh-due", "K4", "",
     "a cached token is past 80 % of its TTL (or 24 h) less the jitter: requested again", kNotIn120},
    {P::kK5OldTokenKept, "K5-old-token-kept", "K5", "",
     "a refresh failed before the old token's status expiry: the old token is used", kNotIn120},
    {P::kK5TokenUnavailable, "K5-token-unavailable", "K5", "",
     "no token: the first request failed, or the refresh failed after the status expiry", kNotIn120},
    {P::kK6ExpiredEntriesCollected, "K6-expired-entries-collected", "K6", "",
     "the minute's GC drops cache entries past their status expiry", kNotIn120},
    {P::kK6PodTokensDropped, "K6-pod-tokens-dropped", "K6", "",
     "a pod's volume is torn down: its cached tokens are dropped", kNotIn120},
    {P::kK8PayloadWithheld, "K8-payload-withheld", "K8", "",
     "a projected source failed (kube-root-ca.crt missing...): the volume keeps its old files", kNotIn120},
    {P::kK9VolumeRewritten, "K9-volume-rewritten", "K9", "",
     "a pod sync rewrites a projected volume whose every source resolved", kNotIn120},
    {P::kK13TerminatingNotRotated, "K13-terminating-not-rotated", "K13", "",
     "a terminating pod is no longer synced: its token is no longer rotated", kNotIn120},
    {P::kCLN1PassRun, "CLN1-pass-run", "CLN1", "",
     "the legacy-token cleaner's daily pass reads the tracking ConfigMap and walks the Secrets", kNoCleanerIn120},
    {P::kCLN1PassAborted, "CLN1-pass-aborted", "CLN1", "",
     "the tracking ConfigMap or its since date is missing or unparseable: the pass stops after its GET",
     kNoCleanerIn120},
    {P::kCLN2NotTrackedLongEnough, "CLN2-not-tracked-long-enough", "CLN2", "",
     "usage has been tracked for less than the clean-up period: the pass stops after its GET", kNoCleanerIn120},
    {P::kCLN3SecretSkipped, "CLN3-secret-skipped", "CLN3", "",
     "a legacy token is kept: recent, used, deleting, not auto-generated or mounted by a pod", kNoCleanerIn120},
    {P::kCLN4SecretLabelled, "CLN4-secret-labelled", "CLN4", "",
     "an unused auto-generated token is labelled kubernetes.io/legacy-token-invalid-since", kNoCleanerIn120},
    {P::kCLN5SecretDeleted, "CLN5-secret-deleted", "CLN5", "",
     "an unused token is deleted (a period after its label; at once in 1.28)", kNoCleanerIn120},
    {P::kCLN6WriteFailed, "CLN6-write-failed", "CLN6", "",
     "the cleaner's patch or delete failed: logged (conflicts and not-found ignored), not retried", kNoCleanerIn120},
}};

constexpr bool in_order() {
  for (std::size_t i = 0; i < kProbeTable.size(); ++i) {
    if (index_of(kProbeTable[i].probe) != i) return false;
  }
  return true;
}
static_assert(in_order(), "kProbeTable must list every Probe once, in Probe order");

}  // namespace

std::span<const ProbeInfo> probe_table() { return kProbeTable; }

const ProbeInfo& info(Probe probe) { return kProbeTable[index_of(probe)]; }

std::optional<Probe> find_probe(std::string_view id) {
  for (const ProbeInfo& row : kProbeTable) {
    if (row.id == id) return row.probe;
  }
  return std::nullopt;
}

}  // namespace sasim::model::coverage
