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
  if (!is_eventually(violation.invariant)) return std::nullopt;
  for (const std::string& object : violation.objects) {
    std::optional<ObjectRef> ref = parse_object_ref(object);
    if (!ref) continue;
    for (const model::faults::WeaknessRecord& record : cluster.weaknesses().records()) {
      if (touches(record, *ref, store)) return KnownWeakness{.weakness = record.weakness, .upstream = record.upstream};
    }
  }
  return std::nullopt;
}

}  // namespace sasim::properties
