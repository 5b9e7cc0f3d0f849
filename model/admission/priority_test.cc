// The Priority plugin's pod cases (upstream's admission_test.go
// TestPodAdmission, for the classes a fresh cluster has).
#include "model/admission/priority.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace sasim::model::admission {
namespace {

using nlohmann::json;

Pod pod_with(json spec) {
  Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "p";
  if (!spec.empty()) pod.spec.extra = std::make_shared<const json>(std::move(spec));
  return pod;
}

Attributes create() {
  return Attributes{.operation = Operation::kCreate, .resource = "pods", .subresource = "", .namespace_ = "default", .name = "p"};
}

json spec_of(const Pod& pod) { return pod.spec.extra ? *pod.spec.extra : json::object(); }

TEST_CASE("a pod without a priority class gets priority 0 and PreemptLowerPriority") {
  Pod pod = pod_with({});
  CHECK_FALSE(admit_priority(create(), pod, nullptr).has_value());
  CHECK(spec_of(pod)["priority"] == 0);
  CHECK(spec_of(pod)["preemptionPolicy"] == "PreemptLowerPriority");
  CHECK_FALSE(spec_of(pod).contains("priorityClassName"));
}

TEST_CASE("the system priority classes resolve to their values") {
  Pod node_critical = pod_with({{"priorityClassName", "system-node-critical"}});
  CHECK_FALSE(admit_priority(create(), node_critical, nullptr).has_value());
  CHECK(spec_of(node_critical)["priority"] == 2000001000);
  Pod cluster_critical = pod_with({{"priorityClassName", "system-cluster-critical"}});
  CHECK_FALSE(admit_priority(create(), cluster_critical, nullptr).has_value());
  CHECK(spec_of(cluster_critical)["priority"] == 2000000000);
}

TEST_CASE("an unknown priority class and a conflicting priority are forbidden") {
  Pod unknown = pod_with({{"priorityClassName", "gold"}});
  auto rejected = admit_priority(create(), unknown, nullptr);
  REQUIRE(rejected.has_value());
  CHECK(rejected->code == 403);
  CHECK(rejected->message == "pods \"p\" is forbidden: no PriorityClass with name gold was found");

  Pod own = pod_with({{"priority", 7}});
  rejected = admit_priority(create(), own, nullptr);
  REQUIRE(rejected.has_value());
  CHECK(rejected->message ==
        "pods \"p\" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority "
        "admission controller computed 0 from the given PriorityClass name");

  Pod same = pod_with({{"priority", 0}, {"preemptionPolicy", "PreemptLowerPriority"}});
  CHECK_FALSE(admit_priority(create(), same, nullptr).has_value());

  Pod never = pod_with({{"preemptionPolicy", "Never"}});
  rejected = admit_priority(create(), never, nullptr);
  REQUIRE(rejected.has_value());
  CHECK(rejected->message ==
        "pods \"p\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; "
        "priority admission controller computed PreemptLowerPriority from the given PriorityClass name");
}

TEST_CASE("an update keeps the stored priority when the new object omits it") {
  Pod old = pod_with({{"priority", 0}, {"preemptionPolicy", "PreemptLowerPriority"}});
  Pod updated = pod_with({});
  Attributes update = create();
  update.operation = Operation::kUpdate;
  CHECK_FALSE(admit_priority(update, updated, &old).has_value());
  CHECK(spec_of(updated)["priority"] == 0);
  CHECK(spec_of(updated)["preemptionPolicy"] == "PreemptLowerPriority");

  // Subresources are not its business.
  Pod status = pod_with({});
  Attributes status_update = update;
  status_update.subresource = "status";
  CHECK_FALSE(admit_priority(status_update, status, &old).has_value());
  CHECK_FALSE(spec_of(status).contains("priority"));
}

}  // namespace
}  // namespace sasim::model::admission
