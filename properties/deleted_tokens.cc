#include "properties/deleted_tokens.h"

#include <fmt/format.h>

#include "model/auth/bound_token.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/objects/constants.h"
#include "properties/invariant.h"
#include "sim/duration_text.h"

namespace sasim::properties {
namespace {

const model::DataValue* token_of(const model::Secret& secret) {
  return secret.data_value(std::string(model::kServiceAccountTokenKey));
}

// The Secret a legacy token names in its claims, without verifying it: the
// authenticator already did, for a review that succeeded. Parsed the most
// lenient way (1.20's), which takes whatever any era's authenticator took.
std::optional<model::ObjectKey> named_secret(const std::string& token) {
  auto jwt = model::auth::parse_jwt(token, model::auth::JwsParsing::kGoJoseV2);
  if (!jwt) return std::nullopt;
  auto claims = model::auth::legacy_claims_from_json(jwt.value().claims);
  if (!claims || claims.value().secret_name.empty()) return std::nullopt;
  return model::ObjectKey{claims.value().ns, claims.value().secret_name};
}

}  // namespace

void DeletedTokenTracker::on_commit(const model::StoreChange& change, sim::Time now) {
  if (change.type != model::WatchEventType::kDeleted) return;
  const auto* secret = model::as<model::Secret>(change.object);
  if (secret == nullptr || secret->type != model::kSecretTypeServiceAccountToken) return;
  const model::DataValue* token = token_of(*secret);
  if (token == nullptr || token->empty()) return;
  deleted_[model::ObjectKey{secret->metadata.namespace_, secret->metadata.name}].push_back(
      Deleted{secret->metadata.uid, *token, now});
}

CheckOutcome DeletedTokenTracker::check_review(const model::DataValue& presented, const model::TokenReviewResult& result,
                                               const model::client::Informer& auth_secrets,
                                               const model::Store& store, sim::Time now) {
  CheckOutcome out;
  out.checks = 1;
  // Nothing deleted, nothing to match: the claims are not even read (a
  // review's token would otherwise be parsed once more for every
  // presentation, and for every run of them, of a cluster that deletes no
  // token Secret).
  if (!result.authenticated || deleted_.empty()) return out;
  // A bound token nobody read names no Secret in the legacy claims (its
  // binding to a Secret is bound-tokens-respect-their-objects' concern):
  // not signed only to find that out.
  if (dynamic_cast<const model::auth::BoundToken*>(presented.lazy()) != nullptr) return out;
  const std::string& token = presented.bytes();
  std::optional<model::ObjectKey> key = named_secret(token);
  if (!key) return out;
  auto it = deleted_.find(*key);
  if (it == deleted_.end()) return out;
  const model::ObjectPtr cached = auth_secrets.get(key->namespace_, key->name);
  const auto* live = model::as<model::Secret>(store.get(model::Kind::kSecret, key->namespace_, key->name));
  for (const Deleted& gone : it->second) {
    // Until the cache has dropped this incarnation the authenticator may
    // rightly accept it: the invariant starts once the deletion is seen.
    if (cached && model::meta(*cached).uid == gone.uid) continue;
    if (gone.token.bytes() != token) continue;
    if (live != nullptr) {
      const model::DataValue* again = token_of(*live);
      if (again != nullptr && again->bytes() == token) continue;
    }
    const std::string ref = object_ref(model::Kind::kSecret, key->namespace_, key->name);
    Violation v;
    v.invariant = std::string(kDeletedTokensDoNotAuthenticate);
    v.time = now;
    v.message = fmt::format(
        "the token of {} (uid {}, deleted at {}) authenticated as {} after the apiserver's cache had dropped the "
        "Secret",
        ref, gone.uid, sim::format_time(gone.deleted_at), result.username);
    v.objects.push_back(ref);
    out.violations.push_back(std::move(v));
    break;  // one review, one violation, whichever incarnation it was
  }
  return out;
}

std::size_t DeletedTokenTracker::tracked() const {
  std::size_t n = 0;
  for (const auto& [key, incarnations] : deleted_) n += incarnations.size();
  return n;
}

}  // namespace sasim::properties
