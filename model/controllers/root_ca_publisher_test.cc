// Upstream's publisher_test.go (TestConfigMapCreation and
// TestConfigMapUpdateNoHotLoop) as our tests, in its table shape, plus the
// retry rules beyond its table. Upstream's TestConfigMapCreation compares its
// expectations inverted (it cannot fail); here each case asserts the exact
// list of API actions and what was written.
//
// As in serviceaccounts_controller_test.cc, Existing* objects reach the
// informers through their initial LIST (a warm-up whose actions are
// discarded), then the case's event is delivered; an updated or deleted
// ConfigMap reaches the informer's cache before its handler runs, as
// upstream's test writes its store before calling the handler.
#include "model/controllers/root_ca_publisher.h"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/controllers/testing/fake_apiserver.h"
#include "sim/simulator.h"

namespace sasim::model::controllers {
namespace {

using testing::FakeApiServer;
using testing::RecordedAction;
using testing::Reactor;
using testing::object_summary;

constexpr const char* kFakeRootCa = "fake-root-ca";

Namespace namespace_named(const std::string& name, NamespacePhase phase = NamespacePhase::kActive) {
  Namespace ns;
  ns.metadata.name = name;
  ns.phase = phase;
  return ns;
}

// defaultCrtConfigMapPtr: the published ConfigMap in default.
ConfigMap ca_config_map(const std::string& root_ca = kFakeRootCa) {
  ConfigMap cm;
  cm.metadata.name = std::string(kRootCaConfigMapName);
  cm.metadata.namespace_ = "default";
  cm.metadata.resource_version = 1;
  cm.metadata.annotations[std::string(kDescriptionAnnotation)] = std::string(kRootCaDescription);
  cm.data = {{"ca.crt", root_ca}};
  return cm;
}

ConfigMap other_config_map() {
  ConfigMap cm;
  cm.metadata.name = "other";
  cm.metadata.namespace_ = "default";
  cm.metadata.resource_version = 1;
  return cm;
}

struct PublisherCase {
  std::string root_ca = kFakeRootCa;
  std::vector<std::pair<Verb, Reactor>> reactors{};  // on configmaps

  std::optional<Namespace> existing_namespace{};
  std::vector<ConfigMap> existing_config_maps{};

  std::optional<Namespace> added_namespace{};
  std::optional<Namespace> updated_namespace{};
  std::optional<ConfigMap> updated_config_map{};
  std::optional<ConfigMap> deleted_config_map{};

