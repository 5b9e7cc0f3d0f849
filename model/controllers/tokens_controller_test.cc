// Upstream's TestTokenCreation (1.15-1.23 shape, 34 cases; behaviour
// reference 7.2) as our tests, plus cases beyond its table, each asserting
// the controller's exact ordered list of API actions against a fake
// apiserver.
//
// The harness follows upstream's conventions (reference 7): ClientObjects
// are the API's state; Existing* objects are only in the informer caches;
// Added*/Updated*/Deleted* put an object in the cache and enqueue it (here:
// a watch event to the controller's informer); AddedSecretLocal goes into
// the mutation cache only. API writes are not fed back to the informers.
//
// One difference of mechanism: upstream writes Existing objects straight
// into the informer stores, where no handler sees them. Ours arrive through
// the informers' initial LIST, whose handlers enqueue them, as a real
// informer's would. So each case first lets the controller settle on its
// initial caches against the ClientObjects (a warm-up whose actions are
// discarded), then restores the ClientObjects, empties the mutation cache,
// installs the reactors and delivers the case's events: the recorded
// actions are those the events cause, as in upstream's harness.
//
// Generated names come from our PRNG, not Go's math/rand, so they differ
// from upstream's default-token-xn8fg / txhzt / vnmz7. Expectations write
// `{new}` for a freshly generated name (it must have the shape
// default-token-XXXXX over upstream's alphabet and differ from every earlier
// one), `{last}` for the name last generated, and `{last-uid}` for the uid
// the apiserver gave that Secret.
#include "model/controllers/tokens_controller.h"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/controllers/testing/fake_apiserver.h"
#include "model/objects/constants.h"
#include "model/objects/testing/fake_token.h"
#include "sim/simulator.h"

