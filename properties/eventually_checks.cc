#include "properties/eventually_checks.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "model/auth/identity.h"
#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"
#include "properties/invariant.h"
#include "properties/secret_keys.h"
#include "properties/token_oracle.h"
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

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// The account being judged and the Secret of its being looked at: the
// oracle's lookups of these very objects are answered from here instead of
// storage's tables, which hold the same pointers (nothing is written during
// an evaluation) but cost a search of every account or Secret each.
struct AtHand {
  model::ObjectPtr account{};
  model::ObjectPtr secret{};
};

// storage's object of `kind`, or the one at hand when it is that one.
model::ObjectPtr stored_or_at_hand(const ScopeView& view, model::Kind kind, const model::ObjectPtr& at_hand,
                                   const std::string& ns, const std::string& name) {
  if (at_hand) {
    const model::ObjectMeta& m = model::meta(*at_hand);
    if (m.name == name && m.namespace_ == ns) return at_hand;
  }
  return view.get(kind, ns, name);
}

// Why one referenced Secret is not a valid token of `sa`, or empty if it is.
// The token oracle judges it as the authenticator must, against storage
// (where the apiserver's caches are once quiescent); a token the oracle
// does not judge (a bound token written into a Secret) is put to the
// apiserver's authenticator, whose answer can change without a commit.
std::string token_problem(model::Cluster& cluster, const TokenOracle& oracle, const ReviewLookup& objects,
                          const ScopeView& view, AtHand& at_hand, const model::ServiceAccount& sa,
                          const std::string& secret_name, bool& asked_authenticator) {
  at_hand.secret = view.get(model::Kind::kSecret, sa.metadata.namespace_, secret_name);
  const auto* secret = model::as<model::Secret>(at_hand.secret);
  if (secret == nullptr) return "not found";
  if (!model::is_service_account_token(*secret, sa)) return "not a token Secret of this account";
  const model::DataValue* token = secret->data_value(keys::kToken);
  if (token == nullptr || token->empty()) return "no token";
  std::string username, uid;
  if (std::optional<ExpectedReview> expected = oracle.judge_stored(*token, cluster.config().service_account_lookup, objects)) {
    if (!expected->authenticated) return "token rejected: " + expected->reason;
    username = expected->username;
    uid = expected->uid;
  } else {
    asked_authenticator = true;
    const model::auth::AuthResult result = cluster.apiserver().authenticate(token->bytes());
    if (result.outcome != model::auth::AuthResult::kAuthenticated) {
      return "token rejected: " + (result.reason.empty() ? std::string("not handled") : result.reason);
    }
    username = result.user.name;
    uid = result.user.uid;
  }
  if (!is_service_account_username(username, sa.metadata.namespace_, sa.metadata.name)) {
    return "token authenticates as " + username;
  }
  if (uid != sa.metadata.uid) return "token authenticates as uid " + uid;
  return "";
}

}  // namespace

CheckOutcome check_namespaces_have_default_serviceaccount(const model::Store& store, sim::Time now, NamespaceScope scope) {
  return check_namespaces_have_default_serviceaccount(ScopeView(store, scope), now);
}

CheckOutcome check_namespaces_have_default_serviceaccount(const ScopeView& view, sim::Time now) {
  CheckOutcome out;
  const std::string default_name(model::kDefaultServiceAccountName);
  for (const model::ObjectPtr& object : view.list(model::Kind::kNamespace)) {
    const std::string& name = model::meta(*object).name;
    if (!view.active(name)) continue;
    ++out.checks;
    if (view.get(model::Kind::kServiceAccount, name, default_name)) continue;
    out.violations.push_back(make(kEveryNamespaceHasDefaultServiceAccount, now,
                                  fmt::format("namespace {} is Active but has no ServiceAccount default", name),
                                  {object_ref(model::Kind::kNamespace, "", name),
                                   object_ref(model::Kind::kServiceAccount, name, default_name)}));
  }
  return out;
}

CheckOutcome check_serviceaccounts_have_valid_token(model::Cluster& cluster, const TokenOracle& oracle, sim::Time now,
                                                    NamespaceScope scope) {
  return check_serviceaccounts_have_valid_token(cluster, oracle, ScopeView(cluster.apiserver().store(), scope), now);
}

