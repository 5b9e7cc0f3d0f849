// token-secrets-hold-correct-data, controller-references-resolve and
// one-generated-token-per-account on stores written by hand, with the
// audit told who made each change: each holds on what 1.20 leaves and is
// violated by what it does not.
#include "properties/token_secret_checks.h"

#include <type_traits>

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/lazy_token.h"
#include "model/auth/signing_key.h"
#include "model/auth/test_keys.h"
#include "model/objects/constants.h"
#include "properties/invariant.h"
#include "properties/known_weaknesses.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace token_secret_invariants_test {

const std::string kRootCa(model::auth::builtin_root_ca_pem());
const std::string kController(kTokensControllerUser);

std::shared_ptr<const model::auth::SigningKey> key(std::string_view pem) {
  auto k = model::auth::SigningKey::from_pem(pem);
  REQUIRE(k.ok());
  return std::make_shared<const model::auth::SigningKey>(std::move(k).value());
}

// Audit's records view user names it keeps: a copy would view the original's.
static_assert(!std::is_copy_constructible_v<Audit> && !std::is_copy_assignable_v<Audit>);
static_assert(std::is_move_constructible_v<Audit>);

// A store whose every change the audit sees, made as `user`.
struct World {
  model::Store store{sim::Prng(5)};
  Audit audit;
  std::string user = "kubectl";
  std::shared_ptr<const model::auth::SigningKey> signer = key(model::auth::builtin_ec_key_pem());
  TokenOracle oracle{VerifyingKey::from_der(signer->public_key_der())};

  World() {
    store.set_change_listener([this](const model::StoreChange& c) {
      model::StoreChange audited = c;
      audited.user = user;
      audit.on_commit(audited);
    });
    model::Namespace ns;
    ns.metadata.name = "default";
    REQUIRE(store.create(model::Object(ns), sim::Time::zero()).ok());
  }
  model::ObjectPtr as(std::string who, model::Object o) {
    user = std::move(who);
    auto r = store.create(std::move(o), sim::Time::zero());
    REQUIRE(r.ok());
    return r.value();
  }
  model::ObjectPtr update_as(std::string who, model::Object o) {
    user = std::move(who);
    auto r = store.update(std::move(o));
    REQUIRE(r.ok());
    return r.value();
  }
  const model::ServiceAccount& account(const std::string& name) {
    return std::get<model::ServiceAccount>(*store.get(model::Kind::kServiceAccount, "default", name));
  }
  const model::Secret& secret(const std::string& name) {
    return std::get<model::Secret>(*store.get(model::Kind::kSecret, "default", name));
  }
  // A token Secret as the tokens controller writes one for `sa` (T3.4).
  model::Secret generated(const model::ServiceAccount& sa, const std::string& name) {
    model::Secret s = testing::token_secret("default", name, sa.metadata.name);
    s.metadata.annotations[std::string(model::kServiceAccountUidKey)] = sa.metadata.uid;
    s.data[std::string(model::kServiceAccountTokenKey)] =
        model::DataValue(model::auth::make_legacy_token(signer, "default", sa.metadata.name, sa.metadata.uid, name, 1));
    s.data[std::string(model::kServiceAccountNamespaceKey)] = "default";
    s.data[std::string(model::kServiceAccountRootCaKey)] = kRootCa;
    return s;
  }
  CheckOutcome data() { return check_token_secrets_hold_correct_data(store, kRootCa, audit, oracle, sim::Time::zero()); }
  CheckOutcome references() { return check_controller_references_resolve(store, audit, sim::Time::zero()); }
  CheckOutcome generated_tokens() { return check_one_generated_token_per_account(store, audit, sim::Time::zero()); }
};

model::Object account_named(const char* name) { return model::testing::service_account("default", name); }

model::ServiceAccount referencing(model::ServiceAccount sa, const std::string& secret) {
  sa.secrets.push_back(model::ObjectReference{.name = secret});
  return sa;
}

TEST_CASE("a token Secret the tokens controller filled in right holds correct data") {
  World w;
  w.as("kubectl", account_named("robot"));
  w.as(kController, w.generated(w.account("robot"), "robot-token-a"));
  const CheckOutcome out = w.data();
  CHECK(out.checks == 1);
  CHECK(out.violations.empty());
}

TEST_CASE("a wrong namespace a wrong CA or a foreign token from the tokens controller is a violation") {
  World w;
  w.as("kubectl", account_named("robot"));
  model::Secret s = w.generated(w.account("robot"), "robot-token-a");
  SECTION("namespace") {
    s.data[std::string(model::kServiceAccountNamespaceKey)] = "robot";
    w.as(kController, s);
    const CheckOutcome out = w.data();
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].message ==
          "secret/default/robot-token-a holds namespace \"robot\" where it lives in \"default\"");
    CHECK(out.violations[0].objects ==
          std::vector<std::string>{"secret/default/robot-token-a", "serviceaccount/default/robot"});
  }
  SECTION("ca.crt") {
    s.data[std::string(model::kServiceAccountRootCaKey)] = "another CA";
    w.as(kController, s);
    REQUIRE(w.data().violations.size() == 1);
    CHECK(w.data().violations[0].message.find("not the cluster's root CA") != std::string::npos);
  }
  SECTION("a token signed by another key") {
    s.data[std::string(model::kServiceAccountTokenKey)] = model::DataValue(model::auth::make_legacy_token(
        key(model::auth::testing::kOtherEcKeyPem), "default", "robot", w.account("robot").metadata.uid, "robot-token-a", 1));
    w.as(kController, s);
    REQUIRE(w.data().violations.size() == 1);
    CHECK(w.data().violations[0].message.find("not a JWT the cluster's signing key signed") != std::string::npos);
  }
  SECTION("a token of another Secret") {
    s.data[std::string(model::kServiceAccountTokenKey)] = model::DataValue(
        model::auth::make_legacy_token(w.signer, "default", "robot", w.account("robot").metadata.uid, "robot-token-b", 1));
    w.as(kController, s);
    REQUIRE(w.data().violations.size() == 1);
    CHECK(w.data().violations[0].message.find("secret.name \"robot-token-b\", not \"robot-token-a\"") !=
          std::string::npos);
  }
}

