// The four eventually-invariants: each holds once a normal cluster has
// settled, and each is broken by a real state the control plane passes
// through (checked before the controller acts) or is left in (with the
// controller that would repair it crashed).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "model/versions/behaviour.h"
#include "properties/eventually_checks.h"
#include "properties/test_support.h"
#include "properties/usernames.h"

namespace sasim::properties {
namespace eventually_invariants_test {

using testing::Harness;
using testing::only;

const InvariantResult& result(const InvariantChecker& checker, std::string_view name) {
  const InvariantResult* r = checker.result(name);
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("every namespace has its default account once the cluster settles") {
  Harness h(51);
  InvariantChecker checker(h.cluster, only(kEveryNamespaceHasDefaultServiceAccount));
  h.settle();
  REQUIRE(h.create(testing::namespace_named("team-a")).ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(result(checker, kEveryNamespaceHasDefaultServiceAccount).checks == 5);  // the four of a fresh cluster and team-a
  CHECK(result(checker, kEveryNamespaceHasDefaultServiceAccount).held());
}

TEST_CASE("a namespace checked while the serviceaccounts controller is down has no default account") {
  Harness h(52);
  InvariantChecker checker(h.cluster, only(kEveryNamespaceHasDefaultServiceAccount));
  h.settle();
  testing::crash(h, model::Cluster::kServiceAccountsController);
  REQUIRE(h.create(testing::namespace_named("lonely")).ok());
  h.run_for(sim::Duration::seconds(30));
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kEveryNamespaceHasDefaultServiceAccount).violations.at(0);
  CHECK(v.objects == std::vector<std::string>{"namespace/lonely", "serviceaccount/lonely/default"});
  CHECK(v.message == "namespace lonely is Active but has no ServiceAccount default");
  CHECK(v.time == h.simulator.now());
  CHECK_FALSE(v.known.has_value());
  // Once the controller is back it creates the account, and the rule holds.
  testing::restart(h, model::Cluster::kServiceAccountsController);
  h.settle();
  CHECK(checker.evaluate_now(kEveryNamespaceHasDefaultServiceAccount, h.simulator.now())->empty());
}

TEST_CASE("every account references a valid token once the cluster settles") {
  Harness h(53);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(result(checker, kEveryServiceAccountHasValidToken).checks == 5);
}

TEST_CASE("an account referencing only an Opaque Secret has no valid token while the tokens controller is down") {
  Harness h(54);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::Object(testing::opaque_secret("default", "not-a-token"))).ok());
  model::ServiceAccount sa = std::get<model::ServiceAccount>(model::testing::service_account("default", "robot"));
  sa.secrets.push_back(model::ObjectReference{.name = "not-a-token"});
  REQUIRE(h.create(model::Object(sa)).ok());
  h.run_for(sim::Duration::seconds(30));
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kEveryServiceAccountHasValidToken).violations.at(0);
  CHECK(v.objects == std::vector<std::string>{"serviceaccount/default/robot", "secret/default/not-a-token"});
  CHECK(v.message ==
        "serviceaccount/default/robot references no Secret holding a token that authenticates as it (not-a-token: not "
        "a token Secret of this account)");
  CHECK_FALSE(v.known.has_value());
  CHECK_FALSE(checker.passed(false));
}

