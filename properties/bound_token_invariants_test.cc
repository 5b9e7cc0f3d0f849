// bound-tokens-respect-their-objects and running-pods-hold-valid-tokens,
// each holding and violated: on hand-made claims and objects (the checks
// read the JWT payload and the objects, never the model's validator), and
// end to end on a 1.20 cluster with BoundServiceAccountTokenVolume on.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "model/auth/base64.h"
#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/signing_key.h"
#include "model/cluster/test_harness.h"
#include "model/versions/feature_gates.h"
#include "properties/bound_token_checks.h"
#include "properties/checker.h"
#include "properties/invariant.h"
#include "properties/token_oracle.h"

namespace sasim::properties {
namespace {

using sim::Duration;
using sim::Time;

constexpr std::int64_t kEpoch = 1577836800;
const std::string kIssuer = "https://kubernetes.default.svc.cluster.local";

std::string jwt(const nlohmann::json& payload) {
  return model::auth::base64url_encode(R"({"alg":"RS256"})") + "." + model::auth::base64url_encode(payload.dump()) +
         ".c2ln";
}

nlohmann::json pod_claims(std::int64_t exp, std::string pod_uid = "pod-uid", std::string sa_uid = "sa-uid") {
  return {{"iss", kIssuer},
          {"sub", "system:serviceaccount:team:default"},
          {"exp", exp},
          {"kubernetes.io",
           {{"namespace", "team"},
            {"serviceaccount", {{"name", "default"}, {"uid", sa_uid}}},
            {"pod", {{"name", "web"}, {"uid", pod_uid}}}}}};
}

struct Objects {
  std::map<std::pair<model::Kind, std::string>, model::ObjectPtr> objects;
  void put(model::Object object) {
    const std::string name = model::meta(object).name;
    const model::Kind kind = model::kind_of(object);
    objects[{kind, name}] = std::make_shared<const model::Object>(std::move(object));
  }
  BoundLookup lookup() const {
    return BoundLookup{.get = [this](model::Kind kind, const std::string&, const std::string& name) {
                         auto it = objects.find({kind, name});
                         return it == objects.end() ? nullptr : it->second;
                       },
                       .epoch_unix_seconds = kEpoch};
  }
};

Objects live_objects(std::optional<Time> pod_deletion = std::nullopt) {
  Objects o;
  model::ServiceAccount sa;
  sa.metadata.namespace_ = "team";
  sa.metadata.name = "default";
  sa.metadata.uid = "sa-uid";
  o.put(sa);
  model::Pod pod;
  pod.metadata.namespace_ = "team";
  pod.metadata.name = "web";
  pod.metadata.uid = "pod-uid";
  pod.metadata.deletion_timestamp = pod_deletion;
  pod.spec.service_account_name = "default";
  o.put(pod);
  return o;
}

model::TokenReviewResult accepted() {
  model::TokenReviewResult result;
  result.authenticated = true;
  result.username = "system:serviceaccount:team:default";
  return result;
}

const Time kNow = Time::from_start(Duration::hours(1));
const std::int64_t kNowUnix = kEpoch + 3600;

}  // namespace

TEST_CASE("bound-tokens-respect-their-objects holds for a live pod's unexpired token - and within the leeways") {
  const Objects objects = live_objects();
  for (const std::int64_t exp : {kNowUnix + 100, kNowUnix, kNowUnix - 60}) {
    CheckOutcome outcome = check_bound_token_review(jwt(pod_claims(exp)), accepted(), {kIssuer}, objects.lookup(), kNow);
    CHECK(outcome.checks == 1);
    CHECK(outcome.violations.empty());
  }
  // A graceful deletion: the token lives until 60 s after deletionTimestamp.
  const Objects terminating = live_objects(kNow - Duration::seconds(60));
  CHECK(check_bound_token_review(jwt(pod_claims(kNowUnix + 100)), accepted(), {kIssuer}, terminating.lookup(), kNow)
            .violations.empty());
  // Rejections and other issuers' tokens are not its business.
  model::TokenReviewResult rejected;
  const Objects none;
  CHECK(check_bound_token_review(jwt(pod_claims(kNowUnix - 1000)), rejected, {kIssuer}, none.lookup(), kNow).checks == 0);
  nlohmann::json legacy = pod_claims(kNowUnix - 1000);
  legacy["iss"] = "kubernetes/serviceaccount";
  CHECK(check_bound_token_review(jwt(legacy), accepted(), {kIssuer}, none.lookup(), kNow).checks == 0);
}

TEST_CASE("bound-tokens-respect-their-objects is violated by an accepted token past its objects or its exp") {
  struct Case {
    const char* name;
    nlohmann::json claims;
    Objects objects;
    const char* why;
  };
  Objects pod_gone = live_objects();
  pod_gone.objects.erase({model::Kind::kPod, "web"});
  Objects sa_gone = live_objects();
  sa_gone.objects.erase({model::Kind::kServiceAccount, "default"});
  const Case cases[] = {
      {"expired beyond the leeway", pod_claims(kNowUnix - 61), live_objects(), "it expired"},
      {"pod gone", pod_claims(kNowUnix + 100), pod_gone, "its pod team/web is gone"},
      {"pod recreated", pod_claims(kNowUnix + 100, "old-pod-uid"), live_objects(), "its pod has uid pod-uid"},
      {"pod deleted 61 s ago", pod_claims(kNowUnix + 100), live_objects(kNow - Duration::seconds(61)),
       "its pod was deleted more than 60 s ago"},
      {"account gone", pod_claims(kNowUnix + 100), sa_gone, "its ServiceAccount team/default is gone"},
      {"account recreated (kubernetes#106049)", pod_claims(kNowUnix + 100, "pod-uid", "old-sa-uid"), live_objects(),
       "its ServiceAccount has uid sa-uid, the token names old-sa-uid"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      CheckOutcome outcome = check_bound_token_review(jwt(c.claims), accepted(), {kIssuer}, c.objects.lookup(), kNow);
      REQUIRE(outcome.violations.size() == 1);
      CHECK(outcome.violations[0].invariant == kBoundTokensRespectTheirObjects);
      CHECK_THAT(outcome.violations[0].message, Catch::Contains(c.why));
    }
  }
}

// A pod's file holds its token unsigned (a lazy model::auth::BoundToken)
// until something reads the bytes: the invariant reads its claims as they
// are, and judges it as it judges the signed bytes, in every case.
TEST_CASE("bound-tokens-respect-their-objects judges a bound token nobody read as its signed bytes") {
  auto parsed = model::auth::SigningKey::from_pem(model::auth::builtin_ec_key_pem());
  REQUIRE(parsed.ok());
  const auto key = std::make_shared<const model::auth::SigningKey>(std::move(parsed).value());
  const TokenOracle oracle(VerifyingKey::from_der(key->public_key_der()),
                           BoundRules{.issuers = {kIssuer}, .api_audiences = {kIssuer}, .epoch_unix_seconds = kEpoch});
  Objects pod_gone = live_objects();
  pod_gone.objects.erase({model::Kind::kPod, "web"});
  nlohmann::json with_node = pod_claims(kNowUnix + 100);
  with_node["kubernetes.io"]["node"] = {{"name", "worker"}, {"uid", "node-uid"}};
  const struct {
    const char* name;
    nlohmann::json claims;
    Objects objects;
    std::size_t violations;
  } cases[] = {
      {"live", pod_claims(kNowUnix + 100), live_objects(), 0},
      {"with its node", with_node, live_objects(), 0},
      {"expired beyond the leeway", pod_claims(kNowUnix - 61), live_objects(), 1},
      {"pod gone", pod_claims(kNowUnix + 100), pod_gone, 1},
      {"pod recreated", pod_claims(kNowUnix + 100, "old-pod-uid"), live_objects(), 1},
      {"account recreated", pod_claims(kNowUnix + 100, "pod-uid", "old-sa-uid"), live_objects(), 1},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto claims = model::auth::bound_claims_from_json(c.claims);
      REQUIRE(claims.ok());
      const auto lazy = std::make_shared<const model::auth::BoundToken>(key, claims.value(), 5);
      const std::string bytes = model::auth::BoundToken(key, claims.value(), 5).bytes();
      const CheckOutcome by_claims =
          check_bound_token_review(model::DataValue(lazy), accepted(), {kIssuer}, c.objects.lookup(), kNow, &oracle);
      const CheckOutcome by_bytes =
          check_bound_token_review(model::DataValue(bytes), accepted(), {kIssuer}, c.objects.lookup(), kNow, &oracle);
      CHECK(by_claims.checks == 1);
      CHECK(by_bytes.checks == 1);
      REQUIRE(by_claims.violations.size() == c.violations);
      REQUIRE(by_bytes.violations.size() == c.violations);
      for (std::size_t i = 0; i < c.violations; ++i) {
        CHECK(by_claims.violations[i].message == by_bytes.violations[i].message);
        CHECK(by_claims.violations[i].objects == by_bytes.violations[i].objects);
      }
      CHECK_FALSE(lazy->computed());
    }
  }
}

