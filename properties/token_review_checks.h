// token-reviews-are-correct (always): every token review the apiserver
// answers (a scenario's `authenticate`, a pod's process presenting its
// mounted token) agrees with TokenOracle (token_oracle.h): authenticated
// exactly when the release authenticates, as the same user, uid, groups and
// extra (a pod-bound token's pod), or
// rejected with the same reason. The oracle reads the objects the
// authenticator's lookups read (its informer caches, storage on a miss) at
// the same instant, so a stale cache is no excuse and no false alarm.
#pragma once

#include <string>

#include "model/api/token_review.h"
#include "model/apiserver/store.h"
#include "properties/token_oracle.h"
#include "properties/violation.h"

namespace sasim::properties {

// One check per review the oracle judges; tokens it does not judge (see
// TokenOracle::judge) count no check.
CheckOutcome check_token_review(const model::DataValue& token, const model::TokenReviewResult& result,
                                const TokenOracle& oracle, bool lookup, const ReviewLookup& objects, sim::Time now);

// V7, the other half: kube-apiserver writes a Secret's last-used label only
// when the authenticator's copy (`cached`, as it was at the commit) had
// neither today's nor tomorrow's date, and then writes today's. Judged on
// every commit the apiserver itself makes to a Secret (user
// system:apiserver); other commits count no check.
CheckOutcome check_last_used_write(const model::StoreChange& change, const model::ObjectPtr& cached,
                                   std::int64_t epoch_unix_seconds, sim::Time now);

}  // namespace sasim::properties
