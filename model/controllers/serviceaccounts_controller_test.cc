// Upstream's TestServiceAccountCreation (behaviour reference 7.4, 13 cases)
// as our tests, plus two beyond its table: the managed accounts are
// [default, managed]; the API already holds both (so every CREATE answers
// AlreadyExists, which the controller ignores: only its lister decides);
// each case asserts the exact ordered list of API actions, which must all be
// CREATEs of the expected names, and that the event caused exactly one sync.
//
// As in tokens_controller_test.cc, Existing* objects reach the informers
// through their initial LIST, whose handlers enqueue the namespace as a real
// informer's would; the controller settles on them first (a warm-up whose
// actions are discarded), then the case's event is delivered.
#include "model/controllers/serviceaccounts_controller.h"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/controllers/testing/fake_apiserver.h"
#include "sim/simulator.h"

namespace sasim::model::controllers {
namespace serviceaccounts_controller_test {

using testing::FakeApiServer;
using testing::RecordedAction;
using testing::Reactor;
using testing::object_summary;

Namespace namespace_in(NamespacePhase phase) {
  Namespace ns;
  ns.metadata.name = "default";
  ns.phase = phase;
  return ns;
}
Namespace active_namespace() { return namespace_in(NamespacePhase::kActive); }
Namespace terminating_namespace() { return namespace_in(NamespacePhase::kTerminating); }

ServiceAccount service_account(const std::string& name) {
  ServiceAccount sa;
  sa.metadata.name = name;
  sa.metadata.namespace_ = "default";
  sa.metadata.resource_version = 1;
  return sa;
}
ServiceAccount default_account() { return service_account("default"); }
ServiceAccount managed_account() { return service_account("managed"); }
ServiceAccount unmanaged_account() { return service_account("other-unmanaged"); }

struct SaCase {
  std::vector<Object> client_objects{Object(default_account()), Object(managed_account())};
  std::vector<std::pair<Verb, Reactor>> reactors{};  // on serviceaccounts

  std::optional<Namespace> existing_namespace{};
  std::vector<ServiceAccount> existing_service_accounts{};

  std::optional<Namespace> added_namespace{};
  std::optional<Namespace> updated_namespace{};
  std::optional<ServiceAccount> deleted_service_account{};