namespace {

nlohmann::json node_claims(std::string node_uid, bool with_pod = false) {
  nlohmann::json claims = pod_claims(kNowUnix + 100);
  if (!with_pod) claims["kubernetes.io"].erase("pod");
  claims["kubernetes.io"]["node"] = {{"name", "worker"}, {"uid", std::move(node_uid)}};
  return claims;
}

Objects with_node(std::optional<Time> deletion = std::nullopt) {
  Objects o = live_objects();
  model::Node node;
  node.metadata.name = "worker";
  node.metadata.uid = "node-uid";
  node.metadata.deletion_timestamp = deletion;
  o.put(node);
  return o;
}

}  // namespace

TEST_CASE("bound-tokens-respect-their-objects judges a token bound to a Node alone by the Node (1.29+)") {
  auto violations = [](const nlohmann::json& claims, const Objects& objects) {
    return check_bound_token_review(jwt(claims), accepted(), {kIssuer}, objects.lookup(), kNow).violations;
  };
  // Held: the live Node, and within the leeway after its deletion.
  CHECK(violations(node_claims("node-uid"), with_node()).empty());
  CHECK(violations(node_claims("node-uid"), with_node(kNow - Duration::seconds(60))).empty());
  // A pod-bound token's node claim is information only (BV5).
  CHECK(violations(node_claims("old-node-uid", true), live_objects()).empty());
  // Violated: the Node gone, recreated, or deleted more than 60 s ago.
  const auto gone = violations(node_claims("node-uid"), live_objects());
  REQUIRE(gone.size() == 1);
  CHECK_THAT(gone[0].message, Catch::Contains("its Node worker is gone"));
  CHECK(gone[0].objects.front() == "node/worker");
  const auto recreated = violations(node_claims("old-node-uid"), with_node());
  REQUIRE(recreated.size() == 1);
  CHECK_THAT(recreated[0].message, Catch::Contains("its Node has uid node-uid, the token names old-node-uid"));
  const auto deleted = violations(node_claims("node-uid"), with_node(kNow - Duration::seconds(61)));
  REQUIRE(deleted.size() == 1);
  CHECK_THAT(deleted[0].message, Catch::Contains("its Node was deleted more than 60 s ago"));
}

