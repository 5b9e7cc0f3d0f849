#include "properties/known_weaknesses.h"

#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"
#include "properties/invariant.h"

namespace sasim::properties {
namespace {

// The account (the violation's first object) references a token Secret of
// its own with a non-empty token: nothing upstream will ever replace it.
bool references_stuck_token(const Violation& violation, const model::Store& store) {
  if (violation.objects.empty()) return false;
  std::optional<ObjectRef> ref = parse_object_ref(violation.objects.front());
  if (!ref || ref->kind != model::Kind::kServiceAccount) return false;
  const auto* sa = model::as<model::ServiceAccount>(store.get(model::Kind::kServiceAccount, ref->namespace_, ref->name));
  if (sa == nullptr) return false;
  for (const model::ObjectReference& secret_ref : sa->secrets) {
    const auto* secret =
        model::as<model::Secret>(store.get(model::Kind::kSecret, sa->metadata.namespace_, secret_ref.name));
    if (secret == nullptr || !model::is_service_account_token(*secret, *sa)) continue;
    const model::DataValue* token = secret->data_value(std::string(model::kServiceAccountTokenKey));
    if (token != nullptr && !token->empty()) return true;
  }
  return false;
}

// Whether the account the violation names first references a Secret that
// storage no longer holds and for which `path_taken(namespace, name)` says
// the tokens controller took a known path.
template <class PathTaken>
bool references_missing_secret(const Violation& violation, model::Cluster& cluster, PathTaken path_taken) {
  if (violation.objects.empty()) return false;
  std::optional<ObjectRef> ref = parse_object_ref(violation.objects.front());
  if (!ref || ref->kind != model::Kind::kServiceAccount) return false;
  const model::Store& store = cluster.apiserver().store();
  const auto* sa = model::as<model::ServiceAccount>(store.get(model::Kind::kServiceAccount, ref->namespace_, ref->name));
  if (sa == nullptr) return false;
  for (const model::ObjectReference& secret_ref : sa->secrets) {
    const std::string& ns = sa->metadata.namespace_;
    if (store.get(model::Kind::kSecret, ns, secret_ref.name)) continue;
    if (path_taken(ns, secret_ref.name)) return true;
  }
  return false;
}

// The account references a token Secret that is gone from storage and from
// the tokens controller's informer, and whose deletion the controller's
// mutation cache (TTL 60 s, includeAdds) hid from its sync (the controller
// records that path): T5 saw the Secret as existing and removed no
// reference, and T3 sees a referenced token (until the entry expires) and
// creates no replacement; only an informer resync, 12 to 24 hours later
// upstream, revisits the account.
bool references_token_hidden_by_mutation_cache(const Violation& violation, model::Cluster& cluster) {
  const model::controllers::TokensController& tokens = cluster.tokens_controller();
  return references_missing_secret(violation, cluster, [&](const std::string& ns, const std::string& name) {
    return !tokens.secrets().get(ns, name) && tokens.deletion_was_hidden(ns, name);
  });
}

// The account references a token Secret that is gone, whose deletion the
// tokens controller synced while an account of that name but another uid
// existed (T5 removes references only from the uid the Secret named): a
// manual token Secret without a uid annotation, referenced by an account
// recreated while the controller was binding the Secret to its predecessor.
bool references_token_of_predecessor(const Violation& violation, model::Cluster& cluster) {
  const model::controllers::TokensController& tokens = cluster.tokens_controller();
  return references_missing_secret(violation, cluster, [&](const std::string& ns, const std::string& name) {
    return tokens.reference_kept_for_other_uid(ns, name);
  });
}

// The pod's account (the violation's second object) is gone from storage
// but still in admission's ServiceAccount cache: admission, which reads its
// informer first and goes live only on a miss, admitted the pod against
// an account deleted moments before.
bool admitted_from_stale_cache(const Violation& violation, model::Cluster& cluster) {
  if (violation.objects.size() < 2) return false;
  std::optional<ObjectRef> ref = parse_object_ref(violation.objects[1]);
  if (!ref || ref->kind != model::Kind::kServiceAccount) return false;
  if (cluster.apiserver().store().get(model::Kind::kServiceAccount, ref->namespace_, ref->name)) return false;
  return cluster.apiserver().admission_cache(model::Kind::kServiceAccount).get(ref->namespace_, ref->name) != nullptr;
}

// A pod left without imagePullSecrets (the violation's first object) whose
// account admission read from its cache in an older version that had none:
// the account gained them moments before, and admission copied what it saw.
bool inherited_from_stale_cache(const Violation& violation, model::Cluster& cluster) {
  if (violation.objects.size() < 2) return false;
  std::optional<ObjectRef> ref = parse_object_ref(violation.objects[1]);
  if (!ref || ref->kind != model::Kind::kServiceAccount) return false;
  const auto* stored = model::as<model::ServiceAccount>(
      cluster.apiserver().store().get(model::Kind::kServiceAccount, ref->namespace_, ref->name));
  const auto* cached = model::as<model::ServiceAccount>(
      cluster.apiserver().admission_cache(model::Kind::kServiceAccount).get(ref->namespace_, ref->name));
  return stored != nullptr && cached != nullptr &&
         cached->metadata.resource_version != stored->metadata.resource_version && cached->image_pull_secrets.empty();
}

bool is_eventually(std::string_view invariant) {
  return invariant == kEveryNamespaceHasDefaultServiceAccount || invariant == kEveryServiceAccountHasValidToken ||
         invariant == kTokenSecretsBelongToLiveServiceAccounts || invariant == kTokenSecretsArePopulated;
}

// The account a token Secret names, if the store still holds the Secret.
std::string account_of_secret(const ObjectRef& ref, const model::Store& store) {
  const auto* secret = model::as<model::Secret>(store.get(model::Kind::kSecret, ref.namespace_, ref.name));
  if (secret == nullptr) return "";
  const std::string* name = secret->metadata.annotation(std::string(model::kServiceAccountNameKey));
  return name == nullptr ? "" : *name;
}

bool touches(const model::faults::WeaknessRecord& record, const ObjectRef& ref, const model::Store& store) {
  if (ref.kind == record.kind && ref.namespace_ == record.namespace_ && ref.name == record.name) return true;
  if (record.service_account.empty() || ref.namespace_ != record.namespace_) return false;
  if (ref.kind == model::Kind::kServiceAccount) return ref.name == record.service_account;
  if (ref.kind == model::Kind::kSecret) return account_of_secret(ref, store) == record.service_account;
  return false;
}

}  // namespace

std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster) {
  const model::Store& store = cluster.apiserver().store();
  if (violation.invariant == kEveryServiceAccountHasValidToken && references_stuck_token(violation, store)) {
    return KnownWeakness{.weakness = "invalid-token-never-replaced", .upstream = "kubernetes/kubernetes#24928"};
  }
  // The paths the model recorded come first: they name the cause (the
  // mutation cache below may only be how its effect was hidden).
  if (is_eventually(violation.invariant)) {
    for (const std::string& object : violation.objects) {
      std::optional<ObjectRef> ref = parse_object_ref(object);
      if (!ref) continue;
      for (const model::faults::WeaknessRecord& record : cluster.weaknesses().records()) {
        if (touches(record, *ref, store)) return KnownWeakness{.weakness = record.weakness, .upstream = record.upstream};
      }
    }
  }
  if (violation.invariant == kEveryServiceAccountHasValidToken &&
      references_token_hidden_by_mutation_cache(violation, cluster)) {
    // The mutation cache came with #45933 (1.7); this is its includeAdds
    // side: a deletion within 60 s of creation goes unnoticed.
    return KnownWeakness{.weakness = "deleted-token-hidden-by-mutation-cache", .upstream = "kubernetes/kubernetes#45933"};
  }
  if (violation.invariant == kEveryServiceAccountHasValidToken && references_token_of_predecessor(violation, cluster)) {
    // No issue number: T5's lookup by the Secret's uid (syncSecret with
    // saUID) and T2/T3 counting uid-less Secrets for every incarnation.
    return KnownWeakness{.weakness = "recreated-account-keeps-deleted-token-reference",
                         .upstream = "kubernetes/kubernetes pkg/controller/serviceaccount tokens_controller syncSecret"};
  }
  if ((violation.invariant == kAdmittedPodsUseExistingServiceAccount && admitted_from_stale_cache(violation, cluster)) ||
      (violation.invariant == kAdmittedPodsInheritImagePullSecrets && inherited_from_stale_cache(violation, cluster))) {
    // No issue number: the behaviour is the plugin's getServiceAccount
    // (lister first, live GET only on a miss).
    return KnownWeakness{.weakness = "admission-read-stale-serviceaccount",
                         .upstream = "kubernetes/kubernetes plugin/pkg/admission/serviceaccount getServiceAccount"};
  }
  return std::nullopt;
}

}  // namespace sasim::properties
