// rest.BeforeDelete, CheckGracefulDelete and the registry's finalizer
// handling, case by case (upstream's delete_test.go and store_test.go
// cover the same grid).
#include "model/apiserver/deletion.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

using ::sasim::sim::testing::at_s;

using Action = DeletionPlan::Action;

Pod scheduled_pod() {
  Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "web";
  pod.spec.node_name = "node-1";
  pod.spec.termination_grace_period_seconds = 30;
  pod.status.phase = PodPhase::kRunning;
  return pod;
}

TEST_CASE("a scheduled pod is deleted gracefully with its terminationGracePeriodSeconds") {
  const DeletionPlan plan = plan_deletion(Object(scheduled_pod()), std::nullopt, at_s(100));
  REQUIRE(plan.action == Action::kMarkDeleting);
  const ObjectMeta& m = meta(*plan.updated);
  CHECK(m.deletion_timestamp == at_s(130));
  CHECK(m.deletion_grace_period_seconds == 30);
}

TEST_CASE("the request's gracePeriodSeconds overrides the pod's and 0 marks then removes") {
  const DeletionPlan five = plan_deletion(Object(scheduled_pod()), 5, at_s(100));
  REQUIRE(five.action == Action::kMarkDeleting);
  CHECK(meta(*five.updated).deletion_timestamp == at_s(105));
  CHECK(meta(*five.updated).deletion_grace_period_seconds == 5);

  const DeletionPlan zero = plan_deletion(Object(scheduled_pod()), 0, at_s(100));
  REQUIRE(zero.action == Action::kMarkThenRemove);
  CHECK(meta(*zero.updated).deletion_timestamp == at_s(100));
  CHECK(meta(*zero.updated).deletion_grace_period_seconds == 0);
}

TEST_CASE("a pod never scheduled or already finished is removed without a grace period") {
  Pod unscheduled = scheduled_pod();
  unscheduled.spec.node_name.clear();
  CHECK(plan_deletion(Object(unscheduled), std::nullopt, at_s(1)).action == Action::kMarkThenRemove);
  CHECK(plan_deletion(Object(unscheduled), 60, at_s(1)).action == Action::kMarkThenRemove);
  for (PodPhase phase : {PodPhase::kSucceeded, PodPhase::kFailed}) {
    Pod done = scheduled_pod();
    done.status.phase = phase;
    CHECK(plan_deletion(Object(done), std::nullopt, at_s(1)).action == Action::kMarkThenRemove);
  }
  Pod pending = scheduled_pod();
  pending.status.phase = PodPhase::kPending;
  CHECK(plan_deletion(Object(pending), std::nullopt, at_s(1)).action == Action::kMarkDeleting);
}

TEST_CASE("a pod without terminationGracePeriodSeconds has no grace period") {
  Pod pod = scheduled_pod();
  pod.spec.termination_grace_period_seconds.reset();
  CHECK(plan_deletion(Object(pod), std::nullopt, at_s(1)).action == Action::kMarkThenRemove);
}

TEST_CASE("a second DELETE may only shorten the grace period") {
  Pod deleting = scheduled_pod();
  deleting.metadata.deletion_timestamp = at_s(130);  // deleted at 100 with 30 s
  deleting.metadata.deletion_grace_period_seconds = 30;
  CHECK(plan_deletion(Object(deleting), std::nullopt, at_s(110)).action == Action::kAlreadyDeleting);
  CHECK(plan_deletion(Object(deleting), 30, at_s(110)).action == Action::kAlreadyDeleting);
  CHECK(plan_deletion(Object(deleting), 45, at_s(110)).action == Action::kAlreadyDeleting);

  const DeletionPlan shorter = plan_deletion(Object(deleting), 10, at_s(110));
  REQUIRE(shorter.action == Action::kMarkDeleting);
  CHECK(meta(*shorter.updated).deletion_timestamp == at_s(110));  // 130 - 30 + 10
  CHECK(meta(*shorter.updated).deletion_grace_period_seconds == 10);

  // 1.20 lets the shortened timestamp fall into the past.
  const DeletionPlan past = plan_deletion(Object(deleting), 2, at_s(120));
  CHECK(meta(*past.updated).deletion_timestamp == at_s(102));

  // The kubelet's confirmation: grace 0 with the uid precondition.
  const DeletionPlan confirm = plan_deletion(Object(deleting), 0, at_s(101));
  REQUIRE(confirm.action == Action::kMarkThenRemove);
  CHECK(meta(*confirm.updated).deletion_timestamp == at_s(100));
}

