// TokenRequest end to end: POST serviceaccounts/NAME/token through kubectl
// to the apiserver, and the bound token it returns presented back in a
// TokenReview, as IT-28 (TestServiceAccountTokenCreate) does against a real
// apiserver: the user and its pod extra, audiences, the bound pod's and the
// account's lifetimes, with 1.20's capitalised messages.
#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/cluster/test_harness.h"

namespace sasim::model {
namespace token_request_test {

using testing::Harness;

struct World {
  Harness h{11};
  World() { h.settle(); }

  ApiResponse token_request(const std::string& account, TokenRequest body) {
    auto request = Harness::request(Verb::kCreate, Kind::kServiceAccount, "default", account);
    request->subresource = "token";
    request->token_request = std::make_shared<const TokenRequest>(std::move(body));
    return h.send(std::move(request));
  }
  std::string token(const std::string& account, TokenRequest body = {}) {
    const ApiResponse response = token_request(account, std::move(body));
    REQUIRE(response.ok());
    REQUIRE(response.token_request);
    REQUIRE(response.token_request->token);
    return response.token_request->token->bytes();
  }
  TokenReviewResult review(const std::string& token, std::vector<std::string> audiences = {}) {
    std::optional<TokenReviewResult> result;
    h.cluster.review_token(token, [&](TokenReviewResult r) { result = std::move(r); }, std::move(audiences));
    h.simulator.run({.stop_when = [&] { return result.has_value(); }});
    REQUIRE(result);
    return std::move(*result);
  }
  std::string uid_of(Kind kind, const std::string& name) {
    const ObjectPtr object = h.store().get(kind, "default", name);
    REQUIRE(object);
    return meta(*object).uid;
  }
};

TokenRequest bound_to_pod(std::string name, std::string uid = "") {
  TokenRequest body;
  body.bound_object_ref = BoundObjectReference{"Pod", "v1", std::move(name), std::move(uid)};
  return body;
}

TEST_CASE("a TokenRequest's token authenticates as its account with the claim's uid and no extra") {
  World w;
  const ApiResponse response = w.token_request("default", {});
  REQUIRE(response.ok());
  CHECK(response.describe().rfind("201 tokenrequest jwt(RS256", 0) == 0);
  // The default audiences are the apiserver's (its issuer), the default lifetime an hour.
  CHECK(response.token_request->audiences == std::vector<std::string>{"https://kubernetes.default.svc.cluster.local"});
  CHECK(response.token_request->expiration_seconds == 3600);
  // B10: served at the apiserver's moment, an hour later.
  REQUIRE(response.token_request->expiration_timestamp);
  const sim::Time served = *response.token_request->expiration_timestamp - sim::Duration::seconds(3600);
  CHECK(served <= w.h.simulator.now());
  CHECK(served + sim::Duration::seconds(1) > w.h.simulator.now());
  const TokenReviewResult result = w.review(response.token_request->token->bytes());
  REQUIRE(result.authenticated);
  CHECK(result.username == "system:serviceaccount:default:default");
  CHECK(result.uid == w.uid_of(Kind::kServiceAccount, "default"));
  CHECK(result.groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:default"});
  CHECK(result.extra.empty());
}

TEST_CASE("a TokenRequest for a missing account is 404 and an invalid one 422") {
  World w;
  const ApiResponse missing = w.token_request("nobody", {});
  REQUIRE(missing.error);
  CHECK(missing.error->code == 404);
  CHECK(missing.error->message == "serviceaccounts \"nobody\" not found");
  TokenRequest short_lived;
  short_lived.expiration_seconds = 5;
  // 1.20 validates before it looks the account up (B2).
  const ApiResponse invalid = w.token_request("nobody", short_lived);
  REQUIRE(invalid.error);
  CHECK(invalid.error->code == 422);
}

TEST_CASE("a token for other audiences is refused by the apiserver and accepted by a TokenReview for them") {
  World w;
  TokenRequest body;
  body.audiences = {"vault"};
  const std::string token = w.token("default", body);
  const TokenReviewResult api = w.review(token);
  CHECK_FALSE(api.authenticated);
  CHECK(api.error.find("token audiences [\"vault\"] is invalid for the target audiences") != std::string::npos);
  CHECK(w.review(token, {"vault"}).authenticated);
  CHECK(w.review(token, {"vault", "other"}).authenticated);
  CHECK_FALSE(w.review(token, {"other"}).authenticated);
}

TEST_CASE("a pod-bound token carries the pod in user extra and is invalidated when the pod goes") {
  World w;
  REQUIRE(w.h.create(testing::pod("default", "web", "default")).ok());
  w.h.settle();
  const std::string pod_uid = w.uid_of(Kind::kPod, "web");
  const std::string token = w.token("default", bound_to_pod("web", pod_uid));
  const TokenReviewResult bound = w.review(token);
  REQUIRE(bound.authenticated);
  CHECK(bound.extra == std::map<std::string, std::vector<std::string>>{
                           {"authentication.kubernetes.io/pod-name", {"web"}},
                           {"authentication.kubernetes.io/pod-uid", {pod_uid}}});
  REQUIRE(w.h.remove(Kind::kPod, "default", "web").ok());
  w.h.settle();
  REQUIRE(w.h.store().get(Kind::kPod, "default", "web") == nullptr);
  const TokenReviewResult gone = w.review(token);
  CHECK_FALSE(gone.authenticated);
  CHECK(gone.error == "Token has been invalidated");
}

TEST_CASE("a pod-bound token of a pod recreated under its name fails the uid check") {
  World w;
  REQUIRE(w.h.create(testing::pod("default", "web", "default")).ok());
  w.h.settle();
  const std::string old_uid = w.uid_of(Kind::kPod, "web");
  const std::string token = w.token("default", bound_to_pod("web"));
  REQUIRE(w.h.remove(Kind::kPod, "default", "web").ok());
  w.h.settle();
  REQUIRE(w.h.create(testing::pod("default", "web", "default")).ok());
  w.h.settle();
  const std::string new_uid = w.uid_of(Kind::kPod, "web");
  REQUIRE(new_uid != old_uid);
  CHECK(w.review(token).error == "Pod UID (" + new_uid + ") does not match claim (" + old_uid + ")");
  // A request naming the old uid is now a conflict.
  const ApiResponse stale = w.token_request("default", bound_to_pod("web", old_uid));
  REQUIRE(stale.error);
  CHECK(stale.error->code == 409);
}

TEST_CASE("kubernetes 106049: a recreated account's bound tokens fail its uid check") {
  World w;
  REQUIRE(w.h.create(testing::service_account("default", "builder")).ok());
  w.h.settle();
  const std::string old_uid = w.uid_of(Kind::kServiceAccount, "builder");
  const std::string token = w.token("builder");
  REQUIRE(w.review(token).authenticated);
  REQUIRE(w.h.remove(Kind::kServiceAccount, "default", "builder").ok());
  w.h.settle();
  CHECK(w.review(token).error == "serviceaccounts \"builder\" not found");
  REQUIRE(w.h.create(testing::service_account("default", "builder")).ok());
  w.h.settle();
  const std::string new_uid = w.uid_of(Kind::kServiceAccount, "builder");
  CHECK(w.review(token).error == "ServiceAccount UID (" + new_uid + ") does not match claim (" + old_uid + ")");
  CHECK(w.review(w.token("builder")).authenticated);
}

TEST_CASE("a bound token expires 60 seconds after its exp and not before") {
  World w;
  TokenRequest body;
  body.expiration_seconds = 600;
  const ApiResponse response = w.token_request("default", body);
  REQUIRE(response.ok());
  const std::string token = response.token_request->token->bytes();
  // exp is the served second, truncated, plus 600: 58 s past the status's
  // expiration is within the leeway whatever the fraction, 61 s is not.
  const sim::Time expiration = *response.token_request->expiration_timestamp;
  w.h.simulator.run({.until = expiration + sim::Duration::seconds(58)});
  CHECK(w.review(token).authenticated);
  w.h.simulator.run({.until = expiration + sim::Duration::seconds(61)});
  const TokenReviewResult expired = w.review(token);
  CHECK_FALSE(expired.authenticated);
  CHECK(expired.error == "Token has expired.");
}

// Key rotation: a token signed by another key authenticates only when that
// key's public half is one of the verification keys.
TEST_CASE("verification keys: a token signed with another configured key authenticates") {
  auto ec = auth::SigningKey::from_pem(auth::builtin_ec_key_pem());
  REQUIRE(ec.ok());
  auto other = std::make_shared<const auth::SigningKey>(ec.value());
  for (bool configured : {false, true}) {
    CAPTURE(configured);
    ClusterConfig config = default_cluster_config();
    if (configured) config.verification_keys.push_back(other->public_key());
    Harness h(13, config);
    h.settle();
    // Minted as an apiserver with the old key would have minted it.
    TokenIssuerConfig issuer;
    issuer.key = other;
    const TokenRequestOutcome minted = create_token(config.behaviour, issuer, h.store(), "default", "default", {},
                                                    TokenRequestContext{h.simulator.now(), 1577836800});
    REQUIRE(minted.response);
    std::optional<TokenReviewResult> result;
    h.cluster.review_token(minted.response->token->bytes(), [&](TokenReviewResult r) { result = std::move(r); });
    h.simulator.run({.stop_when = [&] { return result.has_value(); }});
    REQUIRE(result);
    CHECK(result->authenticated == configured);
  }
}

}  // namespace token_request_test
}  // namespace sasim::model