TEST_CASE("running-pods-hold-valid-tokens holds for a pod holding its own live token - and is violated otherwise") {
  const Objects objects = live_objects();
  const model::ObjectPtr pod = objects.objects.at({model::Kind::kPod, "web"});
  auto check = [&](std::optional<std::string> token, const Objects& o) {
    return check_running_pods_hold_valid_tokens({RunningPodToken{.pod = pod, .token = std::move(token)}}, {kIssuer},
                                                o.lookup(), kNow);
  };
  CheckOutcome good = check(jwt(pod_claims(kNowUnix + 100)), objects);
  CHECK(good.checks == 1);
  CHECK(good.violations.empty());

  CHECK(check(std::nullopt, objects).violations.size() == 1);
  // An old client's expired token (reloadToken false, no extension).
  CheckOutcome expired = check(jwt(pod_claims(kNowUnix - 61)), objects);
  REQUIRE(expired.violations.size() == 1);
  CHECK_THAT(expired.violations[0].message, Catch::Contains("running pod team/web holds a token that does not "
                                                            "authenticate as system:serviceaccount:team:default: it expired"));
  CHECK_FALSE(expired.violations[0].known.has_value());
  // A token of the account's previous incarnation: a violation, which
  // upstream's kubelet commits until the token's refresh point
  // (kubernetes#106049), so known while the token has not expired...
  CheckOutcome recreated = check(jwt(pod_claims(kNowUnix + 100, "pod-uid", "old-sa-uid")), objects);
  REQUIRE(recreated.violations.size() == 1);
  CHECK_THAT(recreated.violations[0].message,
             Catch::Contains("its ServiceAccount has uid sa-uid, the token names old-sa-uid"));
  REQUIRE(recreated.violations[0].known.has_value());
  CHECK(recreated.violations[0].known->weakness == "kubelet-keeps-token-of-recreated-account");
  CHECK(recreated.violations[0].known->upstream == "kubernetes/kubernetes#106049");
  // ... and a plain violation once it has (the kubelet should have
  // replaced it long before).
  CheckOutcome recreated_expired = check(jwt(pod_claims(kNowUnix - 61, "pod-uid", "old-sa-uid")), objects);
  REQUIRE(recreated_expired.violations.size() == 1);
  CHECK_FALSE(recreated_expired.violations[0].known.has_value());
  // A pod whose account is gone is not judged: no token can be valid.
  Objects without_account = live_objects();
  without_account.objects.erase({model::Kind::kServiceAccount, "default"});
  CheckOutcome orphan = check(jwt(pod_claims(kNowUnix + 100)), without_account);
  CHECK(orphan.checks == 0);
  CHECK(orphan.violations.empty());
  // Another pod's token: never known.
  CheckOutcome other_pod = check(jwt(pod_claims(kNowUnix + 100, "other-pod")), objects);
  REQUIRE(other_pod.violations.size() == 1);
  CHECK_FALSE(other_pod.violations[0].known.has_value());
}

