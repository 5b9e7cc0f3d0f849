// The checker as a whole: selection, a busy normal run under all ten
// invariants, the violation cap, evaluate_now.
#include "properties/checker.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/objects/constants.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using testing::Harness;

TEST_CASE("only the selected invariants are reported and in registry order") {
  Harness h(91);
  InvariantChecker checker(h.cluster, {std::string(kUidsAreUnique), std::string(kEveryNamespaceHasDefaultServiceAccount)});
  REQUIRE(checker.results().size() == 2);
  CHECK(checker.results()[0].info.name == kEveryNamespaceHasDefaultServiceAccount);
  CHECK(checker.results()[1].info.name == kUidsAreUnique);
  CHECK(checker.selected(kUidsAreUnique));
  CHECK_FALSE(checker.selected(kResourceVersionsIncrease));
  CHECK(checker.result(kResourceVersionsIncrease) == nullptr);
  CHECK_FALSE(checker.evaluate_now(kResourceVersionsIncrease, h.simulator.now()).has_value());
  CHECK_FALSE(checker.evaluate_now("no-such-invariant", h.simulator.now()).has_value());
  // An eventually-invariant can be asked about even when not selected.
  CHECK(checker.evaluate_now(kTokenSecretsArePopulated, h.simulator.now()).has_value());
  InvariantChecker none(h.cluster, {});
  CHECK(none.results().empty());
  CHECK(none.passed(true));
}

TEST_CASE("every invariant holds over a busy normal run") {
  Harness h(92);
  InvariantChecker checker(h.cluster);
  checker.attach();
  REQUIRE(checker.results().size() == all_invariants().size());
  h.settle();
  REQUIRE(h.create(testing::namespace_named("team-a")).ok());
  h.settle();
  model::ServiceAccount builder = std::get<model::ServiceAccount>(model::testing::service_account("team-a", "builder"));
  builder.image_pull_secrets = {"registry"};
  REQUIRE(h.create(model::Object(builder)).ok());
  h.settle();
  REQUIRE(h.create(model::Object(testing::pod("team-a", "build", "builder"))).ok());
  REQUIRE(h.create(model::Object(testing::pod("default", "web"))).ok());
  // A pod with a projected token of its own (1.20 without the gate): the
  // kubelet requests it, the pod's process presents it.
  {
    model::Pod projected = testing::pod("default", "projected");
    model::Volume volume;
    volume.name = "token";
    volume.other_source = std::make_shared<const nlohmann::json>(nlohmann::json::parse(
        R"({"projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]}})"));
    projected.spec.volumes.push_back(volume);
    model::VolumeMount mount;
    mount.name = "token";
    mount.mount_path = std::string(model::kDefaultApiTokenMountPath);
    projected.spec.containers[0].volume_mounts.push_back(mount);
    REQUIRE(h.create(model::Object(projected)).ok());
  }
  // An account that enforces mountable secrets: its pod mounts only its token.
  model::ServiceAccount strict = std::get<model::ServiceAccount>(model::testing::service_account("team-a", "strict"));
  strict.metadata.annotations[std::string(model::kEnforceMountableSecretsAnnotation)] = "true";
  REQUIRE(h.create(model::Object(strict)).ok());
  h.settle();
  REQUIRE(h.create(model::Object(testing::pod("team-a", "locked", "strict"))).ok());
  // A pod whose account does not exist is refused, for that cause.
  REQUIRE_FALSE(h.create(model::Object(testing::pod("default", "lost", "ghost"))).ok());
  h.run_for(sim::Duration::minutes(1));
  // Token churn with running pods, then an account and a namespace go away.
  REQUIRE(h.remove(model::Kind::kSecret, "default", testing::first_token_name(h, "default", "default")).ok());
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.remove(model::Kind::kServiceAccount, "team-a", "builder").ok());
  h.settle();
  REQUIRE(h.remove(model::Kind::kNamespace, "", "team-a").ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  for (const InvariantResult& r : checker.results()) {
    INFO(r.info.name);
    CHECK(r.held());
    // 1.20 runs no legacy-token cleaner: that invariant has nothing to judge.
    if (r.info.name != kCleanedLegacyTokensWereUnused) CHECK(r.checks > 0);
  }
  CHECK(checker.passed(true));
}

TEST_CASE("violations beyond the cap are counted but not stored") {
  Harness h(93);
  InvariantChecker checker(h.cluster, testing::only(kAdmittedPodsUseExistingServiceAccount));
  const std::size_t n = InvariantChecker::kMaxStoredViolations + 5;
  for (std::size_t i = 0; i < n; ++i) {
    checker.on_pod_admitted(testing::pod("default", "p" + std::to_string(i), "nobody"), testing::admission(nullptr),
                            h.simulator.now());
  }
  const InvariantResult* r = checker.result(kAdmittedPodsUseExistingServiceAccount);
  CHECK(r->violation_count == n);
  CHECK(r->checks == n);
  CHECK(r->violations.size() == InvariantChecker::kMaxStoredViolations);
  CHECK(r->violations.back().objects.front() == "pod/default/p999");
  CHECK_FALSE(r->passed(false));
}

