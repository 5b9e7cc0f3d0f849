// The kubelet's projected service-account tokens end to end (1.20 with
// BoundServiceAccountTokenVolume on): admission mounts kube-api-access-*,
// the kubelet asks the apiserver for a token bound to the pod, writes it on
// its pod syncs, refreshes it at 80 % of its TTL, keeps the old one while
// the apiserver refuses, stops with the pod's termination, and the pod's
// process holds what it last read (reloadToken) or its first token.
#include <catch2/catch.hpp>

#include "model/auth/base64.h"
#include "model/cluster/test_harness.h"
#include "model/versions/feature_gates.h"

namespace sasim::model {
namespace projected_token_test {

using sim::Duration;
using testing::Harness;

ClusterConfig gate_on(bool reload_token = true) {
  ClusterConfig config = default_cluster_config();
  auto gates = versions::resolve_feature_gates(versions::KubeVersion{20}, {{"BoundServiceAccountTokenVolume", true}});
  REQUIRE(gates);
  config.behaviour = versions::behaviour_of(gates.value());
  config.kubelet.reload_token = reload_token;
  return config;
}

struct World {
  Harness h;
  explicit World(ClusterConfig config, std::uint64_t seed = 31) : h(seed, std::move(config)) { h.settle(); }

  TokenReviewResult review(const std::string& token) {
    std::optional<TokenReviewResult> result;
    h.cluster.review_token(token, [&](TokenReviewResult r) { result = std::move(r); });
    h.simulator.run({.stop_when = [&] { return result.has_value(); }});
    REQUIRE(result);
    return std::move(*result);
  }
  std::string file_token(const std::string& pod) {
    auto token = h.cluster.kubelet().mounted_token("default", pod);
    REQUIRE(token);
    return token->bytes();
  }
  std::string process_token(const std::string& pod) {
    auto token = h.cluster.kubelet().process_token("default", pod, h.simulator.now());
    REQUIRE(token);
    return token->bytes();
  }
  void start_pod(const std::string& name) {
    REQUIRE(h.create(testing::pod("default", name)).ok());
    h.run_for(Duration::seconds(30));
    REQUIRE(as<Pod>(h.store().get(Kind::kPod, "default", name))->status.phase == PodPhase::kRunning);
  }
};

// The JWT's payload, decoded here rather than by the model's validator.
nlohmann::json claims_of(const std::string& jwt) {
  const std::size_t first = jwt.find('.');
  const std::size_t second = jwt.find('.', first + 1);
  auto payload = auth::base64url_decode(jwt.substr(first + 1, second - first - 1));
  REQUIRE(payload);
  return nlohmann::json::parse(*payload);
}

TEST_CASE("a projected token is a TokenRequest bound to the pod - nil audiences - the source's 3600 s") {
  World w(gate_on());
  w.start_pod("web");
  const Pod& pod = *as<Pod>(w.h.store().get(Kind::kPod, "default", "web"));
  const std::string token = w.file_token("web");
  const nlohmann::json claims = claims_of(token);
  CHECK(claims["aud"] == nlohmann::json::array({"https://kubernetes.default.svc.cluster.local"}));
  CHECK(claims["kubernetes.io"]["pod"]["name"] == "web");
  CHECK(claims["kubernetes.io"]["pod"]["uid"] == pod.metadata.uid);
  CHECK(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>() == 3600);  // 1.20: no extension of 3600
  CHECK_FALSE(claims["kubernetes.io"].contains("warnafter"));
  const TokenReviewResult result = w.review(token);
  CHECK(result.authenticated);
  CHECK(result.username == "system:serviceaccount:default:default");
  CHECK(result.extra.at("authentication.kubernetes.io/pod-name") == std::vector<std::string>{"web"});
  // The process started with it; the pod's own reviews succeed.
  CHECK(w.process_token("web") == token);
  w.h.run_for(Duration::minutes(1));
  const auto& log = w.h.cluster.kubelet().auth_log();
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().authenticated);
  CHECK(log.back().secret.empty());
}

TEST_CASE("the kubelet refreshes a 3600 s token 80 % into its TTL less the jitter on a pod sync") {
  World w(gate_on());
  w.start_pod("web");
  const std::string first = w.file_token("web");
  const std::int64_t iat = claims_of(first)["iat"].get<std::int64_t>();
  const std::size_t changes = w.h.cluster.kubelet().token_file_log().size();
  // Not before 2880 s - 9 s of jitter after the token was issued.
  const sim::Time issued = sim::Time::from_start(Duration::seconds(iat - 1577836800));
  w.h.simulator.run({.until = issued + Duration::seconds(2870)});
  CHECK(w.file_token("web") == first);
  // By 2880 s + one sync (at most 90 s) it has changed.
  w.h.simulator.run({.until = issued + Duration::seconds(2880 + 91)});
  const std::string second = w.file_token("web");
  REQUIRE(second != first);
  const auto& log = w.h.cluster.kubelet().token_file_log();
  REQUIRE(log.size() == changes + 1);
  REQUIRE(log.back().previous_minted);
  REQUIRE(log.back().minted);
  const Duration age = log.back().time - *log.back().previous_minted;
  CHECK(age > Duration::seconds(2870));
  CHECK(age <= Duration::seconds(2880 + 90));
  CHECK(claims_of(second)["iat"].get<std::int64_t>() > iat);
  // The process re-reads within the minute.
  w.h.run_for(Duration::seconds(61));
  CHECK(w.process_token("web") == second);
  CHECK(w.review(second).authenticated);
}

TEST_CASE("a process that reads its token once fails an hour and a minute in (no extension in 1.20 - kubernetes#77651)") {
  World w(gate_on(/*reload_token=*/false));
  w.start_pod("old-client");
  const std::string first = w.process_token("old-client");
  w.h.run_for(Duration::minutes(61) + Duration::seconds(30));
  CHECK(w.file_token("old-client") != first);  // the kubelet did refresh the file
  CHECK(w.process_token("old-client") == first);
  const TokenReviewResult result = w.review(first);
  CHECK_FALSE(result.authenticated);
  CHECK(result.error == "Token has expired.");
  const auto& log = w.h.cluster.kubelet().auth_log();
  REQUIRE_FALSE(log.empty());
  CHECK_FALSE(log.back().authenticated);
}

TEST_CASE("a failed refresh keeps the old token until its status expiry - then the mount fails and the file stays") {
  World w(gate_on());
  w.start_pod("web");
  const std::string first = w.file_token("web");
  // The kubelet's TokenRequests fail from 40 min on.
  w.h.run_for(Duration::minutes(40));
  w.h.cluster.fault_controller().start(faults::ErrorsSpec{.actor = "kubelet", .verbs = {Verb::kCreate},
                                                         .resources = {Kind::kServiceAccount}, .code = 500},
                                      "no-tokens");
  w.h.run_for(Duration::minutes(25));  // past the 48 min refresh point and the 60 min status expiry
  CHECK(w.file_token("web") == first);
  // The token itself has now expired: the pod's requests fail.
  const TokenReviewResult expired = w.review(first);
  CHECK_FALSE(expired.authenticated);
  w.h.cluster.fault_controller().heal_all();
  w.h.run_for(Duration::seconds(30));  // failed syncs retry after 10 s to 15 s
  CHECK(w.file_token("web") != first);
  CHECK(w.review(w.file_token("web")).authenticated);
}

TEST_CASE("a terminating pod's token is not rotated (K13)") {
  World w(gate_on());
  REQUIRE(w.h.create(testing::pod("default", "slow")).ok());
  w.h.run_for(Duration::seconds(30));
  const std::string first = w.file_token("slow");
  // Delete with a two-hour grace period; the containers stop at once, the
  // pod stays until the kubelet confirms.
  w.h.run_for(Duration::minutes(10));
  auto request = Harness::request(Verb::kDelete, Kind::kPod, "default", "slow");
  request->grace_period_seconds = 7200;
  REQUIRE(w.h.send(std::move(request)).ok());
  w.h.run_for(Duration::minutes(50));
  CHECK(w.h.cluster.kubelet().mounted_token("default", "slow")->bytes() == first);
}

TEST_CASE("a pod's cache entries go with it - without kube-root-ca.crt the volume is never set up") {
  SECTION("teardown") {
    World w(gate_on());
    w.start_pod("web");
    CHECK(w.h.cluster.kubelet().token_manager().size() == 1);
    REQUIRE(w.h.remove(Kind::kPod, "default", "web").ok());
    w.h.run_for(Duration::minutes(1));
    CHECK(w.h.store().get(Kind::kPod, "default", "web") == nullptr);
    CHECK(w.h.cluster.kubelet().token_manager().size() == 0);
  }
  SECTION("no ConfigMap") {
    ClusterConfig config = gate_on();
    config.behaviour.root_ca_publisher = false;
    World w(config);
    REQUIRE(w.h.create(testing::pod("default", "web")).ok());
    w.h.run_for(Duration::minutes(2));
    CHECK(as<Pod>(w.h.store().get(Kind::kPod, "default", "web"))->status.phase == PodPhase::kPending);
    CHECK_FALSE(w.h.cluster.kubelet().mounted_token("default", "web"));
    // The token was fetched (and cached); the ConfigMap blocked the write.
    CHECK(w.h.cluster.kubelet().token_manager().size() == 1);
  }
}

}  // namespace projected_token_test
}  // namespace sasim::model