namespace sasim::model::controllers {
namespace tokens_controller_test {

using testing::FakeApiServer;
using testing::RecordedAction;
using testing::Reactor;
using testing::object_summary;

// ---- fixtures (reference 7) ---------------------------------------------------

const std::string kNameKey(kServiceAccountNameKey);
const std::string kUidKey(kServiceAccountUidKey);
const std::string kTokenKey(kServiceAccountTokenKey);
const std::string kRootCaKey(kServiceAccountRootCaKey);
const std::string kNamespaceKey(kServiceAccountNamespaceKey);
const std::string kTokenType(kSecretTypeServiceAccountToken);

using Refs = std::vector<std::string>;
const Refs kEmptyRefs{};
const Refs kMissingRefs{"missing-secret-1"};
const Refs kRegularRefs{"regular-secret-1"};
const Refs kTokenRefs{"token-secret-1"};

// serviceAccount(refs): default/default, uid 12345, RV 1.
ServiceAccount service_account(const Refs& refs, std::uint64_t resource_version = 1, std::string uid = "12345") {
  ServiceAccount sa;
  sa.metadata.name = "default";
  sa.metadata.namespace_ = "default";
  sa.metadata.uid = std::move(uid);
  sa.metadata.resource_version = resource_version;
  for (const std::string& ref : refs) sa.secrets.push_back(ObjectReference{.name = ref});
  return sa;
}

// updatedServiceAccount(refs): the same with RV 2.
ServiceAccount updated_service_account(const Refs& refs) { return service_account(refs, 2); }

// opaqueSecret(): regular-secret-1.
Secret opaque_secret() {
  Secret secret;
  secret.metadata.name = "regular-secret-1";
  secret.metadata.namespace_ = "default";
  secret.metadata.uid = "23456";
  secret.metadata.resource_version = 1;
  secret.type = "Opaque";
  secret.data["mykey"] = DataValue("mydata");
  return secret;
}

// namedCreatedTokenSecret(name): what the controller posts.
Secret created_token_secret(std::string name) {
  Secret secret;
  secret.metadata.name = std::move(name);
  secret.metadata.namespace_ = "default";
  secret.metadata.annotations[kNameKey] = "default";
  secret.metadata.annotations[kUidKey] = "12345";
  secret.type = kTokenType;
  secret.data[kTokenKey] = DataValue("ABC");
  secret.data[kRootCaKey] = DataValue("CA Data");
  secret.data[kNamespaceKey] = DataValue("default");
  return secret;
}

// serviceAccountTokenSecret(): token-secret-1, uid 23456, RV 1, complete.
Secret token_secret() {
  Secret secret = created_token_secret("token-secret-1");
  secret.metadata.uid = "23456";
  secret.metadata.resource_version = 1;
  return secret;
}

Secret token_secret_without(const std::string& key) {
  Secret secret = token_secret();
  secret.data.erase(key);
  return secret;
}

Secret token_secret_with(const std::string& key, const std::string& value) {
  Secret secret = token_secret();
  secret.data[key] = DataValue(value);
  return secret;
}

// ---- expectations ---------------------------------------------------------------

struct Expected {
  std::string text;
  std::optional<std::string> body{};  // object_summary of the body sent, placeholders allowed
};

Expected get_service_account() { return {"get serviceaccounts default/default"}; }
Expected get_secret(const std::string& name) { return {"get secrets default/" + name}; }

// CREATE secrets with a fresh generated name and the body of createdTokenSecret.
Expected create_token() {
  return {"create secrets default/{new}", object_summary(Object(created_token_secret("")))};
}

// UPDATE serviceaccounts default/default with these references (RV 1, as read).
Expected update_service_account(const Refs& refs) {
  ServiceAccount body = service_account(refs);
  std::string names;
  for (const std::string& ref : refs) names += (names.empty() ? "" : ",") + ref;
  return {"update serviceaccounts default/default secrets=[" + names + "]", object_summary(Object(body))};
}

Expected update_secret(const Secret& body) {
  return {"update secrets default/" + body.metadata.name, object_summary(Object(body))};
}

Expected delete_secret(const std::string& name, const std::string& uid) {
  return {"delete secrets default/" + name + " {uid=" + uid + "}"};
}

bool is_generated_token_name(const std::string& name) {
  const std::string prefix = "default-token-";
  const std::string alphabet = "bcdfghjklmnpqrstvwxz2456789";  // utilrand's, vowels and 0/1/3 left out
  if (name.size() != prefix.size() + 5 || name.compare(0, prefix.size(), prefix) != 0) return false;
  for (std::size_t i = prefix.size(); i < name.size(); ++i) {
    if (alphabet.find(name[i]) == std::string::npos) return false;
  }
  return true;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// Compares the recorded actions with the expected ones, binding the
// placeholders from the recorded actions as it goes.
void check_actions(const std::vector<RecordedAction>& actual, const std::vector<Expected>& expected) {
  std::vector<std::string> actual_texts;
  for (const RecordedAction& action : actual) actual_texts.push_back(action.text);

  std::set<std::string> generated;
  std::string last;
  std::string last_uid;
  std::vector<std::string> resolved_texts;
  std::vector<std::optional<std::string>> resolved_bodies;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    std::string text = expected[i].text;
    std::optional<std::string> body = expected[i].body;
    const std::size_t pos = text.find("{new}");
    if (pos != std::string::npos && i < actual.size() && actual_texts[i].compare(0, pos, text, 0, pos) == 0) {
      const std::string& got = actual_texts[i];
      const std::size_t end = got.find(' ', pos);
      const std::string name = got.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      INFO("generated name: " << name);
      CHECK(is_generated_token_name(name));
      CHECK(generated.insert(name).second);  // a new name on every attempt
      last = name;
      last_uid = actual[i].result ? meta(*actual[i].result).uid : std::string();
      replace_all(text, "{new}", name);
    }
    replace_all(text, "{last}", last);
    replace_all(text, "{last-uid}", last_uid);
    if (body) {
      replace_all(*body, "{last}", last);
      replace_all(*body, "{last-uid}", last_uid);
    }
    resolved_texts.push_back(text);
    resolved_bodies.push_back(body);
  }
  CHECK(actual_texts == resolved_texts);
  for (std::size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
    if (!resolved_bodies[i]) continue;
    INFO("action " << i << ": " << actual_texts[i]);
    REQUIRE(actual[i].body != nullptr);
    CHECK(object_summary(*actual[i].body) == *resolved_bodies[i]);
  }
}

// ---- the harness ------------------------------------------------------------------

struct ReactorSpec {
  Verb verb = Verb::kCreate;
  Kind kind = Kind::kSecret;
  Reactor reactor{};
};

struct TokenCase {
  std::vector<Object> client_objects{};
  bool is_async = false;  // waits for requeues or in-sync retries
  int max_retries = 0;    // 0: the default, 10
  std::vector<ReactorSpec> reactors{};

