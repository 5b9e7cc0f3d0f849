#include "properties/checker.h"

#include "model/objects/constants.h"
#include "properties/admission_checks.h"
#include "properties/eventually_checks.h"
#include "properties/known_weaknesses.h"
#include "sim/check.h"

namespace sasim::properties {
namespace {

std::vector<std::string> every_name() {
  std::vector<std::string> names;
  for (const InvariantInfo& info : all_invariants()) names.emplace_back(info.name);
  return names;
}

}  // namespace

InvariantChecker::InvariantChecker(model::Cluster& cluster) : InvariantChecker(cluster, every_name()) {}

InvariantChecker::InvariantChecker(model::Cluster& cluster, const std::vector<std::string>& names)
    : cluster_(cluster), commits_(cluster.apiserver().store()) {
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
  // Without --service-account-lookup a deleted Secret's token stays valid by
  // design (§8): there is nothing to watch.
  if (cluster.config().service_account_lookup) deleted_tokens_ = slot(kDeletedTokensDoNotAuthenticate);
}

void InvariantChecker::attach() { cluster_.apiserver().add_observer(this); }

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

void InvariantChecker::record(InvariantResult* result, CheckOutcome outcome) {
  if (result == nullptr) return;
  result->checks += outcome.checks;
  for (Violation& v : outcome.violations) {
    v.known = classify_known(v, cluster_, deletions_);
    ++result->violation_count;
    if (v.known) ++result->known_count;
    if (result->violations.size() < kMaxStoredViolations) result->violations.push_back(std::move(v));
  }
}

void InvariantChecker::on_commit(const model::StoreChange& change, sim::Time now) {
  deletions_.on_commit(change);
  if (resource_versions_ != nullptr) record(resource_versions_, commits_.check_resource_version(change, now));
  if (uids_ != nullptr) record(uids_, commits_.check_uid(change, now));
  if (deleted_tokens_ != nullptr) deleted_.on_commit(change, now);
}

void InvariantChecker::on_pod_admitted(const model::Pod& pod, const model::PodAdmission& admission, sim::Time now) {
  if (existing_account_ != nullptr) {
    record(existing_account_, check_pod_uses_existing_serviceaccount(pod, admission.stored_account, now));
  }
  if (automount_ != nullptr) {
    record(automount_, check_pod_follows_automount(pod, admission.mutated_with(),
                                                   cluster_.config().apiserver.admission, now));
  }
  if (pull_secrets_ != nullptr) {
    record(pull_secrets_, check_pod_inherits_image_pull_secrets(pod, admission.stored_account, now));
  }
}

void InvariantChecker::on_token_review(const std::string& token, const model::TokenReviewResult& result,
                                       sim::Time now) {
  if (deleted_tokens_ == nullptr) return;
  const model::ApiServer& apiserver = cluster_.apiserver();
  record(deleted_tokens_,
         deleted_.check_review(token, result, apiserver.auth_cache(model::Kind::kSecret), apiserver.store(), now));
}

CheckOutcome InvariantChecker::evaluate_eventually(std::string_view name, sim::Time now) {
  const model::Store& store = cluster_.apiserver().store();
  if (name == kEveryNamespaceHasDefaultServiceAccount) return check_namespaces_have_default_serviceaccount(store, now);
  if (name == kEveryServiceAccountHasValidToken) return check_serviceaccounts_have_valid_token(cluster_, now);
  if (name == kTokenSecretsBelongToLiveServiceAccounts) {
    return check_token_secrets_belong_to_live_serviceaccounts(store, now);
  }
  if (name == kTokenSecretsArePopulated) {
    return check_token_secrets_are_populated(store, cluster_.config().tokens_controller.root_ca, now);
  }
  SIM_CHECK(false, "not an eventually-invariant: " + std::string(name));
  return {};
}

std::size_t InvariantChecker::check_eventually(sim::Time now) {
  std::size_t found = 0;
  for (InvariantResult& r : results_) {
    if (r.info.kind != InvariantKind::kEventually) continue;
    CheckOutcome outcome = evaluate_eventually(r.info.name, now);
    found += outcome.violations.size();
    record(&r, std::move(outcome));
  }
  return found;
}

std::optional<std::vector<Violation>> InvariantChecker::evaluate_now(std::string_view name, sim::Time now) {
  const InvariantInfo* info = find_invariant(name);
  if (info == nullptr) return std::nullopt;
  if (info->kind == InvariantKind::kEventually) {
    CheckOutcome outcome = evaluate_eventually(name, now);
    for (Violation& v : outcome.violations) v.known = classify_known(v, cluster_, deletions_);
    return std::move(outcome.violations);
  }
  const InvariantResult* r = result(name);
  if (r == nullptr) return std::nullopt;
  return r->violations;
}

}  // namespace sasim::properties