namespace sasim::model {
namespace projected_token_test {

// The pod worker requeues a pod a sync period after its sync completed.
// When the kubelet's requests are delayed by 70 s, the sync that refreshes
// the token (about 48 minutes in) waits for its TokenRequest longer than a
// sync period (60 to 90 s) or a failed sync's retry (10 to 15 s): the next
// sync comes a period after the slow one ended (before, it was due before
// the slow one ended, and the kubelet asked for a timer in the past).
TEST_CASE("a sync slower than the sync period is followed by the next a period after it completed") {
  Harness h(5, testing::release(25));
  h.run_for(Duration::minutes(1));
  REQUIRE(h.create(testing::pod("default", "app")).ok());
  h.run_for(Duration::minutes(40));
  const auto first = h.cluster.kubelet().mounted_token("default", "app");
  REQUIRE(first);
  h.cluster.fault_controller().start(
      faults::DelaySpec{.actor = "kubelet", .extra = sim::DurationDistribution::constant(Duration::seconds(70))},
      "slow", Duration::minutes(30));
  h.run_for(Duration::minutes(40));
  const auto* pod = as<Pod>(h.store().get(Kind::kPod, "default", "app"));
  REQUIRE(pod != nullptr);
  CHECK(pod->status.phase == PodPhase::kRunning);
  // The refresh went through, late.
  const auto now = h.cluster.kubelet().mounted_token("default", "app");
  REQUIRE(now);
  CHECK_FALSE(now->same_bytes(*first));
}

}  // namespace projected_token_test
}  // namespace sasim::model