  std::optional<ServiceAccount> existing_service_account{};
  std::vector<Secret> existing_secrets{};

  std::optional<ServiceAccount> added_service_account{};
  std::optional<ServiceAccount> updated_service_account{};
  std::optional<ServiceAccount> deleted_service_account{};
  std::optional<Secret> added_secret{};
  std::optional<Secret> added_secret_local{};
  std::optional<Secret> updated_secret{};
  std::optional<Secret> deleted_secret{};

  // After the events have settled: more events, from what the fake saw
  // (e.g. the controller's own writes echoed back by a watch), then settle
  // again. The expected actions cover both rounds.
  using Inject = std::function<void(WatchEventType, Object)>;
  std::function<void(const FakeApiServer&, const Inject&)> then{};

  std::vector<Expected> expected{};
};

struct CaseRun {
  std::vector<RecordedAction> actions;
  sim::Duration elapsed;  // from the events to quiescence
};

CaseRun run_case(TokenCase tc) {
  sim::Simulator simulator(1);
  auto fake_owner = std::make_unique<FakeApiServer>();
  FakeApiServer& fake = *fake_owner;
  simulator.add_actor("apiserver", std::move(fake_owner));

  TokensControllerOptions options;
  options.max_retries = tc.max_retries == 0 ? 10 : tc.max_retries;
  options.root_ca = "CA Data";
  options.base.sync_latency = sim::Duration::microseconds(100);  // the timing checks below assume it
  options.token_generator = [](const ServiceAccount&, const std::string&,
                               std::uint64_t) -> std::shared_ptr<const LazyValue> {
    return std::make_shared<model::testing::FakeToken>("ABC");
  };
  auto controller_owner = std::make_unique<TokensController>(options);
  TokensController& controller = *controller_owner;
  const sim::ActorId id = simulator.add_actor("tokens-controller", std::move(controller_owner));

  // Warm-up: the informers list the Existing objects and the controller
  // settles on them.
  std::vector<Object> existing;
  if (tc.existing_service_account) existing.emplace_back(*tc.existing_service_account);
  for (const Secret& secret : tc.existing_secrets) existing.emplace_back(secret);
  fake.set_objects(tc.client_objects);
  fake.set_cache(existing);
  const auto warm = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  REQUIRE(warm.reason == sim::StopReason::kQuiescent);
  REQUIRE(controller.service_accounts().has_synced());
  REQUIRE(controller.secrets().has_synced());
  REQUIRE(fake.watch_id(id, Kind::kServiceAccount) != 0);
  REQUIRE(fake.watch_id(id, Kind::kSecret) != 0);

  // The case proper.
  fake.set_objects(tc.client_objects);
  fake.clear_actions();
  controller.mutation_cache().clear();
  for (ReactorSpec& spec : tc.reactors) fake.prepend_reactor(spec.verb, spec.kind, std::move(spec.reactor));
  const sim::Time start = simulator.now();
  if (tc.added_service_account) fake.inject(simulator, id, WatchEventType::kAdded, *tc.added_service_account);
  if (tc.updated_service_account) fake.inject(simulator, id, WatchEventType::kModified, *tc.updated_service_account);
  if (tc.deleted_service_account) fake.inject(simulator, id, WatchEventType::kDeleted, *tc.deleted_service_account);
  if (tc.added_secret) fake.inject(simulator, id, WatchEventType::kAdded, *tc.added_secret);
  if (tc.added_secret_local) {
    controller.mutation_cache().mutation(std::make_shared<const Object>(*tc.added_secret_local), simulator.now());
  }
  if (tc.updated_secret) fake.inject(simulator, id, WatchEventType::kModified, *tc.updated_secret);
  if (tc.deleted_secret) fake.inject(simulator, id, WatchEventType::kDeleted, *tc.deleted_secret);

  const auto result = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  CHECK(result.reason == sim::StopReason::kQuiescent);
  if (tc.then) {
    tc.then(fake, [&](WatchEventType type, Object object) { fake.inject(simulator, id, type, std::move(object)); });
    const auto again = simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
    CHECK(again.reason == sim::StopReason::kQuiescent);
  }
  CaseRun run{fake.actions(), simulator.now() - start};
  check_actions(run.actions, tc.expected);
  if (!tc.is_async) {
    // No requeue (the first backoff is 5 ms) and no in-sync retry.
    CHECK(run.elapsed < sim::Duration::milliseconds(5));
  }
  return run;
}

sim::Duration gap(const CaseRun& run, std::size_t from, std::size_t to) {
  REQUIRE(to < run.actions.size());
  return run.actions[to].at - run.actions[from].at;
}

std::string reason_of(const RecordedAction& action) { return action.error ? action.error->reason : "OK"; }

bool between(sim::Duration d, sim::Duration low, sim::Duration high) { return d >= low && d < high; }

ApiStatus forbidden() { return status_forbidden("secrets", "foo", "No can do"); }

// ---- TestTokenCreation, 1.15-1.23 (reference 7.2), in source order ------------------

TEST_CASE("token creation: new serviceaccount with no secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: new serviceaccount with no secrets encountering create error") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.max_retries = 10;
  tc.is_async = true;
  tc.reactors = {{Verb::kCreate, Kind::kSecret, FakeApiServer::fail_first(2, forbidden())}};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {
      get_service_account(), create_token(),                                           // attempt 1
      get_service_account(), create_token(),                                           // attempt 2
      get_service_account(), create_token(), update_service_account({"{last}"}),  // attempt 3
  };
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 7);
  CHECK(reason_of(run.actions[1]) == kReasonForbidden);
  CHECK(reason_of(run.actions[3]) == kReasonForbidden);
  CHECK_FALSE(run.actions[5].error.has_value());
  // Requeued with the workqueue's per-item backoff: 5 ms, then 10 ms.
  CHECK(between(gap(run, 1, 2), sim::Duration::milliseconds(5), sim::Duration::milliseconds(6)));
  CHECK(between(gap(run, 3, 4), sim::Duration::milliseconds(10), sim::Duration::milliseconds(11)));
}