// After an account comes back, its pods' kubelet asks for a token of the
// new account at its next sync (its TokenRequests failed while the account
// was gone): a token of the old account, even expired, is not judged for
// the grace (two sync periods in the checker), and is a violation after.
TEST_CASE("running-pods-hold-valid-tokens gives a recreated account's pods the grace of a kubelet sync") {
  const model::ObjectPtr pod = live_objects().objects.at({model::Kind::kPod, "web"});
  auto recreated_ago = [](Duration age) {
    Objects o = live_objects();
    model::ServiceAccount sa;
    sa.metadata.namespace_ = "team";
    sa.metadata.name = "default";
    sa.metadata.uid = "sa-uid";
    sa.metadata.creation_timestamp = kNow - age;
    o.put(sa);
    return o;
  };
  auto check = [&](const nlohmann::json& claims, const Objects& o) {
    BoundLookup lookup = o.lookup();
    lookup.recreated_account_grace = Duration::seconds(120);
    return check_running_pods_hold_valid_tokens({RunningPodToken{.pod = pod, .token = jwt(claims)}}, {kIssuer}, lookup,
                                                kNow);
  };
  const nlohmann::json old_expired = pod_claims(kNowUnix - 3600, "pod-uid", "old-sa-uid");
  // Back 30 s ago: not judged yet.
  const CheckOutcome within = check(old_expired, recreated_ago(Duration::seconds(30)));
  CHECK(within.checks == 0);
  CHECK(within.violations.empty());
  // Back 121 s ago: the kubelet had its sync; a violation.
  const CheckOutcome after = check(old_expired, recreated_ago(Duration::seconds(121)));
  CHECK(after.checks == 1);
  REQUIRE(after.violations.size() == 1);
  CHECK_THAT(after.violations[0].message, Catch::Contains("it expired"));
  // Within the grace, an unexpired token of the old account is judged at
  // once: the known weakness (the kubelet keeps it until its refresh point).
  const CheckOutcome unexpired =
      check(pod_claims(kNowUnix + 100, "pod-uid", "old-sa-uid"), recreated_ago(Duration::seconds(30)));
  CHECK(unexpired.checks == 1);
  REQUIRE(unexpired.violations.size() == 1);
  CHECK(unexpired.violations[0].known.has_value());
  // Within the grace, a token of the new account is judged as ever.
  const CheckOutcome current = check(pod_claims(kNowUnix - 3600), recreated_ago(Duration::seconds(30)));
  CHECK(current.checks == 1);
  CHECK(current.violations.size() == 1);
}

namespace {

model::ClusterConfig gate_on(bool reload_token) {
  model::ClusterConfig config = model::default_cluster_config();
  auto gates = model::versions::resolve_feature_gates(model::versions::KubeVersion{20},
                                                      {{"BoundServiceAccountTokenVolume", true}});
  REQUIRE(gates);
  config.behaviour = model::versions::behaviour_of(gates.value());
  config.kubelet.reload_token = reload_token;
  return config;
}

}  // namespace

TEST_CASE("end to end: pods that re-read their token hold valid ones for hours - a read-once client does not") {
  for (const bool reload : {true, false}) {
    DYNAMIC_SECTION("reloadToken " << reload) {
      model::testing::Harness h(41, gate_on(reload));
      InvariantChecker checker(h.cluster, {std::string(kRunningPodsHoldValidTokens),
                                           std::string(kBoundTokensRespectTheirObjects)});
      checker.attach();
      h.settle();
      REQUIRE(h.create(model::testing::pod("default", "web")).ok());
      h.run_for(Duration::minutes(30));
      CHECK(checker.check_eventually(h.simulator.now()) == 0);
      CHECK(checker.result(kRunningPodsHoldValidTokens)->checks == 1);
      h.run_for(Duration::minutes(150));
      const std::size_t found = checker.check_eventually(h.simulator.now());
      CHECK(found == (reload ? 0u : 1u));
      // The pod's own reviews were judged, and none accepted what it should not.
      CHECK(checker.result(kBoundTokensRespectTheirObjects)->checks > 0);
      CHECK(checker.result(kBoundTokensRespectTheirObjects)->held());
    }
  }
}

}  // namespace sasim::properties