TEST_CASE("an always-invariant's evaluate_now is what it recorded so far") {
  Harness h(94);
  InvariantChecker checker(h.cluster, testing::only(kAdmittedPodsUseExistingServiceAccount));
  CHECK(checker.evaluate_now(kAdmittedPodsUseExistingServiceAccount, h.simulator.now())->empty());
  checker.on_pod_admitted(testing::pod("default", "stray", "nobody"), testing::admission(nullptr),
                          h.simulator.now());
  auto violations = checker.evaluate_now(kAdmittedPodsUseExistingServiceAccount, h.simulator.now());
  REQUIRE(violations.has_value());
  CHECK(violations->size() == 1);
}

// Both checkers' answers for every eventually-invariant, compared field by field.
void expect_same_answers(InvariantChecker& incremental, InvariantChecker& full, sim::Time now, std::size_t& seen) {
  for (const InvariantInfo& info : all_invariants()) {
    if (info.kind != InvariantKind::kEventually) continue;
    INFO(info.name);
    auto a = incremental.evaluate_now(info.name, now);
    auto b = full.evaluate_now(info.name, now);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    REQUIRE(a->size() == b->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      CHECK((*a)[i].message == (*b)[i].message);
      CHECK((*a)[i].objects == (*b)[i].objects);
      CHECK((*a)[i].time == (*b)[i].time);
      CHECK((*a)[i].known == (*b)[i].known);
    }
    auto summary = incremental.summarize_now(info.name, now);
    REQUIRE(summary.has_value());
    CHECK(summary->violation_count == a->size());
    CHECK(summary->first.has_value() == !a->empty());
    if (summary->first) CHECK(summary->first->message == a->front().message);
    seen += a->size();
  }
}

TEST_CASE("incremental and full evaluation agree mid-flight and at quiescence") {
  Harness h(95);
  InvariantChecker incremental(h.cluster, {}, nullptr, EvaluationMode::kIncremental);
  InvariantChecker full(h.cluster, {}, nullptr, EvaluationMode::kFull);
  incremental.attach();
  full.attach();
  std::size_t seen = 0;
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  h.settle();
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  // Namespaces appear: mid-flight their accounts lack tokens.
  for (const char* ns : {"team-a", "team-b", "team-c"}) REQUIRE(h.create(testing::namespace_named(ns)).ok());
  for (int i = 0; i < 40; ++i) {
    h.run_for(sim::Duration::milliseconds(25));
    expect_same_answers(incremental, full, h.simulator.now(), seen);
  }
  h.settle();
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  // The tokens controller down: a new account stays without a token, a bare
  // token Secret stays unpopulated, and a deleted token is not replaced.
  testing::crash(h, model::Cluster::kTokensController);
  REQUIRE(h.create(model::testing::service_account("team-b", "robot")).ok());
  REQUIRE(h.create(model::Object(testing::token_secret("team-c", "bare", "default"))).ok());
  REQUIRE(h.remove(model::Kind::kSecret, "team-a", testing::first_token_name(h, "team-a", "default")).ok());
  h.run_for(sim::Duration::seconds(5));
  const std::size_t before = seen;
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  CHECK(seen > before);  // the comparison saw violations
  testing::restart(h, model::Cluster::kTokensController);
  h.settle();
  REQUIRE(h.remove(model::Kind::kNamespace, "", "team-c").ok());
  h.run_for(sim::Duration::milliseconds(50));
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  h.settle();
  expect_same_answers(incremental, full, h.simulator.now(), seen);
  CHECK(incremental.check_eventually(h.simulator.now()) == full.check_eventually(h.simulator.now()));
  for (std::size_t i = 0; i < incremental.results().size(); ++i) {
    CHECK(incremental.results()[i].checks == full.results()[i].checks);
    CHECK(incremental.results()[i].violation_count == full.results()[i].violation_count);
  }
}

TEST_CASE("the eventually-invariants judge tokens nobody read without signing them") {
  Harness h(96);
  InvariantChecker checker(h.cluster);
  checker.attach();
  h.settle();
  for (const char* ns : {"team-a", "team-b"}) REQUIRE(h.create(testing::namespace_named(ns)).ok());
  h.settle();
  CHECK(checker.check_eventually(h.simulator.now()) == 0);
  CHECK(checker.result(kEveryServiceAccountHasValidToken)->checks > 0);
  std::size_t lazy = 0;
  for (const model::ObjectPtr& object : h.store().list(model::Kind::kSecret)) {
    const model::DataValue* token =
        std::get<model::Secret>(*object).data_value(std::string(model::kServiceAccountTokenKey));
    if (token == nullptr || token->lazy() == nullptr) continue;
    ++lazy;
    CHECK_FALSE(token->lazy()->computed());
  }
  CHECK(lazy >= 2);
}

}  // namespace
}  // namespace sasim::properties
