// The checker as a whole: selection, a busy normal run under all ten
// invariants, the violation cap, evaluate_now.
#include "properties/checker.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
    CHECK(r.checks > 0);
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

}  // namespace
}  // namespace sasim::properties