namespace sasim::model {
namespace projected_token_test {

// Pods starting together behind a slow kubelet client wait for the
// ConfigMap informer's first list as upstream's configMapManager does (a
// poll every 10 ms for up to a second, then the volume fails and is retried);
// a waiting set-up is one wake-up, not a timer every 10 ms. Every pod still
// starts with its token file, and the kubelet's timers stay far below a
// hundred polls per pod.
TEST_CASE("pods waiting for the ConfigMap informer's first list start without a timer every 10 ms") {
  ClusterConfig config = testing::release(25);
  config.kubelet.client.qps = 1;
  config.kubelet.client.burst = 1;
  Harness h(9, config);
  h.run_for(Duration::minutes(1));
  constexpr int kPods = 60;
  for (int i = 0; i < kPods; ++i) {
    auto request = Harness::request(Verb::kCreate, Kind::kPod, "default", "p" + std::to_string(i));
    request->body = std::make_shared<const Object>(testing::pod("default", "p" + std::to_string(i)));
    h.cluster.submit(std::move(request), [](ApiResponse) {});
  }
  std::uint64_t kubelet_timers = 0;
  const sim::ActorId kubelet = h.simulator.find_actor("kubelet");
  h.simulator.set_observer([&](const sim::EventView& event) {
    if (event.kind == sim::TraceKind::kTimer && event.actor == kubelet) ++kubelet_timers;
  });
  h.run_for(Duration::minutes(30));
  h.simulator.set_observer(nullptr);
  for (int i = 0; i < kPods; ++i) {
    INFO("p" << i);
    CHECK(h.cluster.kubelet().mounted_token("default", "p" + std::to_string(i)).has_value());
  }
  CHECK(kubelet_timers < kPods * 40);  // about 1,200; with the 10 ms poll about 30,000
}

}  // namespace projected_token_test
}  // namespace sasim::model
