#include "model/controllers/tokens_controller.h"

#include <set>

#include <fmt/format.h>

#include "model/client/name_generator.h"
#include "model/coverage/probes.h"
#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"

namespace sasim::model::controllers {
namespace {

using coverage::Probe;

const std::string kNameKey(kServiceAccountNameKey);
const std::string kUidKey(kServiceAccountUidKey);
const std::string kTokenKey(kServiceAccountTokenKey);
const std::string kRootCaKey(kServiceAccountRootCaKey);
const std::string kNamespaceKey(kServiceAccountNamespaceKey);

std::set<std::string> secret_references(const ServiceAccount& sa) {
  std::set<std::string> names;
  for (const ObjectReference& ref : sa.secrets) names.insert(ref.name);
  return names;
}

std::string annotation_or_empty(const ObjectMeta& m, const std::string& key) {
  const std::string* value = m.annotation(key);
  return value ? *value : std::string();
}

faults::ObjectRef account_ref(std::string ns, std::string name, std::string uid) {
  return faults::ObjectRef{.kind = Kind::kServiceAccount,
                           .namespace_ = std::move(ns),
                           .name = std::move(name),
                           .uid = std::move(uid)};
}

faults::ObjectRef secret_ref(std::string ns, std::string name, std::string uid) {
  return faults::ObjectRef{.kind = Kind::kSecret, .namespace_ = std::move(ns), .name = std::move(name), .uid = std::move(uid)};
}

}  // namespace

TokensController::TokensController(TokensControllerOptions options)
    : ControllerActor(options.base),
      options_(std::move(options)),
      root_ca_(shared_root_ca(options_.root_ca)),
      service_accounts_(&add_informer(Kind::kServiceAccount, options_.base.watch_lag)),
      secrets_(&add_informer(Kind::kSecret, options_.base.watch_lag)),
      updated_secrets_(*secrets_) {
  SIM_CHECK(static_cast<bool>(options_.token_generator), "the tokens controller needs a token generator");
  // S1, S5: two queues, `workers` workers each, retries capped (S6).
  sa_queue_ = &add_queue<ServiceAccountKey>("serviceaccount_tokens_service", options_.base.workers,
                                            options_.max_retries,
                                            [this](ServiceAccountKey key) { return sync_service_account(std::move(key)); });
  secret_queue_ = &add_queue<SecretKey>("serviceaccount_tokens_secret", options_.base.workers, options_.max_retries,
                                        [this](SecretKey key) { return sync_secret(std::move(key)); });

  // S2: accounts; S4: tombstones (missed deletions) are silently ignored,
  // because upstream's handler type-asserts *v1.ServiceAccount.
  service_accounts_->add_handlers({
      .on_add = [this](const ObjectPtr& o) { enqueue_service_account(o); },
      .on_update =
          [this](const ObjectPtr& old_object, const ObjectPtr& o) {
            // Deleted and recreated during a watch gap: the re-list shows
            // one key changing uid, an update, and upstream queues only the
            // new account (queueServiceAccountUpdateSync), so the deleted
            // one's tokens are never cleaned up from this side: the same
            // lost deletion as a tombstone's.
            const ObjectMeta& was = meta(*old_object);
            if (was.uid != meta(*o).uid) {
              coverage::probe(ctx(), Probe::kS4TombstoneIgnored);
              record_weakness(faults::kTombstoneIgnored, faults::ref_of(*old_object), faults::ref_of(*old_object));
            }
            enqueue_service_account(o);
          },
      .on_delete =
          [this](const ObjectPtr& o, bool tombstone) {
            if (!tombstone) {
              enqueue_service_account(o);
              return;
            }
            coverage::probe(ctx(), Probe::kS4TombstoneIgnored);
            record_weakness(faults::kTombstoneIgnored, faults::ref_of(*o), faults::ref_of(*o));
          },
  });
  // S3: only service-account-token Secrets pass the filter.
  secrets_->add_handlers({
      .on_add = [this](const ObjectPtr& o) { enqueue_secret(o); },
      .on_update =
          [this](const ObjectPtr& old_object, const ObjectPtr& o) {
            note_reannotated_token(old_object, o);
            enqueue_secret(o);
          },
      .on_delete =
          [this](const ObjectPtr& o, bool tombstone) {
            if (!tombstone) {
              enqueue_secret(o);
              return;
            }
            const auto* secret = as<Secret>(o);
            if (secret == nullptr || secret->type != kSecretTypeServiceAccountToken) return;
            coverage::probe(ctx(), Probe::kS4TombstoneIgnored);
            record_weakness(faults::kTombstoneIgnored, faults::ref_of(*o), faults::account_named_by(*o));
          },
  });
  sa_queue_->set_on_drop([this](const ServiceAccountKey& key) {
    coverage::probe(ctx(), Probe::kS6RetriesExhausted);
    record_weakness(faults::kRetriesExhausted, account_ref(key.namespace_, key.name, key.uid),
                    account_ref(key.namespace_, key.name, key.uid));
  });
  secret_queue_->set_on_drop([this](const SecretKey& key) {
    coverage::probe(ctx(), Probe::kS6RetriesExhausted);
    record_weakness(faults::kRetriesExhausted, secret_ref(key.namespace_, key.name, key.uid),
                    account_ref(key.namespace_, key.sa_name, key.sa_uid));
  });
  // Work the process owed when it died (the crash is in the trace).
  sa_queue_->set_on_lost([this](const ServiceAccountKey& key) {
    coverage::probe(ctx(), Probe::kS4QueuedWorkLostInCrash);
    record_weakness(faults::kQueuedWorkLostInCrash, account_ref(key.namespace_, key.name, key.uid),
                    account_ref(key.namespace_, key.name, key.uid), /*trace_note=*/false);
  });
  secret_queue_->set_on_lost([this](const SecretKey& key) {
    coverage::probe(ctx(), Probe::kS4QueuedWorkLostInCrash);
    record_weakness(faults::kQueuedWorkLostInCrash, secret_ref(key.namespace_, key.name, key.uid),
                    account_ref(key.namespace_, key.sa_name, key.sa_uid), /*trace_note=*/false);
  });
}

std::shared_ptr<const std::string> TokensController::shared_root_ca(const std::string& root_ca) {
  if (root_ca.empty()) return nullptr;
  return std::make_shared<const std::string>(root_ca);
}

void TokensController::on_crash_reset() {
  ControllerActor::on_crash_reset();
  updated_secrets_.clear();
  // Tokens created but not yet referenced die unreferenced with the
  // process: nothing will look at them again (the crash is in the trace).
  for (const auto& [token, account] : unreferenced_) {
    coverage::probe(ctx(), Probe::kT3_8CreatedTokenLeftUnreferenced);
    record_weakness(faults::kCreatedTokenLeftUnreferenced, token, account, /*trace_note=*/false);
  }
  unreferenced_.clear();
}

void TokensController::on_synced() {
  // Accounts that name Secrets this process's first list did not show: if
  // those were deleted before the list, their deletion is never seen.
  for (const ObjectPtr& object : service_accounts_->list()) {
    const auto& sa = std::get<ServiceAccount>(*object);
    for (const ObjectReference& ref : sa.secrets) {
      if (secrets_->get(sa.metadata.namespace_, ref.name)) continue;
      coverage::probe(ctx(), Probe::kS4DeletionBeforeListUnseen);
      record_weakness(faults::kDeletionBeforeListUnseen, secret_ref(sa.metadata.namespace_, ref.name, ""),
                      account_ref(sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid), /*trace_note=*/false);
    }
  }
  coverage::probe(ctx(), Probe::kS5CachesSynced);
  ControllerActor::on_synced();
}

void TokensController::record_weakness(const char* weakness, faults::ObjectRef object, faults::ObjectRef account,
                                       bool trace_note) {
  if (trace_note) {
    ctx().note(std::string("known weakness ") + weakness, std::string("known weakness ") + weakness + ": " + std::string(resource_name(object.kind)) + " " +
               object.namespace_ + "/" + object.name);
  }
  if (options_.weaknesses == nullptr) return;
  options_.weaknesses->record(faults::WeaknessRecord{.weakness = weakness,
                                                     .actor = "tokens-controller",
                                                     .object = std::move(object),
                                                     .account = std::move(account),
                                                     .time = ctx().now()});
}

void TokensController::note_reannotated_token(const ObjectPtr& old_object, const ObjectPtr& object) {
  // S3 queues only the updated Secret. An account that referenced it as its
  // token before it was re-annotated for another account (or incarnation)
  // is not looked at again until its own next event, and keeps referencing
  // a Secret that is not its token. A record of the path; it changes nothing.
  const auto* was = as<Secret>(old_object);
  const auto* now = as<Secret>(object);
  if (was == nullptr || now == nullptr) return;
  const auto* sa =
      as<ServiceAccount>(service_accounts_->get(was->metadata.namespace_, annotation_or_empty(was->metadata, kNameKey)));
  if (sa == nullptr || !is_service_account_token(*was, *sa) || is_service_account_token(*now, *sa)) return;
  for (const ObjectReference& ref : sa->secrets) {
    if (ref.name != was->metadata.name) continue;
    const faults::ObjectRef account = faults::ref_of(Object(*sa));
    coverage::probe(ctx(), Probe::kS3ReannotatedTokenReferenceKept);
    record_weakness(faults::kReannotatedTokenReferenceKept, account, account);
    return;
  }
}

void TokensController::enqueue_service_account(const ObjectPtr& object) {
  const ObjectMeta& m = meta(*object);
  coverage::probe(ctx(), Probe::kS2AccountQueued);
  sa_queue_->add(ServiceAccountKey{m.namespace_, m.name, m.uid});
}

void TokensController::enqueue_secret(const ObjectPtr& object) {
  const auto* secret = as<Secret>(object);
  if (secret == nullptr || secret->type != kSecretTypeServiceAccountToken) {
    coverage::probe(ctx(), Probe::kS3OtherSecretFiltered);
    return;
  }
  coverage::probe(ctx(), Probe::kS3TokenSecretQueued);
  const ObjectMeta& m = secret->metadata;
  secret_queue_->add(
      SecretKey{m.namespace_, m.name, m.uid, annotation_or_empty(m, kNameKey), annotation_or_empty(m, kUidKey)});
}

// ---- lookups (S7) ------------------------------------------------------------

sim::Task<TokensController::Lookup> TokensController::get_service_account(std::string ns, std::string name,
                                                                           std::string uid, bool fetch_on_cache_miss) {
  if (options_.broken.skip_uid_check) uid.clear();
  ObjectPtr cached = service_accounts_->get(ns, name);
  if (cached && (uid.empty() || meta(*cached).uid == uid)) co_return Lookup{cached, std::nullopt};
  if (cached) coverage::probe(ctx(), Probe::kS7UidMismatch);
  if (!fetch_on_cache_miss) co_return Lookup{};
  coverage::probe(ctx(), Probe::kS7LiveGetOnCacheMiss);
  ApiResponse live = co_await get(Kind::kServiceAccount, ns, name);
  if (!live.ok()) {
    if (is_not_found(*live.error)) co_return Lookup{};
    co_return Lookup{nullptr, live.error};
  }
  if (uid.empty() || meta(*live.object).uid == uid) co_return Lookup{live.object, std::nullopt};
  co_return Lookup{};
}

sim::Task<TokensController::Lookup> TokensController::get_secret(std::string ns, std::string name, std::string uid,
                                                                  bool fetch_on_cache_miss) {
  ObjectPtr cached = updated_secrets_.get(ns, name, ctx().now());
  if (cached && (uid.empty() || meta(*cached).uid == uid)) co_return Lookup{cached, std::nullopt};
  if (cached) coverage::probe(ctx(), Probe::kS7UidMismatch);
  if (!fetch_on_cache_miss) co_return Lookup{};
  coverage::probe(ctx(), Probe::kS7LiveGetOnCacheMiss);
  ApiResponse live = co_await get(Kind::kSecret, ns, name);
  if (!live.ok()) {
    if (is_not_found(*live.error)) co_return Lookup{};
    co_return Lookup{nullptr, live.error};
  }
  if (uid.empty() || meta(*live.object).uid == uid) co_return Lookup{live.object, std::nullopt};
  co_return Lookup{};
}

std::vector<ObjectPtr> TokensController::list_token_secrets(const ServiceAccount& sa) {
  std::vector<ObjectPtr> out;
  for (ObjectPtr& object : updated_secrets_.by_namespace(sa.metadata.namespace_, ctx().now())) {
    const auto* secret = as<Secret>(object);
    if (secret != nullptr && is_service_account_token(*secret, sa)) out.push_back(std::move(object));
  }
  return out;
}

bool TokensController::has_referenced_token(const ServiceAccount& sa) {
  if (sa.secrets.empty()) return false;
  const std::set<std::string> referenced = secret_references(sa);
  for (const ObjectPtr& object : list_token_secrets(sa)) {
    if (referenced.count(meta(*object).name) != 0) return true;
  }
  return false;
}

// ---- the account queue (T1-T3) --------------------------------------------------

sim::Task<bool> TokensController::sync_service_account(ServiceAccountKey key) {
  if (key.namespace_.empty() || key.name.empty() || key.uid.empty()) {
    ctx().note("tokens-controller", "tokens-controller: dropping an unparseable account key");  // S1
    co_return false;
  }
  coverage::probe(ctx(), Probe::kS1AccountKeySynced);
  Lookup lookup = co_await get_service_account(key.namespace_, key.name, key.uid, /*fetch_on_cache_miss=*/false);
  if (lookup.error) {
    coverage::probe(ctx(), Probe::kT1AccountCacheError);
    co_return true;  // T1
  }
  if (!lookup.object) {
    // T2: the account is gone (or replaced): delete its tokens.
    ServiceAccount stub;
    stub.metadata.namespace_ = key.namespace_;
    stub.metadata.name = key.name;
    stub.metadata.uid = key.uid;
    if (options_.broken.keep_orphan_tokens) co_return false;
    coverage::probe(ctx(), Probe::kT2AccountGoneTokensDeleted);
    Outcome outcome = co_await delete_tokens(std::move(stub));
    co_return outcome.retry;
  }
  if (!options_.auto_generate) co_return false;  // T3' (E3 with the gate on, E4+)
  Outcome outcome = co_await ensure_referenced_token(lookup.object);
  co_return outcome.retry;
}

sim::Task<TokensController::Outcome> TokensController::ensure_referenced_token(ObjectPtr account) {
  const ServiceAccount& sa = std::get<ServiceAccount>(*account);
  coverage::probe(ctx(), Probe::kT3EnsureToken);
  // T3.1: a referenced, cached token: nothing to do.
  if (has_referenced_token(sa)) {
    coverage::probe(ctx(), Probe::kT3_1AlreadyReferenced);
    co_return Outcome{};
  }

  // T3.2-3: the cache must be current before creating anything.
  ApiResponse live_response = co_await get(Kind::kServiceAccount, sa.metadata.namespace_, sa.metadata.name);
  if (!live_response.ok()) {
    coverage::probe(ctx(), Probe::kT3_2LiveGetFailed);
    co_return Outcome{true, live_response.error};  // NotFound too, in E2
  }
  ObjectPtr live_object = live_response.object;
  if (meta(*live_object).resource_version != sa.metadata.resource_version) {
    coverage::probe(ctx(), Probe::kT3_2StaleCache);
    ctx().note("tokens-controller", fmt::format("tokens-controller: liveServiceAccount.ResourceVersion ({}) does not match cache ({}), retrying",
                           meta(*live_object).resource_version, sa.metadata.resource_version));
    co_return Outcome{true, std::nullopt};
  }

  // T3.4: a new Secret with a fresh generated name on every attempt.
  coverage::probe(ctx(), Probe::kT3_4TokenBuilt);
  Secret secret;
  secret.metadata.name = client::token_secret_name(sa.metadata.name, ctx().prng());
  secret.metadata.namespace_ = sa.metadata.namespace_;
  secret.metadata.annotations[kNameKey] = sa.metadata.name;
  secret.metadata.annotations[kUidKey] = sa.metadata.uid;
  secret.type = std::string(kSecretTypeServiceAccountToken);
  std::shared_ptr<const LazyValue> token = options_.token_generator(sa, secret.metadata.name, signing_.next_u64());
  if (!token) co_return Outcome{true, status_internal_error("failed to generate token")};
  secret.data[kTokenKey] = DataValue(std::move(token));
  secret.data[kNamespaceKey] = DataValue(sa.metadata.namespace_);
  if (root_ca_) secret.data[kRootCaKey] = DataValue(root_ca_);

  // T3.5
  // The broken variant references what it tried to create; only it needs a copy.
  std::optional<Secret> attempted;
  if (options_.broken.reference_failed_creates) attempted = secret;
  ApiResponse created = co_await create(Object(std::move(secret)));
  if (!created.ok() && options_.broken.reference_failed_creates) {
    created.error.reset();
    created.object = std::make_shared<const Object>(std::move(*attempted));
  }
  if (!created.ok()) {
    if (created.error->has_cause(kCauseNamespaceTerminating)) {
      coverage::probe(ctx(), Probe::kT3_5NamespaceTerminating);
      co_return Outcome{false, created.error};
    }
    coverage::probe(ctx(), Probe::kT3_5CreateFailed);
    co_return Outcome{true, created.error};
  }
  // T3.6: our own cache sees it at once.
  coverage::probe(ctx(), Probe::kT3_6MutationCache);
  updated_secrets_.mutation(created.object, ctx().now());
  const Secret& created_secret = std::get<Secret>(*created.object);
  const faults::ObjectRef created_ref = faults::ref_of(*created.object);
  unreferenced_[created_ref] = account_ref(sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid);

  // T3.7: RetryOnConflict(DefaultRetry: 5 steps, 10 ms, jitter 0.1).
  bool added_reference = false;
  bool update_failed = false;  // some UPDATE answered an error: its outcome is unknown
  std::optional<ApiStatus> error;
  constexpr int kSteps = 5;
  for (int attempt = 0; attempt < kSteps; ++attempt) {
    if (attempt > 0) {
      coverage::probe(ctx(), Probe::kT3_7ConflictRetried);
      // wait.Jitter(10ms, 0.1): 10 ms plus up to 10 %.
      const sim::Duration base = sim::Duration::milliseconds(10);
      co_await sleep(base + sim::Duration::nanoseconds(static_cast<std::int64_t>(ctx().prng().below(
                                static_cast<std::uint64_t>(base.ns() / 10)))),
                     wait::kRetryBackoff);
      ApiResponse fresh = co_await get(Kind::kServiceAccount, sa.metadata.namespace_, sa.metadata.name);
      if (!fresh.ok()) {
        error = fresh.error;
        break;
      }
      live_object = fresh.object;
    }
    const ServiceAccount& live = std::get<ServiceAccount>(*live_object);
    if (live.metadata.uid != sa.metadata.uid) {
      coverage::probe(ctx(), Probe::kT3_7AccountReplaced);
      error.reset();
      break;  // the account was replaced: no reference, clean up below
    }
    if (has_referenced_token(live)) {
      coverage::probe(ctx(), Probe::kT3_7ReferencedMeanwhile);
      error.reset();
      break;  // someone (another worker, an earlier attempt) already did it
    }
    ServiceAccount updated = live;
    updated.secrets.push_back(ObjectReference{.name = created_secret.metadata.name});
    ApiResponse result = co_await update(Object(std::move(updated)));
    if (result.ok()) {
      coverage::probe(ctx(), Probe::kT3_7ReferenceAdded);
      added_reference = true;
      error.reset();
      break;
    }
    update_failed = true;
    error = result.error;
    if (!is_conflict(*error)) break;
  }

  // T3.8: a token nobody references is deleted (how duplicates get cleaned up).
  if (!added_reference && !options_.broken.keep_unreferenced_tokens) {
    coverage::probe(ctx(), Probe::kT3_8UnreferencedDeleted);
    Preconditions preconditions;
    preconditions.uid = created_secret.metadata.uid;
    ApiResponse deleted = co_await remove(Kind::kSecret, created_secret.metadata.namespace_,
                                          created_secret.metadata.name, preconditions);
    if (!deleted.ok()) {
      ctx().note("tokens-controller", "tokens-controller: error deleting serviceaccount token: " + deleted.error->message);
      // Only logged: the token stays, unreferenced, for good.
      if (!is_not_found(*deleted.error)) {
        coverage::probe(ctx(), Probe::kT3_8CreatedTokenLeftUnreferenced);
        record_weakness(faults::kCreatedTokenLeftUnreferenced, created_ref, unreferenced_[created_ref]);
      }
    }
    // If a failed UPDATE was committed after all, the account now references
    // the Secret just deleted; the mutation cache (includeAdds, 60 s) still
    // shows it, so the deletion's T5 does not remove the reference and T3
    // sees a referenced token: nothing repairs the account.
    if (update_failed) {
      coverage::probe(ctx(), Probe::kT3_8TokenDeletedAfterUnsureUpdate);
      record_weakness(faults::kTokenDeletedAfterUnsureUpdate, faults::ref_of(*created.object),
                      account_ref(sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid));
    }
  }

  unreferenced_.erase(created_ref);

  // T3.9
  if (error) {
    if (is_conflict(*error) || is_not_found(*error)) {
      coverage::probe(ctx(), Probe::kT3_9FinalNoRetry);
      co_return Outcome{false, error};
    }
    coverage::probe(ctx(), Probe::kT3_9ErrorRetried);
    co_return Outcome{true, error};
  }
  co_return Outcome{};
}

sim::Task<TokensController::Outcome> TokensController::delete_tokens(ServiceAccount sa) {
  Outcome total;
  for (const ObjectPtr& token : list_token_secrets(sa)) {
    const ObjectMeta& m = meta(*token);
    Outcome one = co_await delete_token(m.namespace_, m.name, m.uid);
    if (one.error && !total.error) total.error = one.error;
    if (one.retry) total.retry = true;
  }
  co_return total;
}

sim::Task<TokensController::Outcome> TokensController::delete_token(std::string ns, std::string name, std::string uid) {
  Preconditions preconditions;
  if (!uid.empty()) preconditions.uid = uid;
  ApiResponse response = co_await remove(Kind::kSecret, ns, name, preconditions);
  // S8: NotFound (already gone) and Conflict (the uid precondition failed) are done.
  if (!response.ok() && (is_not_found(*response.error) || is_conflict(*response.error))) coverage::probe(ctx(), Probe::kS8DeleteAlreadyDone);
  if (response.ok() || is_not_found(*response.error) || is_conflict(*response.error)) co_return Outcome{};
  co_return Outcome{true, response.error};
}

// ---- the Secret queue (T4-T7) -----------------------------------------------------

bool TokensController::cached_account_references(const SecretKey& key) const {
  const auto* sa = as<ServiceAccount>(service_accounts_->get(key.namespace_, key.sa_name));
  if (sa == nullptr || (!key.sa_uid.empty() && sa->metadata.uid != key.sa_uid)) return false;
  return secret_references(*sa).count(key.name) != 0;
}

sim::Task<bool> TokensController::sync_secret(SecretKey key) {
  if (key.namespace_.empty() || key.name.empty() || key.uid.empty() || key.sa_name.empty()) {
    ctx().note("tokens-controller", "tokens-controller: dropping an unparseable secret key");  // S1
    co_return false;
  }
  coverage::probe(ctx(), Probe::kS1SecretKeySynced);
  Lookup secret = co_await get_secret(key.namespace_, key.name, key.uid, /*fetch_on_cache_miss=*/false);
  if (secret.error) {
    coverage::probe(ctx(), Probe::kT4SecretCacheError);
    co_return true;  // T4
  }
  if (secret.object && !secrets_->get(key.namespace_, key.name) && cached_account_references(key)) {
    // The informer saw the Secret deleted, but the mutation cache still
    // returns it (includeAdds): the deletion goes unnoticed (T5 skipped),
    // and the account keeps referencing it.
    coverage::probe(ctx(), Probe::kT5DeletedTokenHiddenByMutationCache);
    record_weakness(faults::kDeletedTokenHiddenByMutationCache, secret_ref(key.namespace_, key.name, key.uid),
                    account_ref(key.namespace_, key.sa_name, key.sa_uid), /*trace_note=*/false);
  }
  if (!secret.object) {
    // T5: deleted. Only if the account is in our cache, remove references
    // to it (RemoveTokenBackoff: 10 steps, 100 ms, jitter 1.0, conflicts
    // only). Never requeued.
    Lookup sa = co_await get_service_account(key.namespace_, key.sa_name, key.sa_uid, /*fetch_on_cache_miss=*/false);
    if (!sa.error && sa.object && !options_.broken.never_remove_references) {
      constexpr int kSteps = 10;
      std::optional<ApiStatus> error;
      for (int attempt = 0; attempt < kSteps; ++attempt) {
        if (attempt > 0) {
          const sim::Duration base = sim::Duration::milliseconds(100);
          co_await sleep(base + sim::Duration::nanoseconds(static_cast<std::int64_t>(
                                    ctx().prng().below(static_cast<std::uint64_t>(base.ns())))),
                         wait::kRetryBackoff);
        }
        error = co_await remove_secret_reference(key.namespace_, key.sa_name, key.sa_uid, key.name);
        if (!error || !is_conflict(*error)) break;
      }
      if (error) {
        // Only logged, never requeued: the account keeps referencing a
        // Secret that is gone until some other event brings it back.
        ctx().note("tokens-controller", "tokens-controller: error removing a secret reference: " + error->message);
        coverage::probe(ctx(), Probe::kT5ReferenceRemovalDropped);
        record_weakness(faults::kReferenceRemovalDropped, secret_ref(key.namespace_, key.name, key.uid),
                        account_ref(key.namespace_, key.sa_name, key.sa_uid));
      }
    }
    if (!sa.error && !sa.object) coverage::probe(ctx(), Probe::kT5AccountNotCached);
    if (!sa.error && !sa.object && !key.sa_uid.empty() && service_accounts_->get(key.namespace_, key.sa_name)) {
      coverage::probe(ctx(), Probe::kT5RecreatedAccountKeepsReference);
      // An account of that name but another uid exists: T5 looks the
      // account up by the Secret's uid and removes nothing from it.
      record_weakness(faults::kRecreatedAccountKeepsDeletedTokenReference,
                      secret_ref(key.namespace_, key.name, key.uid),
                      account_ref(key.namespace_, key.sa_name, key.sa_uid), /*trace_note=*/false);
    }
    co_return false;
  }

  // T6: the Secret exists: its account must too (live lookup on a cache miss).
  Lookup sa = co_await get_service_account(key.namespace_, key.sa_name, key.sa_uid, /*fetch_on_cache_miss=*/true);
  if (sa.error) co_return true;
  if (!sa.object) {
    coverage::probe(ctx(), Probe::kT6OrphanTokenDeleted);
    Outcome outcome = co_await delete_token(key.namespace_, key.name, key.uid);
    co_return outcome.retry;
  }
  Outcome outcome = co_await generate_token_if_needed(sa.object, secret.object);
  co_return outcome.retry;
}

sim::Task<std::optional<ApiStatus>> TokensController::remove_secret_reference(std::string ns, std::string sa_name,
                                                                              std::string sa_uid,
                                                                              std::string secret_name) {
  ApiResponse response = co_await get(Kind::kServiceAccount, ns, sa_name);
  if (!response.ok()) {
    if (is_not_found(*response.error)) co_return std::nullopt;
    co_return response.error;
  }
  ServiceAccount sa = std::get<ServiceAccount>(*response.object);
  if (!sa_uid.empty() && sa_uid != sa.metadata.uid) co_return std::nullopt;
  if (secret_references(sa).count(secret_name) == 0) co_return std::nullopt;
  std::vector<ObjectReference> kept;
  for (const ObjectReference& ref : sa.secrets) {
    if (ref.name != secret_name) kept.push_back(ref);
  }
  sa.secrets = std::move(kept);
  ApiResponse updated = co_await update(Object(std::move(sa)));
  if (updated.ok()) coverage::probe(ctx(), Probe::kT5ReferenceRemoved);
  if (updated.ok() || is_not_found(*updated.error)) co_return std::nullopt;
  co_return updated.error;
}

TokensController::Needs TokensController::secret_update_needed(const Secret& secret) const {
  Needs needs;
  const DataValue* ca = secret.data_value(kRootCaKey);
  needs.ca = !options_.root_ca.empty() && (ca == nullptr || ca->bytes() != options_.root_ca);
  const DataValue* ns = secret.data_value(kNamespaceKey);
  needs.ns = ns == nullptr || ns->empty() ||
             (options_.broken.overwrite_custom_namespace && ns->bytes() != secret.metadata.namespace_);
  const DataValue* token = secret.data_value(kTokenKey);
  needs.token = token == nullptr || token->empty();
  return needs;
}

sim::Task<TokensController::Outcome> TokensController::generate_token_if_needed(ObjectPtr account,
                                                                                ObjectPtr cached_secret) {
  const ServiceAccount& sa = std::get<ServiceAccount>(*account);
  const Secret& cached = std::get<Secret>(*cached_secret);
  if (!secret_update_needed(cached).any()) {
    coverage::probe(ctx(), Probe::kT7NothingToFill);
    co_return Outcome{};
  }
  ApiResponse response = co_await get(Kind::kSecret, cached.metadata.namespace_, cached.metadata.name);
  if (!response.ok()) co_return Outcome{!is_not_found(*response.error), response.error};
  const Secret& stored = std::get<Secret>(*response.object);
  if (stored.metadata.resource_version != cached.metadata.resource_version) {
    // Our view is stale; an update event will come (no retry, unlike T3).
    ctx().note("tokens-controller", "tokens-controller: secret is not up to date, skipping token population");
    coverage::probe(ctx(), Probe::kT6StaleCacheSkipped);
    co_return Outcome{};
  }
  const Needs needs = secret_update_needed(stored);
  if (!needs.any()) co_return Outcome{};
  Secret live = stored;
  if (needs.ca) live.data[kRootCaKey] = DataValue(root_ca_);
  if (needs.ns) live.data[kNamespaceKey] = DataValue(live.metadata.namespace_);
  if (needs.token) {
    std::shared_ptr<const LazyValue> token = options_.token_generator(sa, live.metadata.name, signing_.next_u64());
    if (!token) {
      coverage::probe(ctx(), Probe::kT6_6GenerationFailed);
      co_return Outcome{false, status_internal_error("failed to generate token")};
    }
    live.data[kTokenKey] = DataValue(std::move(token));
  }
  live.metadata.annotations[kNameKey] = sa.metadata.name;
  live.metadata.annotations[kUidKey] = sa.metadata.uid;
  coverage::probe(ctx(), Probe::kT6SecretFilledIn);
  ApiResponse updated = co_await update(Object(std::move(live)));
  if (updated.ok() || is_conflict(*updated.error) || is_not_found(*updated.error)) co_return Outcome{};
  co_return Outcome{true, updated.error};
}

}  // namespace sasim::model::controllers
