// Violations explained by the weaknesses the model recorded while faults
// pushed it down known-bad upstream paths, and violations that are not.
#include "properties/known_weaknesses.h"

#include <catch2/catch.hpp>

#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using testing::Harness;
using testing::only;
namespace mf = model::faults;

const InvariantResult& result(const InvariantChecker& checker, std::string_view name) {
  const InvariantResult* r = checker.result(name);
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("an account dropped after maxRetries is a known weakness (retries-exhausted)") {
  Harness h(61);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  h.cluster.fault_controller().start(
      mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {model::Verb::kCreate}, .resources = {model::Kind::kSecret}},
      "", sim::Duration::seconds(30));
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.run_for(sim::Duration::seconds(40));
  h.settle();
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kEveryServiceAccountHasValidToken).violations.at(0);
  CHECK(v.objects.front() == "serviceaccount/default/robot");
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "retries-exhausted");
  CHECK(v.known->upstream == "kubernetes/kubernetes#106587");
  CHECK(checker.passed(false));
  CHECK_FALSE(checker.passed(true));
}

TEST_CASE("a token left behind by a lost deletion event is a known weakness (watch-event-lost)") {
  Harness h(62);
  InvariantChecker checker(h.cluster, only(kTokenSecretsBelongToLiveServiceAccounts));
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  h.cluster.fault_controller().start(
      mf::DropEventsSpec{.actor = "tokens-controller", .resources = {model::Kind::kServiceAccount}, .count = 1});
  REQUIRE(h.remove(model::Kind::kServiceAccount, "default", "robot").ok());
  h.settle();
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kTokenSecretsBelongToLiveServiceAccounts).violations.at(0);
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "watch-event-lost");
  CHECK(v.known->upstream == "kubernetes/kubernetes#25204");
}

TEST_CASE("a reference update that fails after commit leaves a dangling reference (token-deleted-after-unsure-update)") {
  Harness h(64);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  h.cluster.fault_controller().start(mf::ErrorsSpec{.actor = "tokens-controller",
                                                    .verbs = {model::Verb::kUpdate},
                                                    .resources = {model::Kind::kServiceAccount},
                                                    .count = 1,
                                                    .code = 500,
                                                    .after_commit = true});
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  // The reference was committed, the controller saw a 500 and deleted the
  // token (T3.8); its mutation cache hid the deletion from T5.
  const model::ServiceAccount* sa = testing::account(h, "default", "robot");
  REQUIRE(sa->secrets.size() == 1);
  CHECK(h.store().get(model::Kind::kSecret, "default", sa->secrets[0].name) == nullptr);
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kEveryServiceAccountHasValidToken).violations.at(0);
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "token-deleted-after-unsure-update");
  CHECK(v.known->upstream == "kubernetes/kubernetes#9104");
}

TEST_CASE("a reference removal that fails is never retried (reference-removal-dropped)") {
  Harness h(65);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  h.run_for(sim::Duration::minutes(2));  // past the mutation cache's 60 s
  const std::string token = testing::first_token_name(h, "default", "robot");
  h.cluster.fault_controller().start(mf::ErrorsSpec{.actor = "tokens-controller",
                                                    .verbs = {model::Verb::kUpdate},
                                                    .resources = {model::Kind::kServiceAccount},
                                                    .code = 500},
                                     "", sim::Duration::seconds(10));
  REQUIRE(h.remove(model::Kind::kSecret, "default", token).ok());
  h.run_for(sim::Duration::seconds(20));
  h.settle();
  REQUIRE(testing::account(h, "default", "robot")->secrets.size() == 1);
  CHECK(testing::first_token_name(h, "default", "robot") == token);
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = result(checker, kEveryServiceAccountHasValidToken).violations.at(0);
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "reference-removal-dropped");
}

TEST_CASE("a violation that no recorded weakness touches stays a failure") {
  Harness h(63);
  InvariantChecker checker(h.cluster, only(kEveryServiceAccountHasValidToken));
  h.settle();
  // A weakness recorded for robot...
  h.cluster.fault_controller().start(
      mf::DropEventsSpec{.actor = "tokens-controller", .resources = {model::Kind::kServiceAccount}, .count = 1});
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  // ...does not excuse another account left without a token by a crash.
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::testing::service_account("default", "other")).ok());
  h.run_for(sim::Duration::seconds(1));
  REQUIRE(checker.check_eventually(h.simulator.now()) == 2);
  const InvariantResult& r = result(checker, kEveryServiceAccountHasValidToken);
  for (const Violation& v : r.violations) {
    INFO(v.objects.front());
    if (v.objects.front() == "serviceaccount/default/robot") {
      REQUIRE(v.known.has_value());
      CHECK(v.known->weakness == "watch-event-lost");
    } else {
      CHECK(v.objects.front() == "serviceaccount/default/other");
      CHECK_FALSE(v.known.has_value());
    }
  }
  CHECK_FALSE(checker.passed(false));
}

}  // namespace
}  // namespace sasim::properties
