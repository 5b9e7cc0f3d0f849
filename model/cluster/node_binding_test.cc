// 1.29+ bound tokens through the whole control plane: tokens bound to a
// Node (B6, ServiceAccountTokenNodeBinding) and their validation (BV5,
// ServiceAccountTokenNodeBindingValidation), the node and jti of pod-bound
// tokens (ServiceAccountTokenPodNodeInfo, ServiceAccountTokenJTI) as user
// extra (BV7), and the validator's release differences that only a cluster
// shows end to end: 1.27's iat check, 1.30's uid-before-deletion order and
// 1.32's issuer check after verification.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/auth/jwt.h"
#include "model/cluster/test_harness.h"
#include "model/objects/timestamp.h"
#include "model/versions/behaviour.h"

namespace sasim::model {
namespace {

using testing::Harness;
using testing::release;

struct World {
  Harness h;
  explicit World(int minor, const std::map<std::string, bool>& gates = {}) : h(90 + minor, release(minor, gates)) {
    h.settle();
  }
  ApiResponse token_request(const std::string& account, std::optional<BoundObjectReference> ref) {
    auto request = Harness::request(Verb::kCreate, Kind::kServiceAccount, "default", account);
    request->subresource = "token";
    TokenRequest body;
    body.bound_object_ref = std::move(ref);
    request->token_request = std::make_shared<const TokenRequest>(std::move(body));
    return h.send(std::move(request));
  }
  std::string token(const std::string& account, std::optional<BoundObjectReference> ref) {
    const ApiResponse response = token_request(account, std::move(ref));
    INFO((response.error ? response.error->message : std::string()));
    REQUIRE(response.ok());
    return response.token_request->token->bytes();
  }
  TokenReviewResult review(const std::string& token) {
    std::optional<TokenReviewResult> result;
    h.cluster.review_token(token, [&](TokenReviewResult r) { result = std::move(r); });
    h.simulator.run({.stop_when = [&] { return result.has_value(); }});
    REQUIRE(result);
    return std::move(*result);
  }
  std::string uid_of(Kind kind, const std::string& ns, const std::string& name) {
    const ObjectPtr object = h.store().get(kind, ns, name);
    REQUIRE(object);
    return meta(*object).uid;
  }
  // A bound token for `default/default` with these claims, signed with the cluster's key.
  std::string sign(nlohmann::json claims) {
    sim::Prng entropy(5);
    return auth::sign_jwt(*h.cluster.config().signing_key, claims, entropy);
  }
  std::int64_t now_unix() {
    return wall_seconds(h.simulator.now(), h.cluster.config().apiserver.epoch_unix_seconds);
  }
};

BoundObjectReference node_ref(std::string name, std::string uid = "") {
  return BoundObjectReference{"Node", "v1", std::move(name), std::move(uid)};
}

TEST_CASE("B6: a TokenRequest bound to a Node - per release") {
  SECTION("1.28 knows no such binding") {
    World w(28);
    const ApiResponse r = w.token_request("default", node_ref("node-1"));
    REQUIRE(r.error);
    CHECK(r.error->code == 400);
    CHECK(r.error->message == "cannot bind token to object of type /v1, Kind=Node");
  }
  SECTION("1.30: the alpha gate is off") {
    World w(30);
    const ApiResponse r = w.token_request("default", node_ref("node-1"));
    REQUIRE(r.error);
    CHECK(r.error->code == 400);
    CHECK(r.error->message ==
          "cannot bind token to a Node object as the \"ServiceAccountTokenNodeBinding\" feature-gate is disabled");
  }
  SECTION("1.31: a missing node is 404, another uid 409") {
    World w(31);
    const ApiResponse missing = w.token_request("default", node_ref("node-9"));
    REQUIRE(missing.error);
    CHECK(missing.error->code == 404);
    CHECK(missing.error->message == "nodes \"node-9\" not found");
    const ApiResponse other = w.token_request("default", node_ref("node-1", "not-its-uid"));
    REQUIRE(other.error);
    CHECK(other.error->code == 409);
    CHECK(other.error->message ==
          "Operation cannot be fulfilled on Node \"node-1\": the UID in the bound object reference (not-its-uid) does "
          "not match the UID in record. The object might have been deleted and then recreated");
  }
}

TEST_CASE("BV5/BV7: a 1.31 node-bound token names its node and credential - and dies with the node") {
  World w(31);
  const std::string node_uid = w.uid_of(Kind::kNode, "", "node-1");
  const std::string token = w.token("default", node_ref("node-1"));
  const auto claims = auth::bound_claims_from_json(auth::parse_jwt(token, auth::JwsParsing::kCompactOnly).value().claims);
  REQUIRE(claims.ok());
  REQUIRE(claims.value().node);
  CHECK(claims.value().node->uid == node_uid);
  CHECK(claims.value().jti.size() == 36);  // a UUID
  const TokenReviewResult ok = w.review(token);
  REQUIRE(ok.authenticated);
  CHECK(ok.extra == std::map<std::string, std::vector<std::string>>{
                        {"authentication.kubernetes.io/credential-id", {"JTI=" + claims.value().jti}},
                        {"authentication.kubernetes.io/node-name", {"node-1"}},
                        {"authentication.kubernetes.io/node-uid", {node_uid}}});
  REQUIRE(w.h.remove(Kind::kNode, "", "node-1").ok());
  const TokenReviewResult gone = w.review(token);
  CHECK_FALSE(gone.authenticated);
  CHECK(gone.error == "service account token has been invalidated");
}

TEST_CASE("BV5: 1.29 with node binding but not its validation mints tokens it then refuses") {
  World w(29, {{"ServiceAccountTokenNodeBinding", true}});
  const TokenReviewResult result = w.review(w.token("default", node_ref("node-1")));
  CHECK_FALSE(result.authenticated);
  CHECK(result.error ==
        "token is bound to a Node object but the ServiceAccountTokenNodeBindingValidation feature gate is disabled");
}

TEST_CASE("B6/BV7: from 1.30 a pod-bound token carries its node and jti into the user's extra - 1.29 does not") {
  for (int minor : {29, 30}) {
    INFO("1." << minor);
    World w(minor);
    REQUIRE(w.h.create(testing::pod("default", "web")).ok());
    w.h.settle();
    const std::string pod_uid = w.uid_of(Kind::kPod, "default", "web");
    const TokenReviewResult result =
        w.review(w.token("default", BoundObjectReference{"Pod", "v1", "web", ""}));
    REQUIRE(result.authenticated);
    CHECK(result.extra.at("authentication.kubernetes.io/pod-name") == std::vector<std::string>{"web"});
    CHECK(result.extra.at("authentication.kubernetes.io/pod-uid") == std::vector<std::string>{pod_uid});
    if (minor == 29) {
      CHECK(result.extra.size() == 2);  // IT-28's two entries: both gates are alpha
    } else {
      CHECK(result.extra.at("authentication.kubernetes.io/node-name") == std::vector<std::string>{"node-1"});
      CHECK(result.extra.at("authentication.kubernetes.io/node-uid") ==
            std::vector<std::string>{w.uid_of(Kind::kNode, "", "node-1")});
      CHECK(result.extra.at("authentication.kubernetes.io/credential-id").front().rfind("JTI=", 0) == 0);
    }
  }
}

TEST_CASE("BV3 on a cluster: 1.27 rejects a token issued in the future - 1.26 does not") {
  for (int minor : {26, 27}) {
    INFO("1." << minor);
    World w(minor);
    const std::int64_t now = w.now_unix();
    nlohmann::json claims = auth::to_json(auth::make_bound_claims(
        "https://kubernetes.default.svc.cluster.local", "default",
        auth::ClaimRef{"default", w.uid_of(Kind::kServiceAccount, "default", "default")}, {}, 3600, 0,
        {"https://kubernetes.default.svc.cluster.local"}, now, {}).value());
    claims["iat"] = now + 3600;
    const TokenReviewResult result = w.review(w.sign(claims));
    if (minor == 26) {
      CHECK(result.authenticated);
    } else {
      CHECK_FALSE(result.authenticated);
      CHECK(result.error == "service account token is issued in the future");
    }
  }
}

TEST_CASE("BV4 on a cluster: from 1.30 a recreated account's uid is reported before its deletion") {
  for (int minor : {29, 30}) {
    INFO("1." << minor);
    World w(minor);
    REQUIRE(w.h.create(testing::service_account("default", "app")).ok());
    w.h.settle();
    const std::string old_uid = w.uid_of(Kind::kServiceAccount, "default", "app");
    const std::string token = w.token("app", std::nullopt);
    REQUIRE(w.h.remove(Kind::kServiceAccount, "default", "app").ok());
    w.h.settle();
    // Recreated, held by a finalizer, and deleted again more than a minute ago.
    ServiceAccount again;
    again.metadata.namespace_ = "default";
    again.metadata.name = "app";
    again.metadata.finalizers = {"example.com/hold"};
    REQUIRE(w.h.create(Object(again)).ok());
    const std::string new_uid = w.uid_of(Kind::kServiceAccount, "default", "app");
    REQUIRE(w.h.remove(Kind::kServiceAccount, "default", "app").ok());
    w.h.run_for(sim::Duration::seconds(62));
    const TokenReviewResult result = w.review(token);
    CHECK_FALSE(result.authenticated);
    if (minor == 29) {
      CHECK(result.error == "service account default/app has been deleted");
    } else {
      CHECK(result.error == "service account UID (" + new_uid + ") does not match claim (" + old_uid + ")");
    }
  }
}

TEST_CASE("V4 on a cluster: a bound token whose verified issuer is not accepted passes 1.31 - not 1.32") {
  for (int minor : {31, 32}) {
    INFO("1." << minor);
    World w(minor);
    const std::int64_t now = w.now_unix();
    nlohmann::json claims = auth::to_json(auth::make_bound_claims(
        "https://kubernetes.default.svc.cluster.local", "default",
        auth::ClaimRef{"default", w.uid_of(Kind::kServiceAccount, "default", "default")}, {}, 3600, 0,
        {"https://kubernetes.default.svc.cluster.local"}, now, {}).value());
    // The unverified pre-check folds case; the verified claims do not.
    claims["ISS"] = claims["iss"];
    claims.erase("iss");
    const TokenReviewResult result = w.review(w.sign(claims));
    if (minor == 31) {
      CHECK(result.authenticated);
    } else {
      CHECK_FALSE(result.authenticated);
      CHECK(result.error == "token issuer \"\" is invalid");
    }
  }
}

}  // namespace
}  // namespace sasim::model
