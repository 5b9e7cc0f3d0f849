// Rule coverage probes: each upstream rule of the rule index (docs/rules.md)
// and each known-weakness path the model implements is marked, at the exact
// place the model takes that path, by a probe. A campaign then says which
// rules it reached how often and which never, so that a blind spot of the
// generator shows before a bug hides in it (FoundationDB's code probes).
//
// A probe is a typed id (Probe below), counted in the simulation's Coverage
// (sim/coverage.h), reached through the actor's Context, as the trace is.
// Counting is an increment: it never enters the digest, the trace or the
// schedule, so a run with probes is the run without them.
//
// Adding one: a value in Probe (anywhere before kCount), its row in
// kProbeTable (probes.cc, in the same order: a static_assert checks), and a
// one-line `coverage::probe(ctx(), Probe::kX);` where the path is taken. The
// row names the rule (a docs/rules.md id), and for a known-weakness path the
// weakness too (a name of model/faults/weakness_log.h, which docs/rules.md
// lists as well); coverage_test checks the table against the document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sim/actor.h"
#include "sim/coverage.h"

namespace sasim::model::coverage {

enum class Probe : std::uint16_t {
  // ---- tokens controller ----
  kS1AccountKeySynced,
  kS1SecretKeySynced,
  kS2AccountQueued,
  kS3TokenSecretQueued,
  kS3OtherSecretFiltered,
  kS3ReannotatedTokenReferenceKept,
  kS4TombstoneIgnored,
  kS4QueuedWorkLostInCrash,
  kS4DeletionBeforeListUnseen,
  kS5CachesSynced,
  kS6RetriesExhausted,
  kS7LiveGetOnCacheMiss,
  kS7UidMismatch,
  kS8DeleteAlreadyDone,
  kT1AccountCacheError,
  kT2AccountGoneTokensDeleted,
  kT3EnsureToken,
  kT3_1AlreadyReferenced,
  kT3_2LiveGetFailed,
  kT3_2StaleCache,
  kT3_4TokenBuilt,
  kT3_5NamespaceTerminating,
  kT3_5CreateFailed,
  kT3_5WriteOutcomeLost,
  kT3_6MutationCache,
  kT3_7ReferenceAdded,
  kT3_7ConflictRetried,
  kT3_7AccountReplaced,
  kT3_7ReferencedMeanwhile,
  kT3_8UnreferencedDeleted,
  kT3_8CreatedTokenLeftUnreferenced,
  kT3_8TokenDeletedAfterUnsureUpdate,
  kT3_9FinalNoRetry,
  kT3_9ErrorRetried,
  kT4SecretCacheError,
  kT5ReferenceRemoved,
  kT5AccountNotCached,
  kT5ReferenceRemovalDropped,
  kT5RecreatedAccountKeepsReference,
  kT5DeletedTokenHiddenByMutationCache,
  kT6OrphanTokenDeleted,
  kT6SecretFilledIn,
  kT6StaleCacheSkipped,
  kT6_6GenerationFailed,
  kT7NothingToFill,
  // ---- informers and watches ----
  kS2WatchEventLost,
  // ---- ServiceAccounts controller ----
  kA1ManagedAccount,
  kA3_1NamespaceNotCached,
  kA3_2NamespaceNotActive,
  kA3_3AccountCreated,
  kA3_3CreateIgnored,
  kA4NamespaceRequeued,
  // ---- ServiceAccount admission ----
  kA7DefaultFoundAfterRetry,
  kR1PodCreateHandled,
  kR2Ignored,
  kR4NameDefaulted,
  kR4CacheHit,
  kR4LiveLookup,
  kR4AccountNotFound,
  kR5AutomountOff,
  kR6TokenMounted,
  kR7PullSecretsCopied,
  kR8MirrorPod,
  kR9MountableSecretsEnforced,
  kR9SecretRefused,
  kL1NoApiToken,
  kL2TokenSecretMounted,
  kL3ProjectedVolume,
  kL4ExistingVolumeKept,
  // ---- token authentication ----
  kV1NotHandled,
  kV2Unparseable,
  kV3NoKeyVerifies,
  kV4IssuerRejected,
  kV5AudienceRejected,
  kV6Rejected,
  kV6Authenticated,
  // ---- root-CA publisher ----
  kC1PublisherSynced,
  kC2CaWritten,
  kC3ConfigMapChangeQueued,
  kC4ConfigMapCreated,
  kC5SyncRetried,
  kC6ConfigMapRestored,
  // ---- kubelet: token manager and projected volumes ----
  kK1TokenRequested,
  kK3CachedTokenUsed,
  kK4RefreshDue,
  kK5OldTokenKept,
  kK5TokenUnavailable,
  kK6ExpiredEntriesCollected,
  kK6PodTokensDropped,
  kK8PayloadWithheld,
  kK9VolumeRewritten,
  kK13TerminatingNotRotated,
  // ---- legacy-token cleaner (1.28+) ----
  kCLN1PassRun,
  kCLN1PassAborted,
  kCLN2NotTrackedLongEnough,
  kCLN3SecretSkipped,
  kCLN4SecretLabelled,
  kCLN5SecretDeleted,
  kCLN6WriteFailed,
  kCount,
};

inline constexpr std::size_t kProbeCount = static_cast<std::size_t>(Probe::kCount);

constexpr std::uint32_t index_of(Probe probe) { return static_cast<std::uint32_t>(probe); }

// The registry's row of one probe.
struct ProbeInfo {
  Probe probe;
  std::string_view id;        // stable name in reports and JSON ("T3.7-reference-added")
  std::string_view rule;      // the rule id of docs/rules.md ("T3.7")
  std::string_view weakness;  // the known weakness the path is (weakness_log.h), or empty
  std::string_view description;
  // Empty: a 1.20 fuzz campaign is expected to reach it. Otherwise why not.
  std::string_view unreachable_in_1_20;
};

// Every probe, in Probe order.
std::span<const ProbeInfo> probe_table();
const ProbeInfo& info(Probe probe);
std::optional<Probe> find_probe(std::string_view id);

// Marks the path: one increment in the world's Coverage.
inline void probe(sim::Context& ctx, Probe probe) { ctx.coverage().hit(index_of(probe)); }
// For code that is handed the world's Coverage instead of a Context (the
// authenticator); null counts nothing (unit tests).
inline void probe(sim::Coverage* coverage, Probe probe) {
  if (coverage != nullptr) coverage->hit(index_of(probe));
}

}  // namespace sasim::model::coverage
