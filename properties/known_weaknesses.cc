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

}  // namespace

std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster) {
  if (violation.invariant == kEveryServiceAccountHasValidToken &&
      references_stuck_token(violation, cluster.apiserver().store())) {
    return KnownWeakness{.weakness = "invalid-token-never-replaced", .upstream = "kubernetes/kubernetes#24928"};
  }
  return std::nullopt;
}

}  // namespace sasim::properties