TEST_CASE("token creation: new serviceaccount with no secrets encountering unending create error") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs), created_token_secret("default-token-xn8fg")};
  tc.max_retries = 2;
  tc.is_async = true;
  tc.reactors = {{Verb::kCreate, Kind::kSecret, FakeApiServer::fail_first(-1, forbidden())}};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {
      get_service_account(), create_token(),  // attempt
      get_service_account(), create_token(),  // retry 1
      get_service_account(), create_token(),  // retry 2, then the key is dropped
  };
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 6);
  CHECK(between(gap(run, 1, 2), sim::Duration::milliseconds(5), sim::Duration::milliseconds(6)));
  CHECK(between(gap(run, 3, 4), sim::Duration::milliseconds(10), sim::Duration::milliseconds(11)));
}

TEST_CASE("token creation: new serviceaccount with missing secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kMissingRefs)};
  tc.added_service_account = service_account(kMissingRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"missing-secret-1", "{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: new serviceaccount with missing secrets and a local secret in the cache") {
  TokenCase tc;
  tc.client_objects = {service_account(kMissingRefs)};
  tc.added_service_account = service_account(kTokenRefs);
  tc.added_secret_local = token_secret();
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: new serviceaccount with non-token secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kRegularRefs), opaque_secret()};
  tc.added_service_account = service_account(kRegularRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"regular-secret-1", "{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: new serviceaccount with token secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kTokenRefs), token_secret()};
  tc.existing_secrets = {token_secret()};
  tc.added_service_account = service_account(kTokenRefs);
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: new serviceaccount with no secrets with resource conflict") {
  TokenCase tc;
  tc.client_objects = {updated_service_account(kEmptyRefs), created_token_secret("default-token-xn8fg")};
  tc.is_async = true;
  tc.max_retries = 1;
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {get_service_account(), get_service_account()};
  const CaseRun run = run_case(std::move(tc));
  CHECK(between(gap(run, 0, 1), sim::Duration::milliseconds(5), sim::Duration::milliseconds(6)));
}

