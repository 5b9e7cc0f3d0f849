#include "properties/known_weaknesses.h"

#include <algorithm>
#include <array>

#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"
#include "properties/invariant.h"

namespace sasim::properties {
namespace {

namespace mf = model::faults;

// ---- evidence from the state alone -------------------------------------------

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

// A generated token the account no longer references because a user's
// write removed the reference: upstream then generates another token and
// nothing removes the first (#113532).
bool orphaned_by_user_update(const Violation& violation, const model::Store& store, const Audit& audit) {
  if (violation.objects.size() < 2) return false;
  std::optional<ObjectRef> secret = parse_object_ref(violation.objects[0]);
  std::optional<ObjectRef> account = parse_object_ref(violation.objects[1]);
  if (!secret || !account || secret->kind != model::Kind::kSecret || account->kind != model::Kind::kServiceAccount) {
    return false;
  }
  const auto* sa =
      model::as<model::ServiceAccount>(store.get(model::Kind::kServiceAccount, account->namespace_, account->name));
  if (sa == nullptr) return false;
  for (const model::ObjectReference& ref : sa->secrets) {
    if (ref.name == secret->name) return false;  // referenced: a duplicate, not an orphan
  }
  return audit.reference_removed_by_user(sa->metadata.uid, secret->name);
}

bool is_eventually(std::string_view invariant) {
  const InvariantInfo* info = find_invariant(invariant);
  return info != nullptr && info->kind == InvariantKind::kEventually;
}

// ---- the recorded paths and their rules -----------------------------------------

enum Relation : unsigned {
  kSame = 1u << 0,
  kReferencesMissing = 1u << 1,
  kLeftoverToken = 1u << 2,
  kAccount = 1u << 3,
  kNamespace = 1u << 4,
};

struct Rule {
  const char* weakness;
  unsigned relations;
  // The recorded Secret's deletion must have been someone else's than the
  // tokens controller's.
  bool deleted_by_others = false;
};

// In order of precedence.
constexpr std::array<Rule, 12> kRules{{
    {mf::kTokenDeletedAfterUnsureUpdate, kReferencesMissing},
    {mf::kWriteOutcomeLost, kSame},
    {mf::kCreatedTokenLeftUnreferenced, kSame},
    {mf::kReferenceRemovalDropped, kReferencesMissing},
    {mf::kRecreatedAccountKeepsDeletedTokenReference, kReferencesMissing},
    {mf::kTombstoneIgnored, kSame | kReferencesMissing | kLeftoverToken},
    {mf::kQueuedWorkLostInCrash, kReferencesMissing | kLeftoverToken},
    {mf::kDeletionBeforeListUnseen, kReferencesMissing},
    {mf::kReannotatedTokenReferenceKept, kSame},
    {mf::kRetriesExhausted, kSame | kReferencesMissing | kLeftoverToken | kAccount},
    {mf::kWatchEventLost, kSame | kReferencesMissing | kLeftoverToken | kAccount | kNamespace},
    {mf::kDeletedTokenHiddenByMutationCache, kReferencesMissing, /*deleted_by_others=*/true},
}};

const Rule* rule_of(const std::string& weakness) {
  for (const Rule& rule : kRules) {
    if (weakness == rule.weakness) return &rule;
  }
  return nullptr;
}

std::size_t precedence(const std::string& weakness) {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (weakness == kRules[i].weakness) return i;
  }
  return kRules.size();
}

const std::string* annotation(const model::Secret& secret, std::string_view key) {
  return secret.metadata.annotation(std::string(key));
}

bool same_object(const mf::WeaknessRecord& record, const ObjectRef& object, const Evidence& evidence) {
  const mf::ObjectRef& r = record.object;
  if (r.kind != object.kind || r.name != object.name) return false;
  if (model::is_namespaced(r.kind) && r.namespace_ != object.namespace_) return false;
  if (r.uid.empty()) return true;
  // The same incarnation, if storage still holds one of that name.
  model::ObjectPtr stored = evidence.get(object.kind, object.namespace_, object.name);
  return !stored || model::meta(*stored).uid == r.uid;
}

// The violation's account references the recorded Secret, which is gone.
bool references_missing(const mf::WeaknessRecord& record, const ObjectRef& object, const Evidence& evidence) {
  const mf::ObjectRef& secret = record.object;
  if (secret.kind != model::Kind::kSecret || object.kind != model::Kind::kServiceAccount) return false;
  if (object.namespace_ != secret.namespace_) return false;
  if (!record.account.empty() && record.account.name != object.name) return false;
  const auto* sa = model::as<model::ServiceAccount>(evidence.get(object.kind, object.namespace_, object.name));
  if (sa == nullptr) return false;
  const bool referenced = std::any_of(sa->secrets.begin(), sa->secrets.end(),
                                      [&](const model::ObjectReference& ref) { return ref.name == secret.name; });
  return referenced && !evidence.get(model::Kind::kSecret, secret.namespace_, secret.name);
}

// The violation's token Secret names the recorded account incarnation.
bool leftover_token(const mf::WeaknessRecord& record, const ObjectRef& object, const Evidence& evidence) {
  const mf::ObjectRef& account = record.object;
  if (account.kind != model::Kind::kServiceAccount || object.kind != model::Kind::kSecret) return false;
  if (object.namespace_ != account.namespace_) return false;
  const auto* secret = model::as<model::Secret>(evidence.get(object.kind, object.namespace_, object.name));
  if (secret == nullptr || secret->type != model::kSecretTypeServiceAccountToken) return false;
  const std::string* name = annotation(*secret, model::kServiceAccountNameKey);
  const std::string* uid = annotation(*secret, model::kServiceAccountUidKey);
  return name != nullptr && *name == account.name && (uid == nullptr || uid->empty() || *uid == account.uid);
}

bool concerns_account(const mf::WeaknessRecord& record, const ObjectRef& object) {
  const mf::ObjectRef& account = record.account;
  return !account.empty() && object.kind == model::Kind::kServiceAccount && object.namespace_ == account.namespace_ &&
         object.name == account.name;
}

bool in_namespace(const mf::WeaknessRecord& record, const ObjectRef& object) {
  if (record.object.kind != model::Kind::kNamespace) return false;
  if (object.kind == model::Kind::kNamespace) return object.name == record.object.name;
  return object.namespace_ == record.object.name;
}

}  // namespace