TEST_CASE("a custom namespace and a token a user wrote are kept and not judged") {
  World w;
  w.as("kubectl", account_named("robot"));
  model::Secret mine = testing::token_secret("default", "mine", "robot");
  mine.data[std::string(model::kServiceAccountNamespaceKey)] = "custom";
  mine.data[std::string(model::kServiceAccountTokenKey)] = "not a JWT at all";
  w.as("kubectl", mine);
  // T6 fills in the CA and the uid, and keeps the rest.
  model::Secret filled = w.secret("mine");
  filled.data[std::string(model::kServiceAccountRootCaKey)] = kRootCa;
  filled.metadata.annotations[std::string(model::kServiceAccountUidKey)] = w.account("robot").metadata.uid;
  w.update_as(kController, filled);
  CHECK(w.data().violations.empty());
  // A controller that overwrites the custom value is wrong, even with the
  // Secret's own namespace.
  model::Secret overwritten = w.secret("mine");
  overwritten.data[std::string(model::kServiceAccountNamespaceKey)] = "default";
  w.update_as(kController, overwritten);
  REQUIRE(w.data().violations.size() == 1);
  CHECK(w.data().violations[0].message ==
        "secret/default/mine holds namespace \"default\" where a user wrote \"custom\"");
}

TEST_CASE("a reference the tokens controller added must resolve and a user's need not") {
  World w;
  w.as("kubectl", referencing(std::get<model::ServiceAccount>(account_named("robot")), "the-users-missing-secret"));
  w.as(kController, w.generated(w.account("robot"), "robot-token-a"));
  w.update_as(kController, referencing(w.account("robot"), "robot-token-a"));
  CheckOutcome out = w.references();
  CHECK(out.checks == 1);
  CHECK(out.violations.empty());
  // The controller adds a reference to a Secret that never existed.
  w.update_as(kController, referencing(w.account("robot"), "robot-token-never"));
  out = w.references();
  REQUIRE(out.violations.size() == 1);
  CHECK(out.violations[0].objects ==
        std::vector<std::string>{"serviceaccount/default/robot", "secret/default/robot-token-never"});
  // Once someone removes it, nothing is left to judge.
  model::ServiceAccount fixed = w.account("robot");
  fixed.secrets.pop_back();
  w.update_as("kubectl", fixed);
  CHECK(w.references().violations.empty());
}

TEST_CASE("an account has one generated token and references it") {
  World w;
  w.as("kubectl", account_named("robot"));
  w.as(kController, w.generated(w.account("robot"), "robot-token-a"));
  w.update_as(kController, referencing(w.account("robot"), "robot-token-a"));
  // A manual token of the account does not count.
  w.as("kubectl", testing::token_secret("default", "manual", "robot"));
  CHECK(w.generated_tokens().violations.empty());
  CHECK(w.generated_tokens().checks == 1);
  SECTION("a second generated token, referenced too") {
    w.as(kController, w.generated(w.account("robot"), "robot-token-b"));
    w.update_as(kController, referencing(w.account("robot"), "robot-token-b"));
    const CheckOutcome out = w.generated_tokens();
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].message ==
          "serviceaccount/default/robot references secret/default/robot-token-b, a second token the tokens controller "
          "generated for it");
  }
  SECTION("a generated token left unreferenced") {
    w.as(kController, w.generated(w.account("robot"), "robot-token-b"));
    const CheckOutcome out = w.generated_tokens();
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].objects.front() == "secret/default/robot-token-b");
  }
}

TEST_CASE("a generated token orphaned by a user's write is the known weakness orphaned-by-user-update") {
  testing::Harness h(97);
  InvariantChecker checker(h.cluster, testing::only(kOneGeneratedTokenPerAccount));
  checker.attach();
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  h.settle();
  const std::string first = testing::first_token_name(h, "default", "robot");
  // #113532: a user's update drops the reference; the controller makes another token.
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", "robot", {{"secrets", nullptr}}).ok());
  h.settle();
  REQUIRE(testing::first_token_name(h, "default", "robot") != first);
  REQUIRE(checker.check_eventually(h.simulator.now()) == 1);
  const Violation& v = checker.result(kOneGeneratedTokenPerAccount)->violations.at(0);
  CHECK(v.objects.front() == "secret/default/" + first);
  REQUIRE(v.known.has_value());
  CHECK(v.known->weakness == "orphaned-by-user-update");
  CHECK(v.known->upstream == "kubernetes/kubernetes#113532");
  CHECK(checker.passed(false));
}

}  // namespace token_secret_invariants_test
}  // namespace sasim::properties