CheckOutcome check_serviceaccounts_have_valid_token(model::Cluster& cluster, const TokenOracle& oracle,
                                                    const ScopeView& view, sim::Time now) {
  CheckOutcome out;
  // Only where the release generates tokens (T3; not T3', 1.24-1.25): read
  // from the Behaviour of the release the controller-manager runs now, not
  // from the controller's own options.
  if (!cluster.release(model::versions::Component::kControllerManager).tokens_controller_auto_generates) return out;
  AtHand at_hand;
  const ReviewLookup lookup{
      .secret = [&view, &at_hand](const std::string& ns, const std::string& name) {
        return stored_or_at_hand(view, model::Kind::kSecret, at_hand.secret, ns, name);
      },
      .service_account = [&view, &at_hand](const std::string& ns, const std::string& name) {
        return stored_or_at_hand(view, model::Kind::kServiceAccount, at_hand.account, ns, name);
      }};
  for (const model::ObjectPtr& object : view.list(model::Kind::kServiceAccount)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    if (!view.active(sa.metadata.namespace_)) continue;
    ++out.checks;
    at_hand.account = object;
    std::vector<std::string> problems;
    bool valid = false;
    for (const model::ObjectReference& ref : sa.secrets) {
      std::string problem = token_problem(cluster, oracle, lookup, view, at_hand, sa, ref.name, out.reads_beyond_store);
      if (problem.empty()) {
        valid = true;
        break;
      }
      problems.push_back(ref.name + ": " + problem);
    }
    if (valid) continue;
    const std::string ref = object_ref(*object);
    std::vector<std::string> objects{ref};
    for (const model::ObjectReference& secret : sa.secrets) {
      objects.push_back(object_ref(model::Kind::kSecret, sa.metadata.namespace_, secret.name));
    }
    out.violations.push_back(make(
        kEveryServiceAccountHasValidToken, now,
        sa.secrets.empty() ? fmt::format("{} references no Secret", ref)
                           : fmt::format("{} references no Secret holding a token that authenticates as it ({})", ref,
                                         join(problems, "; ")),
        std::move(objects)));
  }
  return out;
}

CheckOutcome check_token_secrets_belong_to_live_serviceaccounts(const model::Store& store, sim::Time now,
                                                                NamespaceScope scope) {
  return check_token_secrets_belong_to_live_serviceaccounts(ScopeView(store, scope), now);
}

CheckOutcome check_token_secrets_belong_to_live_serviceaccounts(const ScopeView& view, sim::Time now) {
  CheckOutcome out;
  for (const model::ObjectPtr& object : view.list(model::Kind::kSecret)) {
    const auto& secret = std::get<model::Secret>(*object);
    if (secret.type != model::kSecretTypeServiceAccountToken) continue;
    ++out.checks;
    // References are built only for a violation: naming every Secret
    // would cost more than judging it.
    const std::string* name = secret.metadata.annotation(keys::kAccountName);
    if (name == nullptr || name->empty()) {
      const std::string ref = object_ref(*object);
      out.violations.push_back(make(kTokenSecretsBelongToLiveServiceAccounts, now,
                                    fmt::format("{} names no ServiceAccount", ref), {ref}));
      continue;
    }
    const auto* sa = model::as<model::ServiceAccount>(view.get(model::Kind::kServiceAccount, secret.metadata.namespace_, *name));
    if (sa == nullptr) {
      const std::string ref = object_ref(*object);
      const std::string sa_ref = object_ref(model::Kind::kServiceAccount, secret.metadata.namespace_, *name);
      out.violations.push_back(make(kTokenSecretsBelongToLiveServiceAccounts, now,
                                    fmt::format("{} names {}, which does not exist", ref, sa_ref), {ref, sa_ref}));
      continue;
    }
    const std::string* uid = secret.metadata.annotation(keys::kAccountUid);
    if (uid == nullptr || uid->empty() || *uid == sa->metadata.uid) continue;
    const std::string ref = object_ref(*object);
    const std::string sa_ref = object_ref(model::Kind::kServiceAccount, secret.metadata.namespace_, *name);
    out.violations.push_back(make(
        kTokenSecretsBelongToLiveServiceAccounts, now,
        fmt::format("{} belongs to uid {} but {} has uid {}", ref, *uid, sa_ref, sa->metadata.uid), {ref, sa_ref}));
  }
  return out;
}

CheckOutcome check_token_secrets_are_populated(const model::Store& store, const std::string& root_ca, sim::Time now,
                                               NamespaceScope scope) {
  return check_token_secrets_are_populated(ScopeView(store, scope), root_ca, now);
}

CheckOutcome check_token_secrets_are_populated(const ScopeView& view, const std::string& root_ca, sim::Time now) {
  CheckOutcome out;
  // Pointers to the keys made once: no string is built per Secret.
  std::vector<const std::string*> required{&keys::kToken, &keys::kNamespace};
  if (!root_ca.empty()) required.push_back(&keys::kRootCa);
  for (const model::ObjectPtr& object : view.list(model::Kind::kSecret)) {
    const auto& secret = std::get<model::Secret>(*object);
    if (secret.type != model::kSecretTypeServiceAccountToken) continue;
    ++out.checks;
    std::vector<std::string> missing;
    for (const std::string* k : required) {
      const std::string& key = *k;
      const model::DataValue* value = secret.data_value(key);
      if (value == nullptr || value->empty()) missing.push_back(key);
    }
    if (missing.empty()) continue;
    const std::string ref = object_ref(*object);
    out.violations.push_back(make(kTokenSecretsArePopulated, now,
                                  fmt::format("{} lacks {}", ref, join(missing, ", ")), {ref}));
  }
  return out;
}

}  // namespace sasim::properties