Evidence evidence_of(const model::Store& store, const Audit& deletions) {
  return Evidence{.get = [&store](model::Kind kind, const std::string& ns,
                                  const std::string& name) { return store.get(kind, ns, name); },
                  .deletions = &deletions};
}

bool record_explains(const mf::WeaknessRecord& record, const ObjectRef& object, const Evidence& evidence) {
  const Rule* rule = rule_of(record.weakness);
  if (rule == nullptr) return false;
  if (rule->deleted_by_others) {
    if (evidence.deletions == nullptr) return false;
    const mf::ObjectRef& r = record.object;
    const std::string* user = evidence.deletions->deleted_by(r.kind, r.namespace_, r.name, r.uid);
    if (user == nullptr || *user == kTokensControllerUser) return false;
  }
  const unsigned rel = rule->relations;
  return ((rel & kSame) != 0 && same_object(record, object, evidence)) ||
         ((rel & kReferencesMissing) != 0 && references_missing(record, object, evidence)) ||
         ((rel & kLeftoverToken) != 0 && leftover_token(record, object, evidence)) ||
         ((rel & kAccount) != 0 && concerns_account(record, object)) ||
         ((rel & kNamespace) != 0 && in_namespace(record, object));
}

std::optional<KnownWeakness> explained_by_records(const std::vector<mf::WeaknessRecord>& records,
                                                  const std::vector<std::string>& objects, const Evidence& evidence) {
  const mf::WeaknessRecord* best = nullptr;
  for (const mf::WeaknessRecord& record : records) {
    if (best != nullptr && precedence(record.weakness) >= precedence(best->weakness)) continue;
    for (const std::string& text : objects) {
      std::optional<ObjectRef> object = parse_object_ref(text);
      if (object && record_explains(record, *object, evidence)) {
        best = &record;
        break;
      }
    }
  }
  if (best == nullptr) return std::nullopt;
  return KnownWeakness{.weakness = best->weakness, .upstream = best->upstream};
}

std::optional<KnownWeakness> classify_known(const Violation& violation, model::Cluster& cluster,
                                            const Audit& audit) {
  const model::Store& store = cluster.apiserver().store();
  if (violation.invariant == kEveryServiceAccountHasValidToken && references_stuck_token(violation, store)) {
    return KnownWeakness{.weakness = "invalid-token-never-replaced", .upstream = "kubernetes/kubernetes#24928"};
  }
  if (violation.invariant == kOneGeneratedTokenPerAccount && orphaned_by_user_update(violation, store, audit)) {
    return KnownWeakness{.weakness = "orphaned-by-user-update", .upstream = "kubernetes/kubernetes#113532"};
  }
  if (is_eventually(violation.invariant)) {
    if (auto known = explained_by_records(cluster.weaknesses().records(), violation.objects,
                                          evidence_of(store, audit))) {
      return known;
    }
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