TEST_CASE("token creation: updated serviceaccount with no secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.updated_service_account = service_account(kEmptyRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated serviceaccount with missing secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kMissingRefs)};
  tc.updated_service_account = service_account(kMissingRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"missing-secret-1", "{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated serviceaccount with non-token secrets") {
  TokenCase tc;
  tc.client_objects = {service_account(kRegularRefs), opaque_secret()};
  tc.updated_service_account = service_account(kRegularRefs);
  tc.expected = {get_service_account(), create_token(), update_service_account({"regular-secret-1", "{last}"})};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated serviceaccount with token secrets") {
  TokenCase tc;
  tc.existing_secrets = {token_secret()};
  tc.updated_service_account = service_account(kTokenRefs);
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated serviceaccount with no secrets with resource conflict") {
  TokenCase tc;
  tc.client_objects = {updated_service_account(kEmptyRefs)};
  tc.is_async = true;
  tc.max_retries = 1;
  tc.updated_service_account = service_account(kEmptyRefs);
  tc.expected = {get_service_account(), get_service_account()};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted serviceaccount with no secrets") {
  TokenCase tc;
  tc.deleted_service_account = service_account(kEmptyRefs);
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted serviceaccount with missing secrets") {
  TokenCase tc;
  tc.deleted_service_account = service_account(kMissingRefs);
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted serviceaccount with non-token secrets") {
  TokenCase tc;
  tc.client_objects = {opaque_secret()};
  tc.deleted_service_account = service_account(kRegularRefs);
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted serviceaccount with token secrets") {
  TokenCase tc;
  tc.client_objects = {token_secret()};
  tc.existing_secrets = {token_secret()};
  tc.deleted_service_account = service_account(kTokenRefs);
  // Upstream's fake client of that era does not record the options; the
  // controller sends the uid precondition.
  tc.expected = {delete_secret("token-secret-1", "23456")};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added secret without serviceaccount") {
  TokenCase tc;
  tc.client_objects = {token_secret()};
  tc.added_secret = token_secret();
  tc.expected = {get_service_account(), delete_secret("token-secret-1", "23456")};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 2);
  CHECK(reason_of(run.actions[0]) == kReasonNotFound);
  CHECK_FALSE(run.actions[1].error.has_value());
}

