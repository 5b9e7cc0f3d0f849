// Violations explained by the weaknesses the model recorded while faults
// pushed it down known-bad upstream paths, and violations that are not.
#include "properties/known_weaknesses.h"

#include <catch2/catch.hpp>

#include <map>
#include <tuple>

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

namespace sasim::properties {
namespace {

namespace mf = model::faults;

// A store of a few objects, for the record rules.
struct Objects {
  std::map<std::tuple<model::Kind, std::string, std::string>, model::ObjectPtr> by_key;
  Audit deletions;
  void add(model::Object o) {
    const model::ObjectMeta& m = model::meta(o);
    auto key = std::make_tuple(model::kind_of(o), m.namespace_, m.name);
    by_key[key] = std::make_shared<const model::Object>(std::move(o));
  }
  void deleted(model::Object o, std::string user) {
    model::StoreChange change;
    change.type = model::WatchEventType::kDeleted;
    change.object = std::make_shared<const model::Object>(std::move(o));
    change.user = std::move(user);
    deletions.on_commit(change);
  }
  Evidence evidence() const {
    return Evidence{.get = [this](model::Kind k, const std::string& ns, const std::string& name) -> model::ObjectPtr {
                      auto it = by_key.find({k, ns, name});
                      return it == by_key.end() ? nullptr : it->second;
                    },
                    .deletions = &deletions};
  }
};

model::ServiceAccount account(const char* name, const char* uid, std::vector<std::string> refs) {
  model::ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = name;
  sa.metadata.uid = uid;
  for (const std::string& r : refs) sa.secrets.push_back(model::ObjectReference{.name = r});
  return sa;
}

mf::WeaknessRecord record(const char* weakness, mf::ObjectRef object, mf::ObjectRef account) {
  return mf::WeaknessRecord{.weakness = weakness, .object = std::move(object), .account = std::move(account)};
}

mf::ObjectRef secret_ref(const char* name, const char* uid) {
  return mf::ObjectRef{.kind = model::Kind::kSecret, .namespace_ = "default", .name = name, .uid = uid};
}
mf::ObjectRef account_ref(const char* name, const char* uid) {
  return mf::ObjectRef{.kind = model::Kind::kServiceAccount, .namespace_ = "default", .name = name, .uid = uid};
}

ObjectRef violation_on(model::Kind kind, const char* name) {
  return ObjectRef{.kind = kind, .namespace_ = "default", .name = name};
}

TEST_CASE("a record of a deletion that left a reference explains only an account referencing that missing Secret") {
  Objects state;
  state.add(account("robot", "u1", {"robot-token-a"}));
  state.add(account("other", "u2", {"other-token-b"}));
  const auto r = record(mf::kReferenceRemovalDropped, secret_ref("robot-token-a", "s1"), account_ref("robot", "u1"));
  CHECK(record_explains(r, violation_on(model::Kind::kServiceAccount, "robot"), state.evidence()));
  // Another account left without a token is not explained by it.
  CHECK_FALSE(record_explains(r, violation_on(model::Kind::kServiceAccount, "other"), state.evidence()));
  // Once the reference resolves again (a Secret of that name exists), nothing is left to explain.
  model::Secret again = testing::token_secret("default", "robot-token-a", "robot");
  state.add(again);
  CHECK_FALSE(record_explains(r, violation_on(model::Kind::kServiceAccount, "robot"), state.evidence()));
}

TEST_CASE("a lost account deletion explains the tokens of that incarnation it left and no others") {
  Objects state;
  model::Secret old_token = testing::token_secret("default", "robot-token-a", "robot");
  old_token.metadata.annotations[std::string(model::kServiceAccountUidKey)] = "u-old";
  model::Secret new_token = testing::token_secret("default", "robot-token-b", "robot");
  new_token.metadata.annotations[std::string(model::kServiceAccountUidKey)] = "u-new";
  state.add(old_token);
  state.add(new_token);
  state.add(account("robot", "u-new", {"robot-token-b"}));
  const auto r = record(mf::kTombstoneIgnored, account_ref("robot", "u-old"), account_ref("robot", "u-old"));
  CHECK(record_explains(r, violation_on(model::Kind::kSecret, "robot-token-a"), state.evidence()));
  CHECK_FALSE(record_explains(r, violation_on(model::Kind::kSecret, "robot-token-b"), state.evidence()));
  // tombstone-ignored has no "account" relation: the recreated account itself is not excused.
  CHECK_FALSE(record_explains(r, violation_on(model::Kind::kServiceAccount, "robot"), state.evidence()));
}

TEST_CASE("a deletion hidden by the mutation cache is known only when someone else than the tokens controller deleted the token") {
  Objects state;
  state.add(account("robot", "u1", {"robot-token-a"}));
  model::Secret token = testing::token_secret("default", "robot-token-a", "robot");
  token.metadata.uid = "s1";
  const auto r =
      record(mf::kDeletedTokenHiddenByMutationCache, secret_ref("robot-token-a", "s1"), account_ref("robot", "u1"));
  const ObjectRef robot = violation_on(model::Kind::kServiceAccount, "robot");
  SECTION("a user deleted it within the minute: known") {
    state.deleted(token, "kubectl");
    CHECK(record_explains(r, robot, state.evidence()));
  }
  SECTION("the controller deleted its own referenced token: not this weakness") {
    state.deleted(token, std::string(kTokensControllerUser));
    CHECK_FALSE(record_explains(r, robot, state.evidence()));
  }
  SECTION("without the audit, nothing is assumed") {
    Evidence blind = state.evidence();
    blind.deletions = nullptr;
    CHECK_FALSE(record_explains(r, robot, blind));
  }
}

TEST_CASE("the cause is named before the cache that hid its effect") {
  Objects state;
  state.add(account("robot", "u1", {"robot-token-a"}));
  model::Secret token = testing::token_secret("default", "robot-token-a", "robot");
  token.metadata.uid = "s1";
  state.deleted(token, "kubectl");
  const std::vector<mf::WeaknessRecord> records{
      record(mf::kDeletedTokenHiddenByMutationCache, secret_ref("robot-token-a", "s1"), account_ref("robot", "u1")),
      record(mf::kTokenDeletedAfterUnsureUpdate, secret_ref("robot-token-a", "s1"), account_ref("robot", "u1"))};
  const auto known = explained_by_records(records, {"serviceaccount/default/robot"}, state.evidence());
  REQUIRE(known.has_value());
  CHECK(known->weakness == mf::kTokenDeletedAfterUnsureUpdate);
  CHECK_FALSE(explained_by_records(records, {"serviceaccount/default/other"}, state.evidence()).has_value());
}

}  // namespace
}  // namespace sasim::properties
