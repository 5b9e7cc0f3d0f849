// What each release 1.20-1.25 does differently, through the whole control
// plane, with every setting taken from the release's Behaviour (as scenarios
// build clusters): the root-CA publisher (C1-C6), the ServiceAccount
// admission plugin's token mount (AV1-AV5) and the tokens controller's
// auto-generation (T3 in 1.20-1.23, T3' in 1.24-1.25).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "model/auth/builtin_keys.h"
#include "model/cluster/test_harness.h"
#include "model/objects/codec.h"
#include "model/objects/constants.h"
#include "model/versions/behaviour.h"
#include "sim/duration_text.h"

namespace sasim::model {
namespace {

using nlohmann::json;
using testing::Harness;
using testing::release;

const ConfigMap* root_ca_of(const Harness& h, const std::string& ns) {
  return as<ConfigMap>(h.store().get(Kind::kConfigMap, ns, std::string(kRootCaConfigMapName)));
}

// The pod as a GET returns it, in its JSON form: the volume as stored.
json stored_volume(const Harness& h, const std::string& name) {
  const ObjectPtr stored = h.store().get(Kind::kPod, "default", name);
  REQUIRE(stored != nullptr);
  const json encoded = encode_object(*stored);
  REQUIRE(encoded["spec"]["volumes"].size() == 1);
  return encoded["spec"]["volumes"][0];
}

TEST_CASE("every release from 1.20 publishes kube-root-ca.crt in every namespace") {
  const std::string ca(auth::builtin_root_ca_pem());
  for (int minor = 20; minor <= 25; ++minor) {
    INFO("1." << minor);
    Harness h(30 + minor, release(minor));
    REQUIRE(h.cluster.root_ca_publisher() != nullptr);
    h.settle();
    for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
      INFO(ns);
      const ConfigMap* cm = root_ca_of(h, ns);
      REQUIRE(cm != nullptr);
      CHECK(cm->data == std::map<std::string, std::string>{{"ca.crt", ca}});
      CHECK_FALSE(cm->metadata.annotation("kubernetes.io/description")->empty());
    }
  }
}

TEST_CASE("1.20 with RootCAConfigMap off runs no publisher and writes no ConfigMap") {
  Harness h(40, release(20, {{"RootCAConfigMap", false}}));
  CHECK(h.cluster.root_ca_publisher() == nullptr);
  h.settle();
  CHECK(h.store().count(Kind::kConfigMap) == 0);
}

TEST_CASE("C6: a deleted kube-root-ca.crt is recreated and an edited one restored") {
  Harness h(41, release(22));
  h.settle();
  const ConfigMap* first = root_ca_of(h, "default");
  REQUIRE(first != nullptr);
  const std::string first_uid = first->metadata.uid;
  REQUIRE(h.remove(Kind::kConfigMap, "default", std::string(kRootCaConfigMapName)).ok());
  h.settle();
  const ConfigMap* recreated = root_ca_of(h, "default");
  REQUIRE(recreated != nullptr);
  CHECK(recreated->metadata.uid != first_uid);

  ConfigMap edited = *recreated;
  edited.data["ca.crt"] = "not the CA";
  edited.data["extra"] = "x";
  edited.metadata.labels["team"] = "a";
  REQUIRE(h.update(Object(edited)).ok());
  h.settle();
  const ConfigMap* restored = root_ca_of(h, "default");
  REQUIRE(restored != nullptr);
  CHECK(restored->data == std::map<std::string, std::string>{{"ca.crt", std::string(auth::builtin_root_ca_pem())}});
  CHECK(restored->metadata.labels.at("team") == "a");
}

TEST_CASE("C3-C4: a new namespace gets kube-root-ca.crt and a terminating one loses it for good") {
  Harness h(42, release(21));
  h.settle();
  Namespace team;
  team.metadata.name = "team";
  REQUIRE(h.create(Object(team)).ok());
  h.settle();
  REQUIRE(root_ca_of(h, "team") != nullptr);
  // Deleting the namespace deletes its ConfigMaps; the publisher's create
  // is refused (NamespaceTerminating) and not retried, and the namespace goes.
  REQUIRE(h.remove(Kind::kNamespace, "", "team").ok());
  h.settle();
  CHECK(h.store().get(Kind::kNamespace, "", "team") == nullptr);
  CHECK(root_ca_of(h, "team") == nullptr);
}

TEST_CASE("AV1: 1.20 mounts the token Secret and with BoundServiceAccountTokenVolume on a 3600 s projected volume") {
  {
    Harness h(43, release(20));
    h.settle();
    REQUIRE(h.create(testing::pod("default", "app")).ok());
    const json volume = stored_volume(h, "app");
    CHECK(volume["name"].get<std::string>().rfind("default-token-", 0) == 0);
    CHECK(volume["secret"]["secretName"] == volume["name"]);
  }
  Harness h(44, release(20, {{"BoundServiceAccountTokenVolume", true}}));
  h.settle();
  REQUIRE(h.create(testing::pod("default", "app")).ok());
  const json volume = stored_volume(h, "app");
  CHECK(volume["name"].get<std::string>().rfind("kube-api-access-", 0) == 0);
  CHECK(volume["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"] == 3600);
}

// The tokens controller down, so that an account has no token Secret: 1.20
// refuses its pods (L1), 1.21+ admit them (AV2: no Secret lookup).
ApiResponse create_pod_of_account_without_token(Harness& h) {
  h.settle();
  h.simulator.crash_at(h.simulator.now(), h.simulator.find_actor(Cluster::kTokensController), sim::Duration::hours(1));
  h.run_for(sim::Duration::milliseconds(1));
  REQUIRE(h.create(testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(1));
  REQUIRE(as<ServiceAccount>(h.store().get(Kind::kServiceAccount, "default", "robot"))->secrets.empty());
  return h.create(testing::pod("default", "app", "robot"));
}

TEST_CASE("L1: 1.20 refuses a pod with ServerTimeout while its account has no token Secret") {
  Harness h(49, release(20));
  ApiResponse refused = create_pod_of_account_without_token(h);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->reason == "ServerTimeout");
}

TEST_CASE("AV2-AV5: 1.21 onwards mount kube-api-access-xxxxx with a 3607 s token and the CA and the namespace") {
  const json sources = json::parse(R"([
    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
  ])");
  for (int minor = 21; minor <= 25; ++minor) {
    INFO("1." << minor);
    Harness h(50 + minor, release(minor));
    // No token Secret needed: admitted where 1.20 answers ServerTimeout.
    ApiResponse created = create_pod_of_account_without_token(h);
    REQUIRE(created.ok());
    const json volume = stored_volume(h, "app");
    CHECK(volume["name"].get<std::string>().rfind("kube-api-access-", 0) == 0);
    CHECK(volume["projected"]["sources"] == sources);
    // 1.21-1.22 write no defaultMode (AV2), 1.23+ 0644 (AV4): stored, both read 420.
    CHECK(volume["projected"]["defaultMode"] == 420);
    const bool explicit_mode = h.cluster.config().behaviour.projected_default_mode.has_value();
    CHECK(explicit_mode == (minor >= 23));
  }
}