TEST_CASE("token creation: added secret with serviceaccount") {
  TokenCase tc;
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret();
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added token secret without token data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kTokenKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret_without(kTokenKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added token secret without ca data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kRootCaKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret_without(kRootCaKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added token secret with mismatched ca data") {
  TokenCase tc;
  tc.client_objects = {token_secret_with(kRootCaKey, "mismatched")};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret_with(kRootCaKey, "mismatched");
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added token secret without namespace data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kNamespaceKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret_without(kNamespaceKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: added token secret with custom namespace data") {
  TokenCase tc;
  tc.client_objects = {token_secret_with(kNamespaceKey, "custom")};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.added_secret = token_secret_with(kNamespaceKey, "custom");
  tc.expected = {};  // no update: the custom namespace is preserved
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated secret without serviceaccount") {
  TokenCase tc;
  tc.client_objects = {token_secret()};
  tc.updated_secret = token_secret();
  tc.expected = {get_service_account(), delete_secret("token-secret-1", "23456")};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated secret with serviceaccount") {
  TokenCase tc;
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret();
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated token secret without token data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kTokenKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret_without(kTokenKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated token secret without ca data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kRootCaKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret_without(kRootCaKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated token secret with mismatched ca data") {
  TokenCase tc;
  tc.client_objects = {token_secret_with(kRootCaKey, "mismatched")};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret_with(kRootCaKey, "mismatched");
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated token secret without namespace data") {
  TokenCase tc;
  tc.client_objects = {token_secret_without(kNamespaceKey)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret_without(kNamespaceKey);
  tc.expected = {get_secret("token-secret-1"), update_secret(token_secret())};
  run_case(std::move(tc));
}

TEST_CASE("token creation: updated token secret with custom namespace data") {
  TokenCase tc;
  tc.client_objects = {token_secret_with(kNamespaceKey, "custom")};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.updated_secret = token_secret_with(kNamespaceKey, "custom");
  tc.expected = {};  // no update: the custom namespace is preserved
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted secret without serviceaccount") {
  TokenCase tc;
  tc.deleted_secret = token_secret();
  tc.expected = {};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted secret with serviceaccount with reference") {
  TokenCase tc;
  tc.client_objects = {service_account(kTokenRefs)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.deleted_secret = token_secret();
  tc.expected = {get_service_account(), update_service_account(kEmptyRefs)};
  run_case(std::move(tc));
}

TEST_CASE("token creation: deleted secret with serviceaccount without reference") {
  TokenCase tc;
  tc.existing_service_account = service_account(kEmptyRefs);
  tc.deleted_secret = token_secret();
  tc.expected = {get_service_account()};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  CHECK(reason_of(run.actions[0]) == kReasonNotFound);
}

// ---- beyond upstream's table --------------------------------------------------------

// T3.7: while our CREATE is in flight another writer gives the account a
// token (token-secret-1, which our cache holds). Our UPDATE conflicts; the
// retry (RetryOnConflict, 10 ms plus up to 10 % jitter) re-reads the
// account, finds the referenced token and stops, and the Secret we created
// is deleted with its uid as the precondition. Nothing is requeued.
TEST_CASE("token creation extra: live serviceaccount already references a token after a conflict") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.existing_secrets = {token_secret()};
  tc.is_async = true;
  tc.reactors = {{Verb::kCreate, Kind::kSecret,
                  [raced = false](const ApiRequest&, FakeApiServer& fake) mutable -> std::optional<ApiStatus> {
                    if (!raced) {
                      raced = true;
                      fake.put(Object(service_account(kTokenRefs, fake.next_resource_version())));
                    }
                    return std::nullopt;
                  }}};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {
      get_service_account(),
      create_token(),
      {"update serviceaccounts default/default secrets=[{last}]"},
      get_service_account(),
      delete_secret("{last}", "{last-uid}"),
  };
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 5);
  CHECK(reason_of(run.actions[2]) == kReasonConflict);
  CHECK(as<ServiceAccount>(run.actions[3].result)->secrets.at(0).name == "token-secret-1");
  CHECK(between(gap(run, 2, 3), sim::Duration::milliseconds(10), sim::Duration::milliseconds(11)));
  CHECK_FALSE(run.actions[4].error.has_value());
  CHECK(meta(*run.actions[4].result).uid.rfind("fake-uid-", 0) == 0);
}

// T3.5: a create refused because the namespace is terminating is not retried
// (contrast the Forbidden cases above, which are).
TEST_CASE("token creation extra: namespace terminating create error is not retried") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.reactors = {{Verb::kCreate, Kind::kSecret, [](const ApiRequest& request, FakeApiServer&) -> std::optional<ApiStatus> {
                    return status_namespace_terminating("secrets", request.name, "default");
                  }}};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.expected = {get_service_account(), create_token()};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 2);
  REQUIRE(run.actions[1].error.has_value());
  CHECK(run.actions[1].error->has_cause(kCauseNamespaceTerminating));
}

// T5: removing the reference to a deleted Secret retries conflicts under
// RemoveTokenBackoff (100 ms plus up to 100 % jitter), re-reading the account.
TEST_CASE("token creation extra: deleted secret with serviceaccount with reference whose update conflicts once") {
  TokenCase tc;
  tc.client_objects = {service_account(kTokenRefs)};
  tc.existing_service_account = service_account(kTokenRefs);
  tc.is_async = true;
  tc.reactors = {{Verb::kUpdate, Kind::kServiceAccount,
                  FakeApiServer::fail_first(1, status_conflict_modified("serviceaccounts", "default"))}};
  tc.deleted_secret = token_secret();
  tc.expected = {get_service_account(), update_service_account(kEmptyRefs), get_service_account(),
                 update_service_account(kEmptyRefs)};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 4);
  CHECK(reason_of(run.actions[1]) == kReasonConflict);
  CHECK_FALSE(run.actions[3].error.has_value());
  CHECK(between(gap(run, 1, 2), sim::Duration::milliseconds(100), sim::Duration::milliseconds(200)));
}

// T6: a Secret pinned (by its uid annotation) to an earlier incarnation of
// its account: the cached account has another uid, so the account is read
// live; that one does not match either, and the Secret is deleted.
TEST_CASE("token creation extra: added secret of a replaced serviceaccount is deleted") {
  TokenCase tc;
  tc.client_objects = {service_account(kTokenRefs, 1, "99999"), token_secret()};
  tc.existing_service_account = service_account(kTokenRefs, 1, "99999");
  tc.added_secret = token_secret();
  tc.expected = {get_service_account(), delete_secret("token-secret-1", "23456")};
  run_case(std::move(tc));
}

// T3.6 (#45933): the watch delivers the controller's own account update
// before the add of the token it created. The mutation cache already holds
// that token, so T3.1 finds it referenced and no second token is made.
TEST_CASE("token creation extra: own account update seen before the token add creates no second token") {
  TokenCase tc;
  tc.client_objects = {service_account(kEmptyRefs)};
  tc.added_service_account = service_account(kEmptyRefs);
  tc.then = [](const FakeApiServer& fake, const TokenCase::Inject& inject) {
    REQUIRE(fake.actions().size() == 3);
    const ObjectPtr updated = fake.actions()[2].result;  // the UPDATE's answer, as the watch would carry it
    REQUIRE(updated != nullptr);
    inject(WatchEventType::kModified, *updated);
  };
  tc.expected = {get_service_account(), create_token(), update_service_account({"{last}"})};
  run_case(std::move(tc));
}

// S8: the account is gone and so is its token, replaced by a Secret of the
// same name (another uid): the uid precondition fails with Conflict, which
// counts as done. No retry.
TEST_CASE("token creation extra: deleted serviceaccount whose token was replaced is not retried") {
  Secret replaced = token_secret();
  replaced.metadata.uid = "34567";
  TokenCase tc;
  tc.client_objects = {replaced};
  tc.existing_secrets = {token_secret()};
  tc.deleted_service_account = service_account(kTokenRefs);
  tc.expected = {delete_secret("token-secret-1", "23456")};
  const CaseRun run = run_case(std::move(tc));
  REQUIRE(run.actions.size() == 1);
  CHECK(reason_of(run.actions[0]) == kReasonConflict);
}

}  // namespace tokens_controller_test
}  // namespace sasim::model::controllers