  std::vector<std::string> expect_created{};
  std::uint64_t expect_syncs = 1;
};

struct CaseRun {
  std::vector<RecordedAction> actions;
  sim::Duration elapsed;
};

CaseRun run_case(SaCase tc) {
  sim::Simulator simulator(1);
  auto fake_owner = std::make_unique<FakeApiServer>();
  FakeApiServer& fake = *fake_owner;
  simulator.add_actor("apiserver", std::move(fake_owner));

  ServiceAccountsControllerOptions options;
  options.managed_names = {"default", "managed"};
  options.base.sync_latency = sim::Duration::microseconds(100);  // the timing checks below assume it
  auto controller_owner = std::make_unique<ServiceAccountsController>(options);
  ServiceAccountsController& controller = *controller_owner;
  const sim::ActorId id = simulator.add_actor("service-account-controller", std::move(controller_owner));

  // Warm-up on the Existing objects.
  std::vector<Object> existing;
  if (tc.existing_namespace) existing.emplace_back(*tc.existing_namespace);
  for (const ServiceAccount& sa : tc.existing_service_accounts) existing.emplace_back(sa);
  fake.set_objects(tc.client_objects);
  fake.set_cache(existing);
  const auto warm = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  REQUIRE(warm.reason == sim::StopReason::kQuiescent);
  REQUIRE(fake.watch_id(id, Kind::kNamespace) != 0);
  REQUIRE(fake.watch_id(id, Kind::kServiceAccount) != 0);

  // The case proper.
  fake.set_objects(tc.client_objects);
  fake.clear_actions();
  for (auto& [verb, reactor] : tc.reactors) fake.prepend_reactor(verb, Kind::kServiceAccount, std::move(reactor));
  const std::uint64_t syncs_before = controller.syncs();
  const sim::Time start = simulator.now();
  if (tc.added_namespace) fake.inject(simulator, id, WatchEventType::kAdded, *tc.added_namespace);
  if (tc.updated_namespace) fake.inject(simulator, id, WatchEventType::kModified, *tc.updated_namespace);
  if (tc.deleted_service_account) fake.inject(simulator, id, WatchEventType::kDeleted, *tc.deleted_service_account);
  const auto result = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  CHECK(result.reason == sim::StopReason::kQuiescent);

  CaseRun run{fake.actions(), simulator.now() - start};
  std::vector<std::string> expected_texts;
  for (const std::string& name : tc.expect_created) {
    expected_texts.push_back("create serviceaccounts default/" + name + " secrets=[]");
  }
  CHECK(fake.action_texts() == expected_texts);
  for (const RecordedAction& action : run.actions) {
    // An empty account: no uid, no resourceVersion, no secrets.
    REQUIRE(action.body != nullptr);
    CHECK(object_summary(*action.body) == "secrets=[]");
  }
  CHECK(controller.syncs() - syncs_before == tc.expect_syncs);
  return run;
}

std::string reason_of(const RecordedAction& action) { return action.error ? action.error->reason : "OK"; }

// ---- TestServiceAccountCreation (reference 7.4) ---------------------------------------

TEST_CASE("serviceaccount creation: new active namespace missing serviceaccounts") {
  SaCase tc;
  tc.added_namespace = active_namespace();
  tc.expect_created = {"default", "managed"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 2);
  CHECK(reason_of(run.actions[0]) == kReasonAlreadyExists);
  CHECK(reason_of(run.actions[1]) == kReasonAlreadyExists);
}

TEST_CASE("serviceaccount creation: new active namespace missing serviceaccount") {
  SaCase tc;
  tc.existing_service_accounts = {managed_account()};
  tc.added_namespace = active_namespace();
  tc.expect_created = {"default"};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: new active namespace with serviceaccounts") {
  SaCase tc;
  tc.existing_service_accounts = {default_account(), managed_account()};
  tc.added_namespace = active_namespace();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: new terminating namespace") {
  SaCase tc;
  tc.added_namespace = terminating_namespace();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: updated active namespace missing serviceaccounts") {
  SaCase tc;
  tc.updated_namespace = active_namespace();
  tc.expect_created = {"default", "managed"};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: updated active namespace missing serviceaccount") {
  SaCase tc;
  tc.existing_service_accounts = {default_account()};
  tc.updated_namespace = active_namespace();
  tc.expect_created = {"managed"};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: updated active namespace with serviceaccounts") {
  SaCase tc;
  tc.existing_service_accounts = {default_account(), managed_account()};
  tc.updated_namespace = active_namespace();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: updated terminating namespace") {
  SaCase tc;
  tc.updated_namespace = terminating_namespace();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: deleted serviceaccount without namespace") {
  SaCase tc;
  tc.deleted_service_account = default_account();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: deleted serviceaccount with active namespace") {
  SaCase tc;
  tc.existing_service_accounts = {managed_account()};
  tc.existing_namespace = active_namespace();
  tc.deleted_service_account = default_account();
  tc.expect_created = {"default"};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: deleted serviceaccount with terminating namespace") {
  SaCase tc;
  tc.existing_namespace = terminating_namespace();
  tc.deleted_service_account = default_account();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: deleted unmanaged serviceaccount with active namespace") {
  SaCase tc;
  tc.existing_service_accounts = {default_account(), managed_account()};
  tc.existing_namespace = active_namespace();
  tc.deleted_service_account = unmanaged_account();
  tc.expect_created = {};
  run_case(std::move(tc));
}

TEST_CASE("serviceaccount creation: deleted unmanaged serviceaccount with terminating namespace") {
  SaCase tc;
  tc.existing_namespace = terminating_namespace();
  tc.deleted_service_account = unmanaged_account();
  tc.expect_created = {};
  run_case(std::move(tc));
}

// ---- beyond upstream's table ------------------------------------------------------------

// A4: a failed sync is requeued with the workqueue's backoff and no cap
// (the tokens controller would have dropped the key after 10 requeues).
TEST_CASE("serviceaccount creation extra: failed creates are retried without a cap") {
  SaCase tc;
  tc.client_objects = {};
  tc.reactors = {{Verb::kCreate, FakeApiServer::fail_first(12, status_internal_error("etcd is sulking"))}};
  tc.existing_service_accounts = {managed_account()};
  tc.added_namespace = active_namespace();
  tc.expect_created = std::vector<std::string>(13, "default");
  tc.expect_syncs = 13;
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 13);
  for (std::size_t i = 0; i < 12; ++i) CHECK(reason_of(run.actions[i]) == kReasonInternalError);
  CHECK(reason_of(run.actions[12]) == "OK");
  // 5 ms * 2^n between attempts (n = 0..11), plus the sync latency.
  for (std::size_t i = 1; i < 13; ++i) {
    const sim::Duration gap = run.actions[i].at - run.actions[i - 1].at;
    const sim::Duration backoff = sim::Duration::milliseconds(5) * (std::int64_t{1} << (i - 1));
    INFO("attempt " << i + 1);
    CHECK(gap >= backoff);
    CHECK(gap < backoff + sim::Duration::milliseconds(1));
  }
}

// A3.3: a create refused because the namespace is terminating (the
// controller's cache still says Active) is ignored: no error, no retry.
TEST_CASE("serviceaccount creation extra: namespace terminating create errors are ignored") {
  SaCase tc;
  tc.client_objects = {};
  tc.reactors = {{Verb::kCreate, [](const ApiRequest& request, FakeApiServer&) -> std::optional<ApiStatus> {
                    return status_namespace_terminating("serviceaccounts", request.name, "default");
                  }}};
  tc.added_namespace = active_namespace();
  tc.expect_created = {"default", "managed"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 2);
  CHECK(reason_of(run.actions[0]) == kReasonForbidden);
  CHECK(run.elapsed < sim::Duration::milliseconds(5));
}

}  // namespace serviceaccounts_controller_test
}  // namespace sasim::model::controllers
