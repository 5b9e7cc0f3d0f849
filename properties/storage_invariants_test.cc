// resource-versions-increase and uids-are-unique: they hold over a normal
// run, and break when the observer is shown commits that storage must never
// make (a resourceVersion going back, a UID given twice).
#include <catch2/catch.hpp>

#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using testing::Harness;

std::vector<std::string> storage_invariants() {
  return {std::string(kResourceVersionsIncrease), std::string(kUidsAreUnique)};
}

// Some churn: accounts and tokens created, deleted, recreated.
void normal_run(Harness& h) {
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  REQUIRE(h.remove(model::Kind::kServiceAccount, "default", "robot").ok());
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
}

TEST_CASE("resource versions increase and uids are unique over a normal run") {
  Harness h(41);
  InvariantChecker checker(h.cluster, storage_invariants());
  checker.attach();
  normal_run(h);
  const InvariantResult* rv = checker.result(kResourceVersionsIncrease);
  const InvariantResult* uid = checker.result(kUidsAreUnique);
  REQUIRE(rv != nullptr);
  REQUIRE(uid != nullptr);
  CHECK(rv->held());
  CHECK(uid->held());
  // Every write is a commit; every creation a new UID (both accounts, their
  // tokens, the four default accounts and tokens).
  CHECK(rv->checks == h.store().resource_version() - 5);  // the 4 namespaces and the node were written before attach
  CHECK(uid->checks >= 10);
  CHECK(checker.passed(true));
}

TEST_CASE("a commit whose resourceVersion does not increase is a violation") {
  Harness h(42);
  InvariantChecker checker(h.cluster, storage_invariants());
  checker.attach();
  h.settle();
  const std::uint64_t last = h.store().resource_version();
  model::ObjectPtr current = h.store().get(model::Kind::kNamespace, "", "default");
  model::Object older = *current;
  model::meta(older).resource_version = last;  // equal is not larger
  checker.on_commit(testing::change(model::WatchEventType::kModified, testing::ptr(older), current),
                    h.simulator.now());
  model::meta(older).resource_version = 1;
  checker.on_commit(testing::change(model::WatchEventType::kDeleted, testing::ptr(older), current),
                    h.simulator.now());
  const InvariantResult* rv = checker.result(kResourceVersionsIncrease);
  REQUIRE(rv->violation_count == 2);
  CHECK(rv->violations[0].invariant == kResourceVersionsIncrease);
  CHECK(rv->violations[0].objects.front() == "namespace/default");
  CHECK(rv->violations[0].message.find("resourceVersion " + std::to_string(last)) != std::string::npos);
  CHECK(rv->violations[1].message.find("resourceVersion 1,") != std::string::npos);
  CHECK(rv->violations[0].time == h.simulator.now());
  CHECK_FALSE(rv->violations[0].known.has_value());
  // The high-water mark did not go back: a real commit afterwards is fine.
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  CHECK(rv->violation_count == 2);
  CHECK(checker.result(kUidsAreUnique)->held());
  CHECK_FALSE(checker.passed(false));
}

TEST_CASE("a new object with an earlier object's uid is a violation even after that object is gone") {
  Harness h(43);
  InvariantChecker checker(h.cluster, storage_invariants());
  checker.attach();
  h.settle();
  const std::string default_uid = model::meta(*h.store().get(model::Kind::kNamespace, "", "default")).uid;

  model::Namespace impostor;
  impostor.metadata.name = "impostor";
  impostor.metadata.uid = default_uid;
  impostor.metadata.resource_version = h.store().resource_version() + 1;
  checker.on_commit(testing::change(model::WatchEventType::kAdded, testing::ptr(impostor)),
                    h.simulator.now());
  const InvariantResult* uid = checker.result(kUidsAreUnique);
  REQUIRE(uid->violation_count == 1);
  CHECK(uid->violations[0].objects == std::vector<std::string>{"namespace/impostor", "namespace/default"});
  CHECK(checker.result(kResourceVersionsIncrease)->held());

  // The account's UID is remembered after its deletion.
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  const std::string robot_uid = model::meta(*h.store().get(model::Kind::kServiceAccount, "default", "robot")).uid;
  REQUIRE(h.remove(model::Kind::kServiceAccount, "default", "robot").ok());
  h.settle();
  model::Secret reuse = testing::opaque_secret("default", "reuse");
  reuse.metadata.uid = robot_uid;
  reuse.metadata.resource_version = h.store().resource_version() + 1;
  checker.on_commit(testing::change(model::WatchEventType::kAdded, testing::ptr(reuse)),
                    h.simulator.now());
  REQUIRE(uid->violation_count == 2);
  CHECK(uid->violations[1].objects == std::vector<std::string>{"secret/default/reuse"});
}

}  // namespace
}  // namespace sasim::properties