TEST_CASE("an account whose only referenced token is garbage is a known weakness") {
  Harness h(55);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  // A token Secret for robot that is complete but holds a non-JWT token: the
  // tokens controller leaves it as it is (T6 never replaces a non-empty token).
  model::Secret bad = testing::token_secret("default", "bad-token", "robot");
  bad.data["token"] = "not-a-jwt";
  bad.data["namespace"] = "default";
  bad.data["ca.crt"] = h.cluster.config().tokens_controller.root_ca;
  REQUIRE(h.create(model::Object(bad)).ok());
  h.settle();
  // Reference only it: the controller sees a referenced token (T3) and does nothing.
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", "robot", {{"secrets", {{{"name", "bad-token"}}}}}).ok());
  h.settle();
  REQUIRE(testing::account(h, "default", "robot")->secrets.size() == 1);
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const InvariantResult& r = result(checker, kEveryServiceAccountHasValidToken);
  const Violation& v = r.violations.at(0);
  CHECK(v.objects == std::vector<std::string>{"serviceaccount/default/robot", "secret/default/bad-token"});
  CHECK(v.message.find("bad-token: token rejected") != std::string::npos);
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "invalid-token-never-replaced");
  CHECK(v.known->upstream == "kubernetes/kubernetes#24928");
  CHECK(r.known_count == 1);
  CHECK(checker.passed(false));
  CHECK_FALSE(checker.passed(true));
}

model::ClusterConfig release_config(int minor, const std::map<std::string, bool>& gates = {}) {
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1." + std::to_string(minor);
  auto resolved = model::versions::resolve_feature_gates(model::versions::KubeVersion{minor}, gates);
  REQUIRE(resolved.ok());
  config.behaviour = model::versions::behaviour_of(resolved.value());
  return config;
}

TEST_CASE("no token is promised where tokens are not auto-generated") {
  // 1.24 and 1.25 (LegacyServiceAccountTokenNoAutoGeneration on): accounts
  // without any Secret are what the release does.
  for (int minor : {24, 25}) {
    Harness h(56, release_config(minor));
    InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
    h.settle();
    REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
    h.settle();
    CHECK(model::as<model::ServiceAccount>(h.store().get(model::Kind::kServiceAccount, "default", "robot"))->secrets.empty());
    CHECK(checker.check_eventually(h.simulator.now()) == 0);
    CHECK(result(checker, kEveryServiceAccountHasValidToken).checks == 0);
  }
}

TEST_CASE("1.24 with the gate off promises tokens again and an account without one violates it") {
  Harness h(58, release_config(24, {{"LegacyServiceAccountTokenNoAutoGeneration", false}}));
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(result(checker, kEveryServiceAccountHasValidToken).checks > 0);
  // The tokens controller down: a new account gets no token.
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(30));
  CHECK(checker.check_eventually(h.simulator.now()) == 1);
  CHECK(result(checker, kEveryServiceAccountHasValidToken).violations.at(0).objects.at(0) ==
        "serviceaccount/default/robot");
}

TEST_CASE("token Secrets belong to live accounts once the cluster settles") {
  Harness h(57);
  InvariantChecker checker(h.cluster, only(kTokenSecretsBelongToLiveServiceAccounts));
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  REQUIRE(h.remove(model::Kind::kServiceAccount, "default", "robot").ok());
  h.settle();
  // A manual token Secret without a uid annotation belongs to any incarnation.
  REQUIRE(h.create(model::Object(testing::token_secret("default", "manual", "default"))).ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(result(checker, kTokenSecretsBelongToLiveServiceAccounts).checks == 5);  // four default tokens and the manual one
}

TEST_CASE("a token Secret naming a missing account breaks the rule until the tokens controller deletes it") {
  Harness h(58);
  InvariantChecker checker(h.cluster, only(kTokenSecretsBelongToLiveServiceAccounts));
  h.settle();
  // Checked the moment the create is answered: the controller has not seen it yet.
  REQUIRE(h.create(model::Object(testing::token_secret("default", "ghost-token", "ghost"))).ok());
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kTokenSecretsBelongToLiveServiceAccounts).violations.at(0);
  CHECK(v.objects == std::vector<std::string>{"secret/default/ghost-token", "serviceaccount/default/ghost"});
  CHECK(v.message == "secret/default/ghost-token names serviceaccount/default/ghost, which does not exist");
  h.settle();
  CHECK(h.store().get(model::Kind::kSecret, "default", "ghost-token") == nullptr);
  CHECK(checker.evaluate_now(kTokenSecretsBelongToLiveServiceAccounts, h.simulator.now())->empty());
}

