#include "properties/token_secret_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "model/objects/constants.h"
#include "properties/invariant.h"
#include "properties/secret_keys.h"
#include "properties/usernames.h"

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
const model::ServiceAccount* owner(const ScopeView& view, const model::Secret& secret) {
  if (secret.type != model::kSecretTypeServiceAccountToken) return nullptr;
  const std::string* name = annotation(secret, keys::kAccountName);
  if (name == nullptr || name->empty()) return nullptr;
  const auto* sa = model::as<model::ServiceAccount>(view.get(model::Kind::kServiceAccount, secret.metadata.namespace_, *name));
  if (sa == nullptr) return nullptr;
  const std::string* uid = annotation(secret, keys::kAccountUid);
  return uid == nullptr || uid->empty() || *uid == sa->metadata.uid ? sa : nullptr;
}

// What is wrong with `claims` (VerifiedClaims or the LegacyClaims of a token
// nobody read: the same fields), or empty. Every token Secret is judged at
// every evaluation: nothing is built unless a claim is wrong.
template <typename Claims>
std::string claims_problem(const Claims& claims, const model::Secret& secret, const model::ServiceAccount& sa) {
  const std::string* uid_annotation = annotation(secret, keys::kAccountUid);
  const std::string& uid = uid_annotation != nullptr && !uid_annotation->empty() ? *uid_annotation : sa.metadata.uid;
  const std::string& ns = secret.metadata.namespace_;
  std::vector<std::string> wrong;
  auto expect = [&](const char* claim, const std::string& have, std::string_view want) {
    if (have != want) wrong.push_back(fmt::format("{} \"{}\", not \"{}\"", claim, have, want));
  };
  expect("iss", claims.issuer, "kubernetes/serviceaccount");
  if (!is_service_account_username(claims.subject, ns, sa.metadata.name)) {
    expect("sub", claims.subject, std::string(kServiceAccountUsernamePrefix) + ns + ":" + sa.metadata.name);
  }
  expect("namespace", claims.ns, ns);
  expect("secret.name", claims.secret_name, secret.metadata.name);
  expect("service-account.name", claims.service_account_name, sa.metadata.name);
  expect("service-account.uid", claims.service_account_uid, uid);
  if (wrong.empty()) return "";
  std::string out = "claims ";
  for (std::size_t i = 0; i < wrong.size(); ++i) out += (i == 0 ? "" : ", ") + wrong[i];
  return out;
}

// What is wrong with a token the tokens controller wrote, or empty.
std::string token_problem(const model::Secret& secret, const model::ServiceAccount& sa, const TokenOracle& oracle) {
  const model::DataValue* token = secret.data_value(keys::kToken);
  if (const model::auth::LegacyClaims* unread = oracle.unread_claims(*token)) {
    return claims_problem(*unread, secret, sa);
  }
  const std::optional<VerifiedClaims> claims = oracle.verify_stored(*token);
  if (!claims) return "is not a JWT the cluster's signing key signed";
  return claims_problem(*claims, secret, sa);
}

}  // namespace

CheckOutcome check_token_secrets_hold_correct_data(const model::Store& store, const std::string& root_ca,
                                                   const Audit& audit, const TokenOracle& oracle, sim::Time now,
                                                   NamespaceScope scope) {
  return check_token_secrets_hold_correct_data(ScopeView(store, scope), root_ca, audit, oracle, now);
}

CheckOutcome check_token_secrets_hold_correct_data(const ScopeView& view, const std::string& root_ca,
                                                   const Audit& audit, const TokenOracle& oracle, sim::Time now) {
  CheckOutcome out;
  for (const model::ObjectPtr& object : view.list(model::Kind::kSecret)) {
    const auto& secret = std::get<model::Secret>(*object);
    if (!view.active(secret.metadata.namespace_)) continue;
    const model::ServiceAccount* sa = owner(view, secret);
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
  return check_controller_references_resolve(ScopeView(store, scope), audit, now);
}

CheckOutcome check_controller_references_resolve(const ScopeView& view, const Audit& audit, sim::Time now) {
  CheckOutcome out;
  for (const model::ObjectPtr& object : view.list(model::Kind::kServiceAccount)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    if (!view.active(sa.metadata.namespace_)) continue;
    for (const model::ObjectReference& ref : sa.secrets) {
      if (!audit.reference_added_by_tokens_controller(sa.metadata.uid, ref.name)) continue;
      ++out.checks;
      if (view.get(model::Kind::kSecret, sa.metadata.namespace_, ref.name)) continue;
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
  return check_one_generated_token_per_account(ScopeView(store, scope), audit, now);
}

CheckOutcome check_one_generated_token_per_account(const ScopeView& view, const Audit& audit, sim::Time now) {
  CheckOutcome out;
  // The tokens the controller created, by account (namespace, name, uid),
  // keyed by views of the Secrets' own strings (the view's listing keeps
  // them alive): one sorted vector, not a tree of vectors, as every
  // namespace is judged again at every evaluation.
  using Account = std::tuple<std::string_view, std::string_view, std::string_view>;
  std::vector<std::pair<Account, const model::Secret*>> generated;
  for (const model::ObjectPtr& object : view.list(model::Kind::kSecret)) {
    const auto& secret = std::get<model::Secret>(*object);
    if (secret.type != model::kSecretTypeServiceAccountToken) continue;
    if (!audit.created_by_tokens_controller(secret.metadata.uid)) continue;
    const std::string* name = annotation(secret, keys::kAccountName);
    const std::string* uid = annotation(secret, keys::kAccountUid);
    if (name == nullptr || uid == nullptr) continue;
    generated.emplace_back(Account(secret.metadata.namespace_, *name, *uid), &secret);
  }
  const auto by_account = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::sort(generated.begin(), generated.end(), [&](const auto& a, const auto& b) {
    // Oldest first within an account: the later ones are the extra ones.
    if (a.first != b.first) return a.first < b.first;
    return a.second->metadata.resource_version < b.second->metadata.resource_version;
  });
  for (const model::ObjectPtr& object : view.list(model::Kind::kServiceAccount)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    if (!view.active(sa.metadata.namespace_)) continue;
    ++out.checks;
    const std::pair<Account, const model::Secret*> key{
        Account(sa.metadata.namespace_, sa.metadata.name, sa.metadata.uid), nullptr};
    const auto [first, last] = std::equal_range(generated.begin(), generated.end(), key, by_account);
    auto referenced = [&](const model::Secret* s) {
      return std::any_of(sa.secrets.begin(), sa.secrets.end(),
                         [&](const model::ObjectReference& r) { return r.name == s->metadata.name; });
    };
    bool seen_referenced = false;
    for (auto it = first; it != last; ++it) {
      const model::Secret* token = it->second;
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