TEST_CASE("T3': from 1.24 a new account gets no token Secret and a manual one is still populated") {
  for (int minor = 20; minor <= 25; ++minor) {
    INFO("1." << minor);
    Harness h(60 + minor, release(minor));
    h.settle();
    REQUIRE(h.create(testing::service_account("default", "robot")).ok());
    h.settle();
    const auto* robot = as<ServiceAccount>(h.store().get(Kind::kServiceAccount, "default", "robot"));
    REQUIRE(robot != nullptr);
    CHECK(robot->secrets.empty() == (minor >= 24));

    Secret manual;
    manual.metadata.namespace_ = "default";
    manual.metadata.name = "robot-token";
    manual.metadata.annotations[std::string(kServiceAccountNameKey)] = "robot";
    manual.type = std::string(kSecretTypeServiceAccountToken);
    REQUIRE(h.create(Object(manual)).ok());
    h.settle();
    const auto* populated = as<Secret>(h.store().get(Kind::kSecret, "default", "robot-token"));
    REQUIRE(populated != nullptr);
    CHECK(populated->data_value("token") != nullptr);
    CHECK(populated->data_value("ca.crt") != nullptr);
  }
}

TEST_CASE("T5 in 1.24: a deleted token Secret's reference is removed and not replaced") {
  // An account that references a token Secret (as one upgraded from 1.23 would).
  Harness h(70, release(24));
  h.settle();
  REQUIRE(h.create(testing::service_account("default", "robot")).ok());
  Secret manual;
  manual.metadata.namespace_ = "default";
  manual.metadata.name = "robot-token";
  manual.metadata.annotations[std::string(kServiceAccountNameKey)] = "robot";
  manual.type = std::string(kSecretTypeServiceAccountToken);
  REQUIRE(h.create(Object(manual)).ok());
  h.settle();
  ServiceAccount robot = *as<ServiceAccount>(h.store().get(Kind::kServiceAccount, "default", "robot"));
  robot.secrets.push_back(ObjectReference{.name = "robot-token"});
  REQUIRE(h.update(Object(robot)).ok());
  h.settle();
  REQUIRE(h.remove(Kind::kSecret, "default", "robot-token").ok());
  h.settle();
  const auto* after = as<ServiceAccount>(h.store().get(Kind::kServiceAccount, "default", "robot"));
  REQUIRE(after != nullptr);
  CHECK(after->secrets.empty());
  CHECK(h.store().count(Kind::kSecret) == 0);
}


// How long 30 pods created at once on one node take to be Running: the
// kubelet's TokenRequests and status writes go through its client limiter.
sim::Duration time_to_run_30_pods(int minor) {
  Harness h(5, release(minor));
  h.settle();
  const sim::Time start = h.simulator.now();
  for (int i = 0; i < 30; ++i) REQUIRE(h.create(testing::pod("default", "p" + std::to_string(i))).ok());
  auto all_running = [&] {
    for (const ObjectPtr& o : h.store().list(Kind::kPod, "default")) {
      if (as<Pod>(o)->status.phase != PodPhase::kRunning) return false;
    }
    return true;
  };
  h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(5), .stop_when = all_running});
  REQUIRE(all_running());
  return h.simulator.now() - start;
}

TEST_CASE("30 pods on a node wait for the kubelet's 5 qps before 1.27 and not at 1.27's 50 qps burst 100") {
  const sim::Duration at_26 = time_to_run_30_pods(26);
  const sim::Duration at_27 = time_to_run_30_pods(27);
  INFO("1.26: " << sim::format_duration(at_26) << ", 1.27: " << sim::format_duration(at_27));
  // 1.26: the pods' TokenRequests and status writes queue past a burst of
  // 10 at 5 a second (28.4 s with seed 5); 1.27: they fit in the burst of
  // 100, and what remains is the pods' start latency (5.4 s).
  CHECK(at_26 > sim::Duration::seconds(20));
  CHECK(at_27 < sim::Duration::seconds(10));
}

}  // namespace
}  // namespace sasim::model
