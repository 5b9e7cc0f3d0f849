// End-to-end behaviour of the assembled control plane.
#include "model/cluster/cluster.h"

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"

namespace sasim::model {
namespace {

ClusterConfig test_config() {
  ClusterConfig config = default_cluster_config();
  config.tokens_controller.token_generator = testing::naming_token_generator();
  config.tokens_controller.root_ca = "CA Data";
  return config;
}

ClusterConfig real_token_config(const char* algorithm) {
  ClusterConfig config = default_cluster_config();
  if (std::string(algorithm) == "ES256") {
    config.signing_key = std::make_shared<const auth::SigningKey>(auth::SigningKey::from_pem(auth::builtin_ec_key_pem()).value());
  }
  return config;
}

std::string token_of(const Store& store, const std::string& ns, const std::string& secret_name) {
  const auto* secret = as<Secret>(store.get(Kind::kSecret, ns, secret_name));
  REQUIRE(secret != nullptr);
  return secret->data_value(std::string(kServiceAccountTokenKey))->bytes();
}

// Does the account reference a token Secret that exists and is populated?
bool has_valid_token(const Store& store, const ServiceAccount& sa) {
  for (const ObjectReference& ref : sa.secrets) {
    const auto* secret = as<Secret>(store.get(Kind::kSecret, sa.metadata.namespace_, ref.name));
    if (secret == nullptr || !is_service_account_token(*secret, sa)) continue;
    const DataValue* token = secret->data_value(std::string(kServiceAccountTokenKey));
    if (token != nullptr && !token->empty()) return true;
  }
  return false;
}

TEST_CASE("a fresh cluster gives every namespace a default account with a token") {
  sim::Simulator simulator(1);
  Cluster cluster(simulator, test_config());
  auto result = simulator.run({.until = sim::Time::from_start(sim::Duration::minutes(5)), .until_quiescent = true});
  CHECK(result.reason == sim::StopReason::kQuiescent);
  const Store& store = cluster.apiserver().store();
  for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    INFO(ns);
    const auto* sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, ns, "default"));
    REQUIRE(sa != nullptr);
    REQUIRE(sa->secrets.size() == 1);
    CHECK(sa->secrets[0].name.rfind("default-token-", 0) == 0);
    CHECK(has_valid_token(store, *sa));
  }
  // Exactly one token Secret per account: no duplicates.
  CHECK(store.count(Kind::kSecret) == 4);
}

TEST_CASE("deleting a referenced token makes the controller create a replacement") {
  sim::Simulator simulator(3);
  Cluster cluster(simulator, test_config());
  // Past the mutation cache's 60 s memory of the first token.
  simulator.run({.until = sim::Time::from_start(sim::Duration::minutes(2))});
  const Store& store = cluster.apiserver().store();
  const std::string first = as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"))->secrets.at(0).name;
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kDelete;
  request->kind = Kind::kSecret;
  request->namespace_ = "default";
  request->name = first;
  bool deleted = false;
  cluster.submit(std::move(request), [&](ApiResponse r) { deleted = r.ok(); });
  simulator.run({.until = sim::Time::from_start(sim::Duration::minutes(4)), .until_quiescent = true});
  CHECK(deleted);
  const auto* sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"));
  REQUIRE(sa->secrets.size() == 1);
  CHECK(sa->secrets[0].name != first);
  CHECK(has_valid_token(store, *sa));
  CHECK(store.get(Kind::kSecret, "default", first) == nullptr);
}

TEST_CASE("the default token authenticates as its account until its Secret is deleted") {
  for (const char* algorithm : {"RS256", "ES256"}) {
    INFO(algorithm);
    sim::Simulator simulator(5);
    Cluster cluster(simulator, real_token_config(algorithm));
    simulator.run({.until = sim::Time::from_start(sim::Duration::minutes(2))});
    const Store& store = cluster.apiserver().store();
    const std::string secret_name =
        as<ServiceAccount>(store.get(Kind::kServiceAccount, "kube-system", "default"))->secrets.at(0).name;
    const std::string token = token_of(store, "kube-system", secret_name);
    CHECK(token.rfind("eyJ", 0) == 0);

    TokenReviewResult before;
    cluster.review_token(token, [&](TokenReviewResult r) { before = std::move(r); });
    simulator.run({.until = simulator.now() + sim::Duration::seconds(1)});
    CHECK(before.authenticated);
    CHECK(before.username == "system:serviceaccount:kube-system:default");
    CHECK(before.groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:kube-system"});

    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kDelete;
    request->kind = Kind::kSecret;
    request->namespace_ = "kube-system";
    request->name = secret_name;
    cluster.submit(std::move(request), [](ApiResponse) {});
    simulator.run({.until = simulator.now() + sim::Duration::seconds(5)});
    TokenReviewResult after;
    cluster.review_token(token, [&](TokenReviewResult r) { after = std::move(r); });
    simulator.run({.until = simulator.now() + sim::Duration::seconds(1)});
    CHECK_FALSE(after.authenticated);
    CHECK(after.error == "Token has been invalidated");
    CHECK(cluster.apiserver().authenticate("not a token").outcome == auth::AuthResult::kNotHandled);
  }
}

TEST_CASE("the same seed gives the same trace digest with either algorithm") {
  for (const char* algorithm : {"RS256", "ES256"}) {
    INFO(algorithm);
    std::uint64_t digests[2] = {};
    for (std::uint64_t& digest : digests) {
      sim::Simulator simulator(11);
      Cluster cluster(simulator, real_token_config(algorithm));
      simulator.run({.until = sim::Time::from_start(sim::Duration::minutes(1))});
      // Observing tokens signs them; the digest must not depend on it.
      for (const ObjectPtr& secret : cluster.apiserver().store().list(Kind::kSecret)) {
        CHECK_FALSE(token_of(cluster.apiserver().store(), meta(*secret).namespace_, meta(*secret).name).empty());
      }
      digest = simulator.trace().digest();
    }
    CHECK(digests[0] == digests[1]);
  }
}

}  // namespace
}  // namespace sasim::model

namespace sasim::model {
namespace {

// The tokens controller's client is limited to 20 requests/s with a burst of
// 30, and each new account costs it three requests (GET, CREATE, UPDATE):
// 100 accounts (plus the three default ones) cannot all have tokens before
// (3 * 103 - 30) / 20 = 13.95 s, and with nothing else slowing it they have
// them soon after.
TEST_CASE("the tokens controller's client rate limit paces token creation") {
  sim::Simulator simulator(13);
  Cluster cluster(simulator, test_config());
  for (int i = 0; i < 100; ++i) {
    ServiceAccount sa;
    sa.metadata.namespace_ = "default";
    sa.metadata.name = "app-" + std::to_string(i);
    cluster.apiserver().bootstrap(Object(std::move(sa)));
  }
  const Store& store = cluster.apiserver().store();
  auto all_have_tokens = [&] {
    for (const ObjectPtr& object : store.list(Kind::kServiceAccount)) {
      if (!has_valid_token(store, std::get<ServiceAccount>(*object))) return false;
    }
    return store.count(Kind::kServiceAccount) == 103;
  };
  simulator.run({.stop_when = all_have_tokens});
  const double seconds = static_cast<double>(simulator.now().since_start().ns()) / 1e9;
  CHECK(seconds >= 13.95);
  CHECK(seconds < 15.5);
  CHECK(cluster.tokens_controller().requests_sent() >= 3 * 103);
}

}  // namespace
}  // namespace sasim::model