TEST_CASE("objects of other kinds go at once unless finalizers hold them") {
  Secret secret;
  secret.metadata.namespace_ = "default";
  secret.metadata.name = "s";
  CHECK(plan_deletion(Object(secret), std::nullopt, at_s(5)).action == Action::kRemove);
  CHECK(plan_deletion(Object(secret), 30, at_s(5)).action == Action::kRemove);

  secret.metadata.finalizers = {"example.com/hold"};
  const DeletionPlan held = plan_deletion(Object(secret), 30, at_s(5));
  REQUIRE(held.action == Action::kMarkDeleting);
  CHECK(meta(*held.updated).deletion_timestamp == at_s(5));
  CHECK(meta(*held.updated).deletion_grace_period_seconds == 0);
  // Deleting it again writes nothing.
  CHECK(plan_deletion(*held.updated, std::nullopt, at_s(9)).action == Action::kAlreadyDeleting);
}

TEST_CASE("a graceful pod deletion with finalizers never removes the pod") {
  Pod pod = scheduled_pod();
  pod.metadata.finalizers = {"example.com/hold"};
  const DeletionPlan graceful = plan_deletion(Object(pod), std::nullopt, at_s(0));
  REQUIRE(graceful.action == Action::kMarkDeleting);
  const DeletionPlan confirm = plan_deletion(*graceful.updated, 0, at_s(3));
  REQUIRE(confirm.action == Action::kMarkDeleting);
  CHECK(meta(*confirm.updated).deletion_grace_period_seconds == 0);
  CHECK(meta(*confirm.updated).deletion_timestamp == at_s(0));
  CHECK(plan_deletion(*confirm.updated, 0, at_s(4)).action == Action::kAlreadyDeleting);
}

TEST_CASE("removing the last finalizer removes an object whose deletion waits only for it") {
  Secret old;
  old.metadata.finalizers = {"example.com/hold"};
  Secret updated = old;
  updated.metadata.finalizers.clear();
  CHECK_FALSE(should_delete_during_update(Object(updated), Object(old)));  // not being deleted
  old.metadata.deletion_timestamp = at_s(1);
  old.metadata.deletion_grace_period_seconds = 0;
  CHECK(should_delete_during_update(Object(updated), Object(old)));
  Secret still = old;
  still.metadata.finalizers = {"example.com/other"};
  CHECK_FALSE(should_delete_during_update(Object(still), Object(old)));

  // A pod still in its grace period stays until the kubelet confirms.
  Pod pod = scheduled_pod();
  pod.metadata.deletion_timestamp = at_s(30);
  pod.metadata.deletion_grace_period_seconds = 30;
  Pod pod_updated = pod;
  CHECK_FALSE(should_delete_during_update(Object(pod_updated), Object(pod)));

  // A Terminating namespace also waits for its spec.finalizers.
  Namespace ns;
  ns.metadata.deletion_timestamp = at_s(1);
  ns.metadata.deletion_grace_period_seconds = 0;
  ns.spec_finalizers = {"kubernetes"};
  CHECK_FALSE(should_delete_during_update(Object(ns), Object(ns)));
  ns.spec_finalizers.clear();
  CHECK(should_delete_during_update(Object(ns), Object(ns)));
}

}  // namespace
}  // namespace sasim::model
