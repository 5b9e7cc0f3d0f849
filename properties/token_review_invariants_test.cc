// token-reviews-are-correct: a review's answer against the oracle's, and a
// running cluster whose pods and reviews all agree with it.
#include "properties/token_review_checks.h"

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/lazy_token.h"
#include "model/auth/signing_key.h"
#include "properties/invariant.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace {

TEST_CASE("a review that disagrees with the oracle is a violation") {
  auto k = model::auth::SigningKey::from_pem(model::auth::builtin_ec_key_pem());
  REQUIRE(k.ok());
  auto signer = std::make_shared<const model::auth::SigningKey>(std::move(k).value());
  const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
  const std::string token = model::auth::make_legacy_token(signer, "default", "robot", "u1", "robot-token-a", 1)->bytes();
  const ReviewLookup nothing{.secret = [](const std::string&, const std::string&) { return model::ObjectPtr(); },
                             .service_account = [](const std::string&, const std::string&) { return model::ObjectPtr(); }};
  model::TokenReviewResult accepted;
  accepted.authenticated = true;
  accepted.username = "system:serviceaccount:default:robot";
  accepted.uid = "u1";
  accepted.groups = {"system:serviceaccounts", "system:serviceaccounts:default"};
  // Without lookup the signature and claims suffice.
  CHECK(check_token_review(token, accepted, oracle, false, nothing, sim::Time::zero()).violations.empty());
  // With lookup, a token whose Secret is gone is invalidated.
  CheckOutcome out = check_token_review(token, accepted, oracle, true, nothing, sim::Time::zero());
  REQUIRE(out.violations.size() == 1);
  CHECK(out.violations[0].message.find("but Kubernetes answers: rejected (\"Token has been invalidated\")") !=
        std::string::npos);
  CHECK(out.violations[0].objects ==
        std::vector<std::string>{"secret/default/robot-token-a", "serviceaccount/default/robot"});
  model::TokenReviewResult rejected;
  rejected.error = "Token has been invalidated";
  CHECK(check_token_review(token, rejected, oracle, true, nothing, sim::Time::zero()).violations.empty());
  rejected.error = "invalid bearer token";
  CHECK(check_token_review(token, rejected, oracle, true, nothing, sim::Time::zero()).violations.size() == 1);
  // Another uid than the claim's is wrong too.
  accepted.uid = "u2";
  CHECK(check_token_review(token, accepted, oracle, false, nothing, sim::Time::zero()).violations.size() == 1);
}

TEST_CASE("every review on a running cluster agrees with the oracle") {
  testing::Harness h(99);
  InvariantChecker checker(h.cluster, testing::only(kTokenReviewsAreCorrect));
  checker.attach();
  h.settle();
  REQUIRE(h.create(model::Object(testing::pod("default", "web"))).ok());
  h.run_for(sim::Duration::minutes(1));
  const std::string token = testing::first_token_name(h, "default", "default");
  REQUIRE(h.remove(model::Kind::kSecret, "default", token).ok());
  h.run_for(sim::Duration::minutes(3));  // the pod keeps its old token for a sync period
  // Presentations in the kubelet's idle runs reach the checker when accounted for.
  h.cluster.kubelet().account_idle_runs();
  const InvariantResult* r = checker.result(kTokenReviewsAreCorrect);
  CHECK(r->checks > 10);
  CHECK(r->held());
}

}  // namespace
}  // namespace sasim::properties