TEST_CASE("a token Secret pinned to another uid of its account breaks the rule") {
  Harness h(59);
  InvariantChecker checker(h.cluster, only(kTokenSecretsBelongToLiveServiceAccounts));
  h.settle();
  model::Secret pinned = testing::token_secret("default", "pinned", "default");
  pinned.metadata.annotations[std::string(model::kServiceAccountUidKey)] = "an-old-incarnation";
  REQUIRE(h.create(model::Object(pinned)).ok());
  auto violations = checker.evaluate_now(kTokenSecretsBelongToLiveServiceAccounts, h.simulator.now());
  REQUIRE(violations.has_value());
  REQUIRE(violations->size() == 1);
  const std::string uid = testing::account(h, "default", "default")->metadata.uid;
  CHECK(violations->at(0).message ==
        "secret/default/pinned belongs to uid an-old-incarnation but serviceaccount/default/default has uid " + uid);
  // evaluate_now records nothing.
  CHECK(result(checker, kTokenSecretsBelongToLiveServiceAccounts).checks == 0);
}

TEST_CASE("token Secrets are populated once the cluster settles") {
  Harness h(60);
  InvariantChecker checker(h.cluster, only(kTokenSecretsArePopulated));
  h.settle();
  // A bare manual token Secret is filled in by the tokens controller.
  REQUIRE(h.create(model::Object(testing::token_secret("default", "manual", "default"))).ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(result(checker, kTokenSecretsArePopulated).checks == 5);
}

TEST_CASE("a bare token Secret stays unpopulated while the tokens controller is down") {
  Harness h(61);
  InvariantChecker checker(h.cluster, only(kTokenSecretsArePopulated));
  h.settle();
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::Object(testing::token_secret("default", "manual", "default"))).ok());
  h.run_for(sim::Duration::seconds(30));
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kTokenSecretsArePopulated).violations.at(0);
  CHECK(v.objects == std::vector<std::string>{"secret/default/manual"});
  CHECK(v.message == "secret/default/manual lacks token, namespace, ca.crt");
  testing::restart(h, model::Cluster::kTokensController);
  h.settle();
  CHECK(checker.evaluate_now(kTokenSecretsArePopulated, h.simulator.now())->empty());
}

TEST_CASE("without a root CA ca.crt is not required") {
  Harness h(62);
  model::Secret partial = testing::token_secret("default", "manual", "default");
  partial.data["token"] = "x";
  partial.data["namespace"] = "default";
  InvariantChecker checker(h.cluster, only(kTokenSecretsArePopulated));
  h.settle();
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::Object(partial)).ok());
  CHECK(check_token_secrets_are_populated(h.store(), "", h.simulator.now()).violations.empty());
  CHECK(check_token_secrets_are_populated(h.store(), "CA", h.simulator.now()).violations.size() == 1);
}

TEST_CASE("a username is compared with an account's in place") {
  CHECK(is_service_account_username("system:serviceaccount:team-a:builder", "team-a", "builder"));
  CHECK_FALSE(is_service_account_username("system:serviceaccount:team-a:builder", "team-b", "builder"));
  CHECK_FALSE(is_service_account_username("system:serviceaccount:team-a:builder", "team-a", "build"));
  CHECK_FALSE(is_service_account_username("system:serviceaccount:team-a:builder", "team", "a:builder"));
  CHECK_FALSE(is_service_account_username("system:serviceaccount:team-ax:builder", "team-a", "builder"));
  CHECK_FALSE(is_service_account_username("system:serviceaccounts:team-a:builder", "team-a", "builder"));
  CHECK_FALSE(is_service_account_username("system:serviceaccount:team-a", "team-a", ""));
  CHECK(is_service_account_username("system:serviceaccount::", "", ""));
}

}  // namespace eventually_invariants_test
}  // namespace sasim::properties
