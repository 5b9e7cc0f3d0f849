// deleted-tokens-do-not-authenticate: after a token Secret is deleted, the
// real apiserver rejects its token (the pod's process and a user's review
// both see it); a review that succeeds once the authenticator's cache has
// dropped the Secret is a violation, one that succeeds before is not.
#include <catch2/catch.hpp>

#include "model/auth/identity.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace deleted_tokens_test {

using testing::Harness;
using testing::only;

std::string token_of(const Harness& h, const std::string& secret) {
  const auto* s = model::as<model::Secret>(h.store().get(model::Kind::kSecret, "default", secret));
  REQUIRE(s != nullptr);
  return s->data_value("token")->bytes();
}

model::TokenReviewResult accepted() {
  model::TokenReviewResult r;
  r.authenticated = true;
  r.username = model::auth::service_account_username("default", "default");
  return r;
}

bool auth_cache_has(const Harness& h, const std::string& secret) {
  return h.cluster.apiserver().auth_cache(model::Kind::kSecret).get("default", secret) != nullptr;
}

TEST_CASE("a deleted token Secret's token is rejected for the pod and for a review") {
  Harness h(81);
  InvariantChecker checker(h.cluster, only(kDeletedTokensDoNotAuthenticate));
  checker.attach();
  h.settle();
  REQUIRE(h.create(model::Object(testing::pod("default", "app"))).ok());
  h.run_for(sim::Duration::minutes(1));
  const std::string secret = testing::first_token_name(h, "default", "default");
  const std::string token = token_of(h, secret);
  REQUIRE(h.remove(model::Kind::kSecret, "default", secret).ok());
  h.run_for(sim::Duration::minutes(1));

  std::optional<model::TokenReviewResult> review;
  h.cluster.review_token(token, [&](model::TokenReviewResult r) { review = std::move(r); });
  h.simulator.run({.stop_when = [&] { return review.has_value(); }});
  REQUIRE(review.has_value());
  CHECK_FALSE(review->authenticated);
  const auto& log = h.cluster.kubelet().auth_log();
  REQUIRE_FALSE(log.empty());
  CHECK_FALSE(log.back().authenticated);

  const InvariantResult* r = checker.result(kDeletedTokensDoNotAuthenticate);
  CHECK(r->held());
  // Every review counts: the pod's process every 10 s, then ours.
  CHECK(r->checks >= 10);
}

TEST_CASE("a deleted token that authenticates after the cache dropped its Secret is a violation") {
  Harness h(82);
  InvariantChecker checker(h.cluster, only(kDeletedTokensDoNotAuthenticate));
  checker.attach();
  h.settle();
  const std::string secret = testing::first_token_name(h, "default", "default");
  const std::string token = token_of(h, secret);
  REQUIRE(h.remove(model::Kind::kSecret, "default", secret).ok());

  // The answer to the delete arrives before the apiserver's own watch
  // delivers it to the authenticator's cache: accepting now is allowed.
  REQUIRE(auth_cache_has(h, secret));
  checker.on_token_review(token, accepted(), h.simulator.now());
  const InvariantResult* r = checker.result(kDeletedTokensDoNotAuthenticate);
  CHECK(r->held());

  h.run_for(sim::Duration::seconds(1));
  REQUIRE_FALSE(auth_cache_has(h, secret));
  checker.on_token_review(token, accepted(), h.simulator.now());
  REQUIRE(r->violation_count == 1);
  const Violation& v = r->violations[0];
  CHECK(v.objects == std::vector<std::string>{"secret/default/" + secret});
  CHECK(v.message.find("authenticated as system:serviceaccount:default:default after the apiserver's cache had "
                       "dropped the Secret") != std::string::npos);
  CHECK(r->checks == 2);

  // A rejected review, or another token, is fine.
  model::TokenReviewResult rejected;
  checker.on_token_review(token, rejected, h.simulator.now());
  checker.on_token_review("not-a-jwt", accepted(), h.simulator.now());
  CHECK(r->violation_count == 1);
}

TEST_CASE("without serviceAccountLookup deleted tokens are not watched") {
  model::ClusterConfig config = model::default_cluster_config();
  config.service_account_lookup = false;
  Harness h(83, config);
  InvariantChecker checker(h.cluster, only(kDeletedTokensDoNotAuthenticate));
  checker.attach();
  h.settle();
  const std::string secret = testing::first_token_name(h, "default", "default");
  const std::string token = token_of(h, secret);
  REQUIRE(h.remove(model::Kind::kSecret, "default", secret).ok());
  h.run_for(sim::Duration::seconds(1));
  // Upstream accepts it without the lookup; the invariant says nothing then.
  CHECK(h.cluster.apiserver().authenticate(token).outcome == model::auth::AuthResult::kAuthenticated);
  checker.on_token_review(token, accepted(), h.simulator.now());
  const InvariantResult* r = checker.result(kDeletedTokensDoNotAuthenticate);
  CHECK(r->held());
  CHECK(r->checks == 0);
}

}  // namespace deleted_tokens_test
}  // namespace sasim::properties
