#include "properties/checker.h"

#include "model/objects/constants.h"
#include "properties/admission_checks.h"
#include "properties/admission_refusal_checks.h"
#include "properties/bound_token_checks.h"
#include "properties/eventually_checks.h"
#include "properties/known_weaknesses.h"
#include "properties/token_review_checks.h"
#include "properties/token_secret_checks.h"
#include "sim/check.h"

namespace sasim::properties {
namespace {

std::vector<std::string> every_name() {
  std::vector<std::string> names;
  for (const InvariantInfo& info : all_invariants()) names.emplace_back(info.name);
  return names;
}

// The release's bound-token rules, from the version table and the
// cluster's flags (not from the authenticator's own configuration).
BoundRules bound_rules(const model::Cluster& cluster) {
  const model::ClusterConfig& config = cluster.config();
  // The release the apiserver runs now (it changes with an upgrade).
  const model::versions::Behaviour& b = cluster.release(model::versions::Component::kApiServer);
  return BoundRules{
      .issuers = config.service_account_issuers,
      .api_audiences = config.api_audiences.empty() ? config.service_account_issuers : config.api_audiences,
      .epoch_unix_seconds = config.apiserver.epoch_unix_seconds,
      .capitalised_messages = b.bound_token_messages == model::versions::BoundTokenMessages::kCapitalised,
      .checks_iat = b.bound_token_checks_iat,
      .uid_before_deletion = b.bound_token_uid_before_deletion,
      .legacy_tracking = b.legacy_token_tracking,
      .legacy_invalid_since_check = b.legacy_invalid_since_check,
      .pod_node_info = b.token_pod_node_info,
      .node_binding_validation = b.node_binding_validation,
      .credential_id = b.token_jti};
}

}  // namespace

InvariantChecker::InvariantChecker(model::Cluster& cluster) : InvariantChecker(cluster, every_name()) {}

namespace {

// The public half of the cluster's signing key, for the token oracle.
std::shared_ptr<const VerifyingKey> verifying_key(const model::Cluster& cluster,
                                                  std::shared_ptr<const VerifyingKey> given) {
  if (given) return given;
  const auto& key = cluster.config().signing_key;
  return VerifyingKey::from_der(key ? key->public_key().der() : std::string());
}

}  // namespace

InvariantChecker::InvariantChecker(model::Cluster& cluster, const std::vector<std::string>& names,
                                   std::shared_ptr<const VerifyingKey> key, EvaluationMode mode)
    : cluster_(cluster),
      mode_(mode),
      commits_(cluster.apiserver().store()),
      oracle_(verifying_key(cluster, std::move(key)), bound_rules(cluster)),
      legacy_cleanup_check_(LegacyCleanupRules{.cleaner_user = cluster.config().legacy_token_cleaner.base.client.user,
                                               .clean_up_period = cluster.config().legacy_token_clean_up_period,
                                               .epoch_unix_seconds = cluster.config().apiserver.epoch_unix_seconds}) {
  for (const std::string& name : names) SIM_CHECK(find_invariant(name) != nullptr, "unknown invariant " + name);
  for (const InvariantInfo& info : all_invariants()) {
    for (const std::string& name : names) {
      if (name == info.name) {
        results_.push_back(InvariantResult{.info = info});
        break;
      }
    }
  }
  resource_versions_ = slot(kResourceVersionsIncrease);
  uids_ = slot(kUidsAreUnique);
  existing_account_ = slot(kAdmittedPodsUseExistingServiceAccount);
  automount_ = slot(kAdmittedPodsFollowAutomount);
  pull_secrets_ = slot(kAdmittedPodsInheritImagePullSecrets);
  rejections_ = slot(kPodRejectionsHaveCause);
  mountable_ = slot(kAdmittedPodsRespectMountableSecrets);
  reviews_ = slot(kTokenReviewsAreCorrect);
  bound_reviews_ = slot(kBoundTokensRespectTheirObjects);
  // Releases without a cleaner have nothing to judge (and need not verify
  // every presented token for it) until an upgrade starts one (on_upgrade).
  follow_release();
  // Without --service-account-lookup a deleted Secret's token stays valid by
  // design (§8): there is nothing to watch.
  if (cluster.config().service_account_lookup) deleted_tokens_ = slot(kDeletedTokensDoNotAuthenticate);
  for (const InvariantInfo& info : all_invariants()) {
    if (info.kind == InvariantKind::kEventually) incremental_.push_back(Incremental{.name = info.name});
  }
  observed_revision_ = cluster.apiserver().store().resource_version();
}

void InvariantChecker::attach() {
  cluster_.apiserver().add_observer(this);
  cluster_.add_upgrade_observer(this);
}

void InvariantChecker::on_upgrade(const model::UpgradeRecord& /*record*/) { follow_release(); }

InvariantResult* InvariantChecker::slot(std::string_view name) {
  for (InvariantResult& r : results_) {
    if (r.info.name == name) return &r;
  }
  return nullptr;
}

const InvariantResult* InvariantChecker::result(std::string_view name) const {
  for (const InvariantResult& r : results_) {
    if (r.info.name == name) return &r;
  }
  return nullptr;
}

bool InvariantChecker::passed(bool strict) const {
  for (const InvariantResult& r : results_) {
    if (!r.passed(strict)) return false;
  }
  return true;
}

bool InvariantChecker::keeps_outcomes() const {
  for (const Incremental& state : incremental_) {
    if (!state.everything_dirty) return true;
  }
  return false;
}

void InvariantChecker::record(InvariantResult* result, CheckOutcome outcome) {
  if (result == nullptr) return;
  result->checks += outcome.checks;
  for (Violation& v : outcome.violations) {
    // A check may know the weakness itself (it saw the token); else the records say.
    if (!v.known) v.known = classify_known(v, cluster_, audit_);
    ++result->violation_count;
    if (v.known) ++result->known_count;
    if (result->violations.size() < kMaxStoredViolations) result->violations.push_back(std::move(v));
  }
}

void InvariantChecker::on_commit(const model::StoreChange& change, sim::Time now) {
  audit_.on_commit(change);
  if (mode_ == EvaluationMode::kIncremental) {
    // Every eventually-invariant judges a namespace on its own contents:
    // this one may judge differently now. Only worth noting while some
    // invariant keeps outcomes: one never evaluated judges every namespace
    // at its first evaluation (refresh hands changed_ to the others only).
    // Consecutive commits are mostly in one namespace: the last one noted
    // is not looked up again.
    const std::string& ns = scope_of(*change.object);
    if (!ns.empty() && keeps_outcomes() && (changed_.empty() || *last_changed_ != ns)) {
      last_changed_ = changed_.insert(ns).first;
    }
    observed_revision_ = cluster_.apiserver().store().resource_version();
  }
  if (resource_versions_ != nullptr) record(resource_versions_, commits_.check_resource_version(change, now));
  if (uids_ != nullptr) record(uids_, commits_.check_uid(change, now));
  if (deleted_tokens_ != nullptr) deleted_.on_commit(change, now);
  if (reviews_ != nullptr && change.user == "system:apiserver" && change.object &&
      model::kind_of(*change.object) == model::Kind::kSecret) {
    // The authenticator's copy as it was when the write was decided (its
    // watch delivers this very commit later), storage's previous state on a miss.
    const model::ObjectMeta& m = model::meta(*change.object);
    model::ObjectPtr cached = cluster_.apiserver().auth_cache(model::Kind::kSecret).get(m.namespace_, m.name);
    if (!cached) cached = change.previous;
    record(reviews_, check_last_used_write(change, cached, cluster_.config().apiserver.epoch_unix_seconds, now));
  }
  if (legacy_cleanup_ != nullptr) {
    record(legacy_cleanup_, legacy_cleanup_check_.on_commit(change, cluster_.apiserver().store(), now));
  }
}

void InvariantChecker::on_pod_admitted(const model::Pod& pod, const model::PodAdmission& admission, sim::Time now) {
  if (existing_account_ != nullptr) {
    record(existing_account_, check_pod_uses_existing_serviceaccount(pod, admission.stored_account, now));
  }
  if (automount_ != nullptr) {
    record(automount_, check_pod_follows_automount(pod, admission.mutated_with(),
                                                   cluster_.admission_in_force(), now));
  }
  if (pull_secrets_ != nullptr) {
    record(pull_secrets_, check_pod_inherits_image_pull_secrets(pod, admission.stored_account, now));
  }
  if (mountable_ != nullptr) {
    record(mountable_,
           check_pod_respects_mountable_secrets(pod, admission, cluster_.admission_in_force(), now));
  }
}

void InvariantChecker::on_pod_rejected(const model::Pod& pod, const model::ApiStatus& status,
                                       const model::PodAdmission& admission, sim::Time now) {
  if (rejections_ == nullptr) return;
  record(rejections_, check_pod_rejection(pod, status, admission,
                                          cluster_.apiserver().admission_cache(model::Kind::kSecret),
                                          cluster_.admission_in_force(), now));
}

BoundLookup InvariantChecker::bound_lookup() const {
  const model::ApiServer& apiserver = cluster_.apiserver();
  // What the authenticator's lookups read: its informer's copy, storage on a miss.
  return BoundLookup{.get = [&apiserver](model::Kind kind, const std::string& ns, const std::string& name) {
                       model::ObjectPtr object = apiserver.auth_cache(kind).get(ns, name);
                       return object ? object : apiserver.store().get(kind, ns, name);
                     },
                     .epoch_unix_seconds = apiserver.config().epoch_unix_seconds,
                     .recreated_account_grace = cluster_.config().kubelet.sync_period * 2};
}

CheckOutcome InvariantChecker::check_running_pods(sim::Time now, const ScopeView& view) const {
  std::vector<RunningPodToken> pods;
  const model::kubelet::Kubelet& kubelet = cluster_.kubelet();
  for (const model::ObjectPtr& object : view.list(model::Kind::kPod)) {
    const auto& pod = std::get<model::Pod>(*object);
    if (pod.status.phase != model::PodPhase::kRunning || pod.metadata.deletion_timestamp) continue;
    if (!kubelet.is_running(pod.metadata.namespace_, pod.metadata.name)) continue;
    // A projected volume mounted at the token path of the first container.
    bool projected = false;
    for (const model::Container& container : pod.spec.containers) {
      for (const model::VolumeMount& mount : container.volume_mounts) {
        if (mount.mount_path != model::kDefaultApiTokenMountPath) continue;
        for (const model::Volume& volume : pod.spec.volumes) {
          projected = projected || (volume.name == mount.name && volume.other_source &&
                                    volume.other_source->contains("projected"));
        }
      }
      break;
    }
    if (!projected) continue;
    auto token = kubelet.process_token(pod.metadata.namespace_, pod.metadata.name, now);
    pods.push_back(RunningPodToken{.pod = object, .token = std::move(token)});
  }
  CheckOutcome outcome =
      check_running_pods_hold_valid_tokens(pods, cluster_.config().service_account_issuers, bound_lookup(), now, &oracle_);
  // The kubelet's files and the clock move without a commit: judged again every time.
  outcome.reads_beyond_store = true;
  return outcome;
}

void InvariantChecker::follow_release() {
  oracle_.set_bound_rules(bound_rules(cluster_));
  if (legacy_cleanup_ == nullptr && cluster_.legacy_token_cleaner() != nullptr) {
    legacy_cleanup_ = slot(kCleanedLegacyTokensWereUnused);
  }
  records_legacy_uses_ = legacy_cleanup_ != nullptr ||
                         (slot(kCleanedLegacyTokensWereUnused) != nullptr &&
                          cluster_.release(model::versions::Component::kApiServer).legacy_token_tracking);
}

void InvariantChecker::on_token_review(const model::DataValue& token, const model::TokenReviewResult& result,
                                       sim::Time now, const std::vector<std::string>& audiences) {
  const model::ApiServer& apiserver = cluster_.apiserver();
  if (records_legacy_uses_) legacy_cleanup_check_.on_review(token, oracle_, now);
  if (bound_reviews_ != nullptr) {
    record(bound_reviews_,
           check_bound_token_review(token, result, cluster_.config().service_account_issuers, bound_lookup(), now,
                                    &oracle_));
  }
  if (deleted_tokens_ != nullptr) {
    record(deleted_tokens_,
           deleted_.check_review(token, result, apiserver.auth_cache(model::Kind::kSecret), apiserver.store(), now));
  }
  if (reviews_ != nullptr) {
    // What the authenticator's lookups read: its informer's copy, storage on a miss.
    auto cached_or_stored = [&apiserver](model::Kind kind) {
      return [&apiserver, kind](const std::string& ns, const std::string& name) {
        model::ObjectPtr object = apiserver.auth_cache(kind).get(ns, name);
        return object ? object : apiserver.store().get(kind, ns, name);
      };
    };
    const ReviewLookup objects{.secret = cached_or_stored(model::Kind::kSecret),
                               .service_account = cached_or_stored(model::Kind::kServiceAccount),
                               .pod = cached_or_stored(model::Kind::kPod),
                               .now = now,
                               .audiences = audiences,
                               .node = [&apiserver](const std::string& name) {
                                 return apiserver.store().get(model::Kind::kNode, "", name);
                               },
                               .stored_secret = [&apiserver](const std::string& ns, const std::string& name) {
                                 return apiserver.store().get(model::Kind::kSecret, ns, name);
                               }};
    record(reviews_, check_token_review(token, result, oracle_, cluster_.config().service_account_lookup, objects, now));
  }
}

void InvariantChecker::on_token_reviews_repeated(const model::DataValue& token, const model::TokenReviewResult& result,
                                                 std::uint64_t count,
                                                 const std::function<sim::Time(std::uint64_t)>& time_of) {
  if (count == 0) return;
  // The same judgment as on_token_review's, once, with a probe observer
  // standing in for the results; then each result takes it `count` times.
  InvariantResult* targets[] = {bound_reviews_, deleted_tokens_, reviews_};
  InvariantResult* saved[3];
  for (int i = 0; i < 3; ++i) saved[i] = targets[i];
  // Judge into scratch results.
  InvariantResult scratch[3];
  for (int i = 0; i < 3; ++i) {
    if (saved[i] != nullptr) scratch[i].info = saved[i]->info;
  }
  bound_reviews_ = saved[0] ? &scratch[0] : nullptr;
  deleted_tokens_ = saved[1] ? &scratch[1] : nullptr;
  reviews_ = saved[2] ? &scratch[2] : nullptr;
  on_token_review(token, result, time_of(count - 1), {});
  bound_reviews_ = saved[0];
  deleted_tokens_ = saved[1];
  reviews_ = saved[2];
  for (int i = 0; i < 3; ++i) {
    InvariantResult* target = saved[i];
    if (target == nullptr) continue;
    target->checks += scratch[i].checks * count;
    if (scratch[i].violation_count == 0) continue;
    for (std::uint64_t n = 0; n < count; ++n) {
      for (const Violation& v : scratch[i].violations) {
        ++target->violation_count;
        if (v.known) ++target->known_count;
        if (target->violations.size() < kMaxStoredViolations) {
          Violation copy = v;
          copy.time = time_of(n);
          target->violations.push_back(std::move(copy));
        }
      }
    }
  }
}

CheckOutcome InvariantChecker::evaluate_eventually(std::string_view name, sim::Time now, NamespaceScope scope) {
  return evaluate_eventually(name, now, ScopeView(cluster_.apiserver().store(), scope));
}

CheckOutcome InvariantChecker::evaluate_eventually(std::string_view name, sim::Time now, const ScopeView& view) {
  if (name == kEveryNamespaceHasDefaultServiceAccount) {
    return check_namespaces_have_default_serviceaccount(view, now);
  }
  if (name == kEveryServiceAccountHasValidToken) {
    return check_serviceaccounts_have_valid_token(cluster_, oracle_, view, now);
  }
  if (name == kTokenSecretsBelongToLiveServiceAccounts) {
    return check_token_secrets_belong_to_live_serviceaccounts(view, now);
  }
  if (name == kTokenSecretsArePopulated) {
    return check_token_secrets_are_populated(view, cluster_.config().tokens_controller.root_ca, now);
  }
  if (name == kTokenSecretsHoldCorrectData) {
    return check_token_secrets_hold_correct_data(view, cluster_.config().tokens_controller.root_ca, audit_, oracle_,
                                                 now);
  }
  if (name == kControllerReferencesResolve) return check_controller_references_resolve(view, audit_, now);
  if (name == kOneGeneratedTokenPerAccount) return check_one_generated_token_per_account(view, audit_, now);
  if (name == kRunningPodsHoldValidTokens) return check_running_pods(now, view);
  SIM_CHECK(false, "not an eventually-invariant: " + std::string(name));
  return {};
}

InvariantChecker::Incremental* InvariantChecker::incremental(std::string_view name) {
  for (Incremental& state : incremental_) {
    if (state.name == name) return &state;
  }
  return nullptr;
}

const std::set<std::string, std::less<>>& InvariantChecker::every_namespace() {
  const model::Store& store = cluster_.apiserver().store();
  // Every invariant evaluated for the first time at one settle asks for
  // the same list: made once per store revision.
  if (every_namespace_ && every_namespace_revision_ == store.resource_version()) return *every_namespace_;
  std::set<std::string, std::less<>> out;
  for (model::Kind kind : {model::Kind::kNamespace, model::Kind::kServiceAccount, model::Kind::kSecret}) {
    // The store lists by namespace: insert each one once, not per object.
    const std::string* last = nullptr;
    for (const model::ObjectPtr& object : store.list(kind)) {
      const std::string& ns = scope_of(*object);
      if (ns.empty() || (last != nullptr && *last == ns)) continue;
      out.insert(out.end(), ns);
      last = &ns;
    }
  }
  every_namespace_ = std::move(out);
  every_namespace_revision_ = store.resource_version();
  return *every_namespace_;
}

void InvariantChecker::take_changes() {
  const std::uint64_t revision = cluster_.apiserver().store().resource_version();
  if (revision != observed_revision_) {
    for (Incremental& other : incremental_) {
      other.everything_dirty = true;
      other.dirty.clear();
    }
    changed_.clear();
    observed_revision_ = revision;
  }
  // Hand the namespaces changed since the last refresh to every invariant
  // that keeps outcomes (one that was never evaluated judges everything).
  if (!changed_.empty()) {
    for (Incremental& other : incremental_) {
      if (!other.everything_dirty) other.dirty.insert(changed_.begin(), changed_.end());
    }
    changed_.clear();
  }
}

void InvariantChecker::refresh(Incremental& state, sim::Time now) {
  take_changes();
  if (state.everything_dirty) {
    state.dirty = every_namespace();
    state.everything_dirty = false;
  }
  state.dirty.insert(state.beyond_store.begin(), state.beyond_store.end());
  const model::Store& store = cluster_.apiserver().store();
  for (const std::string& ns : state.dirty) judge_again(state, ns, ScopeView(store, &ns), now);
  state.dirty.clear();
}

void InvariantChecker::refresh_all(sim::Time now) {
  take_changes();
  // Namespace by namespace, every invariant that must judge it again in a
  // row, on one view: the namespace's accounts and Secrets are listed once
  // for all of them. An invariant's outcome depends only on the namespace
  // it judges (nothing is written meanwhile), so the order is free; each
  // judges exactly the namespaces refresh() would have it judge.
  std::vector<Incremental*> states;
  bool any_everything = false;
  std::set<std::string, std::less<>> todo;
  for (const InvariantResult& r : results_) {
    if (r.info.kind != InvariantKind::kEventually) continue;
    Incremental& state = *incremental(r.info.name);
    states.push_back(&state);
    todo.insert(state.beyond_store.begin(), state.beyond_store.end());
    if (state.everything_dirty) {
      any_everything = true;
    } else {
      todo.insert(state.dirty.begin(), state.dirty.end());
    }
  }
  const std::set<std::string, std::less<>>* every = any_everything ? &every_namespace() : nullptr;
  // The first evaluation judges every namespace: walked without a copy.
  const bool only_every = every != nullptr && todo.empty();
  if (every != nullptr && !only_every) todo.insert(every->begin(), every->end());
  const model::Store& store = cluster_.apiserver().store();
  for (const std::string& ns : only_every ? *every : todo) {
    const ScopeView view(store, &ns);
    for (Incremental* state : states) {
      const bool again = state->beyond_store.contains(ns) ||
                         (state->everything_dirty ? only_every || every->contains(ns) : state->dirty.contains(ns));
      if (again) judge_again(*state, ns, view, now);
    }
  }
  for (Incremental* state : states) {
    state->everything_dirty = false;
    state->dirty.clear();
  }
}

void InvariantChecker::judge_again(Incremental& state, const std::string& ns, const ScopeView& view, sim::Time now) {
  CheckOutcome outcome = evaluate_eventually(state.name, now, view);
  auto it = state.by_namespace.find(ns);
  if (it != state.by_namespace.end()) {
    state.checks -= it->second.checks;
    state.violations -= it->second.violations.size();
    state.by_namespace.erase(it);
  }
  if (outcome.reads_beyond_store) {
    state.beyond_store.insert(ns);
  } else {
    state.beyond_store.erase(ns);
  }
  if (outcome.violations.empty()) {
    state.violating.erase(ns);
  } else {
    state.violating.insert(ns);
  }
  if (outcome.checks == 0 && outcome.violations.empty()) return;
  state.checks += outcome.checks;
  state.violations += outcome.violations.size();
  state.by_namespace.emplace(ns, std::move(outcome));
}

CheckOutcome InvariantChecker::outcome_of(const Incremental& state, sim::Time now) const {
  CheckOutcome out;
  out.checks = state.checks;
  out.violations.reserve(state.violations);
  for (const std::string& ns : state.violating) {
    for (Violation v : state.by_namespace.find(ns)->second.violations) {
      v.time = now;  // found again now, as a full evaluation would
      out.violations.push_back(std::move(v));
    }
  }
  return out;
}

std::size_t InvariantChecker::check_eventually(sim::Time now) {
  std::size_t found = 0;
  if (mode_ == EvaluationMode::kIncremental) refresh_all(now);
  for (InvariantResult& r : results_) {
    if (r.info.kind != InvariantKind::kEventually) continue;
    CheckOutcome outcome =
        mode_ == EvaluationMode::kFull ? evaluate_eventually(r.info.name, now) : outcome_of(*incremental(r.info.name), now);
    found += outcome.violations.size();
    record(&r, std::move(outcome));
  }
  return found;
}

std::optional<std::vector<Violation>> InvariantChecker::evaluate_now(std::string_view name, sim::Time now) {
  const InvariantInfo* info = find_invariant(name);
  if (info == nullptr) return std::nullopt;
  if (info->kind == InvariantKind::kEventually) {
    CheckOutcome outcome;
    if (mode_ == EvaluationMode::kFull) {
      outcome = evaluate_eventually(name, now);
    } else {
      Incremental& state = *incremental(name);
      refresh(state, now);
      outcome = outcome_of(state, now);
    }
    for (Violation& v : outcome.violations) {
      if (!v.known) v.known = classify_known(v, cluster_, audit_);
    }
    return std::move(outcome.violations);
  }
  const InvariantResult* r = result(name);
  if (r == nullptr) return std::nullopt;
  return r->violations;
}

std::optional<EvaluationSummary> InvariantChecker::summarize_now(std::string_view name, sim::Time now) {
  const InvariantInfo* info = find_invariant(name);
  if (info == nullptr) return std::nullopt;
  if (info->kind == InvariantKind::kEventually && mode_ == EvaluationMode::kIncremental) {
    Incremental& state = *incremental(name);
    refresh(state, now);
    EvaluationSummary out{.violation_count = state.violations};
    if (!state.violating.empty()) {
      Violation v = state.by_namespace.find(*state.violating.begin())->second.violations.front();
      v.time = now;
      if (!v.known) v.known = classify_known(v, cluster_, audit_);
      out.first = std::move(v);
    }
    return out;
  }
  std::optional<std::vector<Violation>> all = evaluate_now(name, now);
  if (!all) return std::nullopt;
  EvaluationSummary out{.violation_count = all->size()};
  if (!all->empty()) out.first = std::move(all->front());
  return out;
}

}  // namespace sasim::properties
