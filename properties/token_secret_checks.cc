#include "properties/token_secret_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "model/objects/constants.h"
#include "properties/invariant.h"
#include "properties/secret_keys.h"

namespace sasim::properties {
namespace {

Violation make(std::string_view invariant, sim::Time now, std::string message, std::vector<std::string> objects) {
  Violation v;
  v.invariant = std::string(invariant);
  v.time = now;
  v.message = std::move(message);
  v.objects = std::move(objects);
  return v;
}

const std::string* annotation(const model::Secret& secret, const std::string& key) {
  return secret.metadata.annotation(key);
}

// The live account a token Secret belongs to, by its annotations (the
// rule of upstream's IsServiceAccountToken, written here again), or null.
const model::ServiceAccount* owner(const ScopedObjects& accounts, const model::Secret& secret) {
  if (secret.type != model::kSecretTypeServiceAccountToken) return nullptr;
  const std::string* name = annotation(secret, keys::kAccountName);
  if (name == nullptr || name->empty()) return nullptr;
  const auto* sa = model::as<model::ServiceAccount>(accounts.get(secret.metadata.namespace_, *name));
  if (sa == nullptr) return nullptr;
  const std::string* uid = annotation(secret, keys::kAccountUid);
  return uid == nullptr || uid->empty() || *uid == sa->metadata.uid ? sa : nullptr;
}

// What is wrong with a token the tokens controller wrote, or empty.
std::string token_problem(const model::Secret& secret, const model::ServiceAccount& sa, const TokenOracle& oracle) {
  const model::DataValue* token = secret.data_value(keys::kToken);
  const std::optional<VerifiedClaims> claims = oracle.verify_stored(*token);
  if (!claims) return "is not a JWT the cluster's signing key signed";
  const std::string* uid_annotation = annotation(secret, keys::kAccountUid);
  const std::string uid = uid_annotation != nullptr && !uid_annotation->empty() ? *uid_annotation : sa.metadata.uid;
  const std::string& ns = secret.metadata.namespace_;
  std::vector<std::string> wrong;
  auto expect = [&](const char* claim, const std::string& have, const std::string& want) {
    if (have != want) wrong.push_back(fmt::format("{} \"{}\", not \"{}\"", claim, have, want));
  };
  expect("iss", claims->issuer, "kubernetes/serviceaccount");
  expect("sub", claims->subject, "system:serviceaccount:" + ns + ":" + sa.metadata.name);
  expect("namespace", claims->ns, ns);
  expect("secret.name", claims->secret_name, secret.metadata.name);
  expect("service-account.name", claims->service_account_name, sa.metadata.name);
  expect("service-account.uid", claims->service_account_uid, uid);
  if (wrong.empty()) return "";
  std::string out = "claims ";
  for (std::size_t i = 0; i < wrong.size(); ++i) out += (i == 0 ? "" : ", ") + wrong[i];
  return out;
}

}  // namespace

CheckOutcome check_token_secrets_hold_correct_data(const model::Store& store, const std::string& root_ca,
                                                   const Audit& audit, const TokenOracle& oracle, sim::Time now,
                                                   NamespaceScope scope) {
  CheckOutcome out;
  ActiveNamespaces active(store);
  const ScopedObjects accounts(store, model::Kind::kServiceAccount, scope);
  for (const model::ObjectPtr& object : list_in_scope(store, model::Kind::kSecret, scope)) {
    const auto& secret = std::get<model::Secret>(*object);
    if (!active(secret.metadata.namespace_)) continue;
    const model::ServiceAccount* sa = owner(accounts, secret);
    if (sa == nullptr) continue;
    ++out.checks;
    std::vector<std::string> problems;
    const Audit::SecretRecord* record = audit.secret_record(secret.metadata.uid);  // both questions, one lookup
    const model::DataValue* ns_value = secret.data_value(keys::kNamespace);
    if (ns_value != nullptr && !ns_value->empty()) {
      // T6 fills in only an empty value: a non-empty one a user wrote last
      // stays, whatever the controller does later.
      const Audit::Write* w = record ? record->last_user_write(model::kServiceAccountNamespaceKey) : nullptr;
      const bool custom = w != nullptr && !w->value.empty();
      const std::string want = custom ? w->value : secret.metadata.namespace_;
      if (ns_value->bytes() != want) {
        problems.push_back(fmt::format("namespace \"{}\" where {} \"{}\"", ns_value->bytes(),
                                       custom ? "a user wrote" : "it lives in", want));
      }
    }
    const model::DataValue* ca = secret.data_value(keys::kRootCa);
    if (!root_ca.empty() && ca != nullptr && !ca->empty() && ca->bytes() != root_ca) {
      problems.push_back(fmt::format("a ca.crt of {} bytes that is not the cluster's root CA", ca->bytes().size()));
    }
    const model::DataValue* token = secret.data_value(keys::kToken);
    const Audit::Write* token_write = record ? record->last_write(model::kServiceAccountTokenKey) : nullptr;
    if (token != nullptr && !token->empty() && token_write != nullptr && token_write->user == kTokensControllerUser) {
      std::string problem = token_problem(secret, *sa, oracle);
      if (!problem.empty()) problems.push_back("a token the tokens controller wrote that " + problem);
    }
    if (problems.empty()) continue;
    // Named only for a violation: building references for every Secret
    // would cost more than judging it.
    const std::string ref = object_ref(*object);
    const std::vector<std::string> objects{ref, object_ref(model::Kind::kServiceAccount, secret.metadata.namespace_,
                                                           sa->metadata.name)};
    std::string message = ref + " holds ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i == 0 ? "" : "; ") + problems[i];
    out.violations.push_back(make(kTokenSecretsHoldCorrectData, now, std::move(message), objects));
  }
  return out;
}

CheckOutcome check_controller_references_resolve(const model::Store& store, const Audit& audit, sim::Time now,
                                                 NamespaceScope scope) {
  CheckOutcome out;
  ActiveNamespaces active(store);
  const ScopedObjects secrets(store, model::Kind::kSecret, scope);
  for (const model::ObjectPtr& object : list_in_scope(store, model::Kind::kServiceAccount, scope)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    if (!active(sa.metadata.namespace_)) continue;
    for (const model::ObjectReference& ref : sa.secrets) {
      if (!audit.reference_added_by_tokens_controller(sa.metadata.uid, ref.name)) continue;
      ++out.checks;
      if (secrets.get(sa.metadata.namespace_, ref.name)) continue;
      const std::string account = object_ref(*object);
      const std::string secret = object_ref(model::Kind::kSecret, sa.metadata.namespace_, ref.name);
      out.violations.push_back(make(kControllerReferencesResolve, now,
                                    fmt::format("{} references {}, a reference the tokens controller added, but "
                                                "no such Secret exists",
                                                account, secret),
                                    {account, secret}));
    }
  }
  return out;
}

CheckOutcome check_one_generated_token_per_account(const model::Store& store, const Audit& audit, sim::Time now,
                                                   NamespaceScope scope) {
  CheckOutcome out;
  // The tokens the controller created, by account (namespace, name, uid),
  // keyed by views of the Secrets' own strings (the listing keeps them alive).
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::vector<const model::Secret*>>
      generated;
  const std::vector<model::ObjectPtr> secrets = list_in_scope(store, model::Kind::kSecret, scope);
  for (const model::ObjectPtr& object : secrets) {
    const auto& secret = std::get<model::Secret>(*object);
    if (secret.type != model::kSecretTypeServiceAccountToken) continue;
    if (!audit.created_by_tokens_controller(secret.metadata.uid)) continue;
    const std::string* name = annotation(secret, keys::kAccountName);
    const std::string* uid = annotation(secret, keys::kAccountUid);
    if (name == nullptr || uid == nullptr) continue;
    generated[{secret.metadata.namespace_, *name, *uid}].push_back(&secret);
  }
  ActiveNamespaces active(store);
  for (const model::ObjectPtr& object : list_in_scope(store, model::Kind::kServiceAccount, scope)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    if (!active(sa.metadata.namespace_)) continue;
    ++out.checks;
    auto it = generated.find(std::tuple<std::string_view, std::string_view, std::string_view>(
        sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid));
    if (it == generated.end()) continue;
    std::vector<const model::Secret*> tokens = it->second;
    // Oldest first: the later ones are the extra ones.
    std::sort(tokens.begin(), tokens.end(), [](const model::Secret* a, const model::Secret* b) {
      return a->metadata.resource_version < b->metadata.resource_version;
    });
    auto referenced = [&](const model::Secret* s) {
      return std::any_of(sa.secrets.begin(), sa.secrets.end(),
                         [&](const model::ObjectReference& r) { return r.name == s->metadata.name; });
    };
    bool seen_referenced = false;
    for (const model::Secret* token : tokens) {
      const bool is_referenced = referenced(token);
      // References are built only for a violation: most accounts have one
      // referenced token, and naming it would cost more than judging it.
      if (is_referenced && !seen_referenced) {
        seen_referenced = true;
        continue;
      }
      const std::string account = object_ref(*object);
      const std::string ref = object_ref(model::Kind::kSecret, token->metadata.namespace_, token->metadata.name);
      if (!is_referenced) {
        out.violations.push_back(make(kOneGeneratedTokenPerAccount, now,
                                      fmt::format("{} is a token the tokens controller generated for {}, which "
                                                  "does not reference it",
                                                  ref, account),
                                      {ref, account}));
      } else if (seen_referenced) {
        out.violations.push_back(make(kOneGeneratedTokenPerAccount, now,
                                      fmt::format("{} references {}, a second token the tokens controller "
                                                  "generated for it",
                                                  account, ref),
                                      {ref, account}));
      }
    }
  }
  return out;
}

}  // namespace sasim::properties