  std::vector<std::string> expect_actions{};
};

struct CaseRun {
  std::vector<RecordedAction> actions;
  sim::Duration elapsed;
  std::uint64_t syncs;
};

CaseRun run_case(PublisherCase tc) {
  sim::Simulator simulator(1);
  auto fake_owner = std::make_unique<FakeApiServer>();
  FakeApiServer& fake = *fake_owner;
  simulator.add_actor("apiserver", std::move(fake_owner));

  RootCaPublisherOptions options;
  options.root_ca = tc.root_ca;
  options.base.sync_latency = sim::Duration::microseconds(100);
  auto publisher_owner = std::make_unique<RootCaPublisher>(options);
  RootCaPublisher& publisher = *publisher_owner;
  const sim::ActorId id = simulator.add_actor("root-ca-cert-publisher", std::move(publisher_owner));

  std::vector<Object> existing;
  if (tc.existing_namespace) existing.emplace_back(*tc.existing_namespace);
  for (const ConfigMap& cm : tc.existing_config_maps) existing.emplace_back(cm);
  fake.set_objects(existing);
  fake.set_cache(existing);
  const auto warm = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  REQUIRE(warm.reason == sim::StopReason::kQuiescent);
  REQUIRE(fake.watch_id(id, Kind::kNamespace) != 0);
  REQUIRE(fake.watch_id(id, Kind::kConfigMap) != 0);

  // The API holds what the informers hold, with the case's update or
  // deletion applied (as the user's write that caused the event would have).
  std::vector<Object> api_objects;
  for (const Object& object : existing) {
    const bool deleted = tc.deleted_config_map && kind_of(object) == Kind::kConfigMap &&
                         meta(object).name == tc.deleted_config_map->metadata.name;
    if (!deleted) api_objects.push_back(object);
  }
  fake.set_objects(api_objects);
  if (tc.updated_config_map) fake.put(Object(*tc.updated_config_map));
  fake.clear_actions();
  for (auto& [verb, reactor] : tc.reactors) fake.prepend_reactor(verb, Kind::kConfigMap, std::move(reactor));
  const std::uint64_t syncs_before = publisher.syncs();
  const sim::Time start = simulator.now();
  if (tc.added_namespace) fake.inject(simulator, id, WatchEventType::kAdded, *tc.added_namespace);
  if (tc.updated_namespace) fake.inject(simulator, id, WatchEventType::kModified, *tc.updated_namespace);
  if (tc.updated_config_map) fake.inject(simulator, id, WatchEventType::kModified, *tc.updated_config_map);
  if (tc.deleted_config_map) fake.inject(simulator, id, WatchEventType::kDeleted, *tc.deleted_config_map);
  const auto result = simulator.run({.until = simulator.now() + sim::Duration::hours(1), .until_quiescent = true});
  CHECK(result.reason == sim::StopReason::kQuiescent);
  CHECK(fake.action_texts() == tc.expect_actions);
  return {fake.actions(), simulator.now() - start, publisher.syncs() - syncs_before};
}

const std::string kPublished = "annotations={kubernetes.io/description=" + std::string(kRootCaDescription) +
                               "} data={ca.crt=fake-root-ca}";

// ---- TestConfigMapCreation (PUBT) -------------------------------------------------------

TEST_CASE("root CA publisher: create new namespace") {
  PublisherCase tc;
  tc.added_namespace = namespace_named("new");
  tc.expect_actions = {"create configmaps new/kube-root-ca.crt"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  CHECK(object_summary(*run.actions[0].body) == kPublished);
  CHECK(run.syncs == 1);
}

TEST_CASE("root CA publisher: delete other configmap") {
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {other_config_map(), ca_config_map()};
  tc.deleted_config_map = other_config_map();
  tc.expect_actions = {};
  CHECK(run_case(std::move(tc)).syncs == 0);
}

TEST_CASE("root CA publisher: delete ca configmap") {
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {other_config_map(), ca_config_map()};
  tc.deleted_config_map = ca_config_map();
  tc.expect_actions = {"create configmaps default/kube-root-ca.crt"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  CHECK(object_summary(*run.actions[0].body) == kPublished);
}

TEST_CASE("root CA publisher: update ca configmap with adding field") {
  ConfigMap added = ca_config_map();
  added.data["test"] = "test";
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {ca_config_map()};
  tc.updated_config_map = added;
  tc.expect_actions = {"update configmaps default/kube-root-ca.crt"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  // C4: data replaced whole, the extra key dropped.
  CHECK(object_summary(*run.actions[0].body) == "rv=1 " + kPublished);
  CHECK_FALSE(run.actions[0].error.has_value());
}

TEST_CASE("root CA publisher: update ca configmap with modifying field") {
  ConfigMap modified = ca_config_map();
  modified.data["ca.crt"] = "abc";
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {ca_config_map()};
  tc.updated_config_map = modified;
  tc.expect_actions = {"update configmaps default/kube-root-ca.crt"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  CHECK(object_summary(*run.actions[0].body) == "rv=1 " + kPublished);
}

TEST_CASE("root CA publisher: update with other configmap") {
  ConfigMap updated = other_config_map();
  updated.metadata.resource_version = 2;
  updated.data = {{"aa", "bb"}};
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {other_config_map(), ca_config_map()};
  tc.updated_config_map = updated;
  tc.expect_actions = {};
  CHECK(run_case(std::move(tc)).syncs == 0);
}

TEST_CASE("root CA publisher: update namespace with terminating state") {
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.updated_namespace = namespace_named("default", NamespacePhase::kTerminating);
  tc.expect_actions = {};
  CHECK(run_case(std::move(tc)).syncs == 0);
}

// ---- TestConfigMapUpdateNoHotLoop (PUBT) ------------------------------------------------

TEST_CASE("root CA publisher: the description annotation is added and a present one is left as it is") {
  struct Case {
    const char* name;
    std::optional<std::string> annotation;
    std::vector<std::string> expect_actions;
  };
  const Case cases[] = {
      {"update-configmap-annotation", std::nullopt, {"update configmaps default/kube-root-ca.crt"}},
      {"no-update-configmap-if-annotation-present-and-equal", std::string(kRootCaDescription), {}},
      {"no-update-configmap-if-annotation-present-and-different", std::string("different"), {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    ConfigMap existing = ca_config_map("fake");
    existing.metadata.annotations.clear();
    if (c.annotation) existing.metadata.annotations[std::string(kDescriptionAnnotation)] = *c.annotation;
    // syncNamespace("default") called directly: here a namespace update
    // (Active) enqueues it, after a warm-up that must not have written.
    PublisherCase tc;
    tc.root_ca = "fake";
    tc.existing_config_maps = {existing};
    tc.updated_namespace = namespace_named("default");
    tc.expect_actions = c.expect_actions;
    const CaseRun run = run_case(std::move(tc));
    if (!c.expect_actions.empty()) {
      REQUIRE(run.actions.size() == 1);
      const auto& written = std::get<ConfigMap>(*run.actions[0].body);
      CHECK(written.metadata.annotations.at(std::string(kDescriptionAnnotation)) == kRootCaDescription);
      CHECK(written.data == std::map<std::string, std::string>{{"ca.crt", "fake"}});
    }
  }
}

// ---- beyond upstream's tables -----------------------------------------------------------

// C5: a failed write is requeued with the default controller rate limiter
// (5 ms * 2^n) and no retry cap.
TEST_CASE("root CA publisher extra: failed creates are retried without a cap") {
  PublisherCase tc;
  tc.reactors = {{Verb::kCreate, FakeApiServer::fail_first(12, status_internal_error("etcd is sulking"))}};
  tc.added_namespace = namespace_named("new");
  tc.expect_actions = std::vector<std::string>(13, "create configmaps new/kube-root-ca.crt");
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 13);
  CHECK(run.syncs == 13);
  for (std::size_t i = 1; i < 13; ++i) {
    const sim::Duration gap = run.actions[i].at - run.actions[i - 1].at;
    const sim::Duration backoff = sim::Duration::milliseconds(5) * (std::int64_t{1} << (i - 1));
    INFO("attempt " << i + 1);
    CHECK(gap >= backoff);
    CHECK(gap < backoff + sim::Duration::milliseconds(1));
  }
  CHECK_FALSE(run.actions[12].error.has_value());
}

// C4: a create refused because the namespace is terminating, or gone, is not retried.
TEST_CASE("root CA publisher extra: a terminating or missing namespace ends the sync") {
  const ApiStatus refusals[] = {status_namespace_terminating("configmaps", "kube-root-ca.crt", "new"),
                                status_not_found("namespaces", "new")};
  for (const ApiStatus& refusal : refusals) {
    INFO(refusal.message);
    PublisherCase tc;
    tc.reactors = {{Verb::kCreate, FakeApiServer::fail_first(-1, refusal)}};
    tc.added_namespace = namespace_named("new");
    tc.expect_actions = {"create configmaps new/kube-root-ca.crt"};
    const CaseRun run = run_case(std::move(tc));
    CHECK(run.syncs == 1);
  }
}

// C4: labels, other annotations and binaryData survive a restore.
TEST_CASE("root CA publisher extra: an edited ConfigMap keeps its labels and binaryData") {
  ConfigMap edited = ca_config_map();
  edited.data = {{"ca.crt", "tampered"}, {"extra", "x"}};
  edited.metadata.labels = {{"team", "a"}};
  edited.metadata.annotations["note"] = "mine";
  edited.binary_data = {{"blob", "\x01"}};
  PublisherCase tc;
  tc.existing_namespace = namespace_named("default");
  tc.existing_config_maps = {ca_config_map()};
  tc.updated_config_map = edited;
  tc.expect_actions = {"update configmaps default/kube-root-ca.crt"};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  const auto& written = std::get<ConfigMap>(*run.actions[0].body);
  CHECK(written.data == std::map<std::string, std::string>{{"ca.crt", kFakeRootCa}});
  CHECK(written.metadata.labels == std::map<std::string, std::string>{{"team", "a"}});
  CHECK(written.metadata.annotations.at("note") == "mine");
  CHECK(written.binary_data == std::map<std::string, std::string>{{"blob", "\x01"}});
}

}  // namespace
}  // namespace sasim::model::controllers
