#include "properties/token_review_checks.h"

#include <fmt/format.h>

#include "properties/invariant.h"

namespace sasim::properties {
namespace {

// A token shortened for messages: its start and end, never a whole JWT.
std::string abbreviated(const std::string& token) {
  if (token.size() <= 24) return token;
  return token.substr(0, 12) + "..." + token.substr(token.size() - 8);
}

std::string answer(bool authenticated, const std::string& user, const std::string& uid, const std::string& reason) {
  return authenticated ? fmt::format("authenticated as {} (uid {})", user, uid) : fmt::format("rejected (\"{}\")", reason);
}

}  // namespace

CheckOutcome check_token_review(const std::string& token, const model::TokenReviewResult& result,
                                const TokenOracle& oracle, bool lookup, const ReviewLookup& objects, sim::Time now) {
  CheckOutcome out;
  const std::optional<ExpectedReview> expected = oracle.judge(token, lookup, objects);
  if (!expected) return out;
  out.checks = 1;
  bool agrees = expected->authenticated == result.authenticated;
  if (agrees && expected->authenticated) {
    agrees = expected->username == result.username && expected->uid == result.uid &&
             expected->groups == result.groups && expected->extra == result.extra;
  } else if (agrees) {
    agrees = expected->reason == result.error;
  }
  if (agrees) return out;
  Violation v;
  v.invariant = std::string(kTokenReviewsAreCorrect);
  v.time = now;
  v.message = fmt::format("the token {} was {}, but Kubernetes answers: {}", abbreviated(token),
                          answer(result.authenticated, result.username, result.uid, result.error),
                          answer(expected->authenticated, expected->username, expected->uid, expected->reason));
  // The account the token names, when its claims can be read at all.
  if (auto claims = oracle.verify(token)) {
    if (!claims->ns.empty() && !claims->secret_name.empty()) {
      v.objects.push_back(object_ref(model::Kind::kSecret, claims->ns, claims->secret_name));
    }
    if (!claims->ns.empty() && !claims->service_account_name.empty()) {
      v.objects.push_back(object_ref(model::Kind::kServiceAccount, claims->ns, claims->service_account_name));
    }
  }
  out.violations.push_back(std::move(v));
  return out;
}

}  // namespace sasim::properties
