// deleted-tokens-do-not-authenticate: once a token Secret's deletion is
// committed and the apiserver's authenticator cache no longer holds that
// Secret, a review of the last token it held must not authenticate
// (with --service-account-lookup; without it, deleted tokens stay valid by
// design and the invariant says nothing).
//
// The tracker remembers each deleted token Secret's last `token` value as
// the deletion carried it. The value may be a lazy JWT: it is read (and so
// signed) only when a successful review names that Secret in its claims,
// so that deleting thousands of namespaces signs nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/api/token_review.h"
#include "model/apiserver/store.h"
#include "model/client/informer.h"
#include "model/objects/data_value.h"
#include "properties/violation.h"

namespace sasim::properties {

class DeletedTokenTracker {
 public:
  // Remembers a committed deletion of a service-account-token Secret.
  void on_commit(const model::StoreChange& change, sim::Time now);

  // One check per review. A successful review of a legacy token whose
  // claims name a tracked Secret breaks the rule when the token is that
  // Secret's last one, `auth_secrets` (the authenticator's Secret cache)
  // no longer holds that incarnation, and no live Secret of the same name
  // holds the same token again (a re-created copy authenticates rightly).
  CheckOutcome check_review(const model::DataValue& token, const model::TokenReviewResult& result,
                            const model::client::Informer& auth_secrets, const model::Store& store, sim::Time now);

  std::size_t tracked() const;

 private:
  struct Deleted {
    std::string uid;
    model::DataValue token;
    sim::Time deleted_at;
  };
  // Every incarnation of each name, in deletion order.
  std::map<model::ObjectKey, std::vector<Deleted>> deleted_;
};

}  // namespace sasim::properties
