// The apiserver's API semantics as a user meets them: validation (422),
// optimistic concurrency (409), merge patch, immutable fields.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"

namespace sasim::model {
namespace {

using testing::Harness;

TEST_CASE("invalid names are refused with the apiserver's message") {
  Harness h(31);
  h.run_for(sim::Duration::seconds(1));
  ApiResponse refused = h.create(testing::service_account("default", "Build_Robot"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 422);
  CHECK(refused.error->reason == "Invalid");
  CHECK(refused.error->message.rfind("ServiceAccount \"Build_Robot\" is invalid: metadata.name: Invalid value: "
                                     "\"Build_Robot\": a lowercase RFC 1123 subdomain",
                                     0) == 0);
}

TEST_CASE("a token Secret without its account annotation is invalid") {
  Harness h(32);
  h.run_for(sim::Duration::seconds(1));
  Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "build-robot-secret";
  s.type = std::string(kSecretTypeServiceAccountToken);
  ApiResponse refused = h.create(Object(s));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->message ==
        "Secret \"build-robot-secret\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required "
        "value");
}

TEST_CASE("a Secret's type cannot change") {
  Harness h(33);
  h.run_for(sim::Duration::seconds(1));
  Secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "plain";
  ApiResponse created = h.create(Object(s));
  REQUIRE(created.ok());
  Secret changed = std::get<Secret>(*created.object);
  changed.type = "kubernetes.io/dockerconfigjson";
  ApiResponse refused = h.update(Object(changed));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 422);
  CHECK(refused.error->message.find("field is immutable") != std::string::npos);
}

TEST_CASE("a pod's serviceAccountName cannot change after creation") {
  Harness h(34);
  h.run_for(sim::Duration::minutes(1));
  ApiResponse created = h.create(testing::pod("default", "p"));
  REQUIRE(created.ok());
  Pod changed = std::get<Pod>(*created.object);
  changed.spec.service_account_name = "other";
  ApiResponse refused = h.update(Object(changed));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 422);
  CHECK(refused.error->message.rfind("Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other "
                                     "than `spec.containers[*].image`",
                                     0) == 0);
}

TEST_CASE("an update with a stale resourceVersion is a Conflict") {
  Harness h(35);
  h.run_for(sim::Duration::seconds(1));
  ApiResponse created = h.create(testing::service_account("default", "build-robot"));
  REQUIRE(created.ok());
  ServiceAccount first = std::get<ServiceAccount>(*created.object);
  first.image_pull_secrets = {"myregistrykey"};
  REQUIRE(h.update(Object(first)).ok());
  ServiceAccount stale = std::get<ServiceAccount>(*created.object);
  stale.automount_service_account_token = false;
  ApiResponse conflict = h.update(Object(stale));
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error->code == 409);
  CHECK(conflict.error->message ==
        "Operation cannot be fulfilled on serviceaccounts \"build-robot\": the object has been modified; please apply "
        "your changes to the latest version and try again");
}

TEST_CASE("a merge patch adds imagePullSecrets as the seed's kubectl patch does and new pods inherit them") {
  Harness h(36);
  h.run_for(sim::Duration::minutes(1));
  ApiResponse patched = h.patch(Kind::kServiceAccount, "default", "default",
                                nlohmann::json::parse(R"({"imagePullSecrets": [{"name": "myregistrykey"}]})"));
  REQUIRE(patched.ok());
  const auto& sa = std::get<ServiceAccount>(*patched.object);
  CHECK(sa.image_pull_secrets == std::vector<std::string>{"myregistrykey"});
  CHECK(sa.secrets.size() == 1);  // the token reference is untouched
  h.run_for(sim::Duration::seconds(1));
  ApiResponse created = h.create(testing::pod("default", "inherits"));
  REQUIRE(created.ok());
  CHECK(std::get<Pod>(*created.object).spec.image_pull_secrets == std::vector<std::string>{"myregistrykey"});
}

TEST_CASE("a merge patch with a stale resourceVersion is a Conflict") {
  Harness h(37);
  h.run_for(sim::Duration::minutes(1));
  ApiResponse refused = h.patch(Kind::kServiceAccount, "default", "default",
                                nlohmann::json::parse(R"({"metadata": {"resourceVersion": "1"}, "automountServiceAccountToken": false})"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 409);
}

TEST_CASE("a JSON patch removes a field and one that does not apply changes nothing") {
  Harness h(39);
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.patch(Kind::kServiceAccount, "default", "default",
                  nlohmann::json::parse(R"({"automountServiceAccountToken": true})"))
              .ok());
  auto json_patch = [&](const char* operations) {
    auto r = Harness::request(Verb::kPatch, Kind::kServiceAccount, "default", "default");
    r->patch_type = PatchType::kJson;
    r->merge_patch = std::make_shared<const nlohmann::json>(nlohmann::json::parse(operations));
    return h.send(std::move(r));
  };
  ApiResponse removed = json_patch(R"([{"op": "remove", "path": "/automountServiceAccountToken"}])");
  REQUIRE(removed.ok());
  CHECK_FALSE(std::get<ServiceAccount>(*removed.object).automount_service_account_token.has_value());
  CHECK(std::get<ServiceAccount>(*removed.object).secrets.size() == 1);

  const std::uint64_t before = h.store().resource_version();
  ApiResponse refused = json_patch(R"([{"op": "remove", "path": "/automountServiceAccountToken"}])");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 422);
  CHECK(h.store().resource_version() == before);
  ApiResponse malformed = json_patch(R"({"op": "remove"})");
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error->code == 400);
}

TEST_CASE("delete preconditions are honoured through the API") {
  Harness h(38);
  h.run_for(sim::Duration::seconds(1));
  ApiResponse created = h.create(testing::service_account("default", "build-robot"));
  REQUIRE(created.ok());
  Preconditions wrong;
  wrong.uid = "00000000-0000-4000-8000-000000000000";
  ApiResponse refused = h.remove(Kind::kServiceAccount, "default", "build-robot", wrong);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 409);
  Preconditions right;
  right.uid = meta(*created.object).uid;
  CHECK(h.remove(Kind::kServiceAccount, "default", "build-robot", right).ok());
}

// BeforeCreate and BeforeUpdate (ValidNamespace): a manifest without
// metadata.namespace, as kubectl usually sends one, takes the request's.
TEST_CASE("create and replace without metadata.namespace take the request's namespace") {
  Harness h(36);
  h.run_for(sim::Duration::seconds(1));
  for (Kind kind : {Kind::kServiceAccount, Kind::kSecret, Kind::kPod}) {
    INFO(kind_name(kind));
    Object object = kind == Kind::kServiceAccount ? testing::service_account("", "no-ns")
                    : kind == Kind::kPod           ? testing::pod("", "no-ns")
                                                   : Object(Secret{});
    meta(object).name = "no-ns";
    auto create = Harness::request(Verb::kCreate, kind, "default", "no-ns");
    create->body = std::make_shared<const Object>(object);
    ApiResponse created = h.send(std::move(create));
    REQUIRE(created.ok());
    CHECK(meta(*created.object).namespace_ == "default");

    // As kubectl replace: the object as stored now (a pod has been bound
    // meanwhile), without its namespace.
    ObjectPtr current = h.store().get(kind, "default", "no-ns");
    REQUIRE(current != nullptr);
    Object replacement = *current;
    meta(replacement).namespace_.clear();
    meta(replacement).labels["replaced"] = "yes";
    auto replace = Harness::request(Verb::kUpdate, kind, "default", "no-ns");
    replace->body = std::make_shared<const Object>(replacement);
    ApiResponse replaced = h.send(std::move(replace));
    INFO((replaced.ok() ? std::string() : replaced.error->message));
    REQUIRE(replaced.ok());
    CHECK(meta(*replaced.object).namespace_ == "default");
    CHECK(meta(*replaced.object).labels.at("replaced") == "yes");
  }
}

TEST_CASE("a body namespace other than the request's is a BadRequest") {
  Harness h(37);
  h.run_for(sim::Duration::seconds(1));
  for (Kind kind : {Kind::kServiceAccount, Kind::kPod}) {
    INFO(kind_name(kind));
    Object object = kind == Kind::kPod ? testing::pod("kube-system", "elsewhere")
                                       : testing::service_account("kube-system", "elsewhere");
    auto create = Harness::request(Verb::kCreate, kind, "default", "elsewhere");
    create->body = std::make_shared<const Object>(object);
    ApiResponse refused = h.send(std::move(create));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error->code == 400);
    CHECK(refused.error->reason == "BadRequest");
    CHECK(refused.error->message ==
          "the namespace of the provided object does not match the namespace sent on the request");
  }
  // An update checks the body against the URL first (checkName), with its
  // own wording.
  ApiResponse created = h.create(testing::service_account("default", "here"));
  REQUIRE(created.ok());
  Object moved = *created.object;
  meta(moved).namespace_ = "kube-system";
  auto replace = Harness::request(Verb::kUpdate, Kind::kServiceAccount, "default", "here");
  replace->body = std::make_shared<const Object>(moved);
  ApiResponse refused = h.send(std::move(replace));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 400);
  CHECK(refused.error->message == "the namespace of the object (kube-system) does not match the namespace on the request (default)");
  Object renamed = *created.object;
  meta(renamed).name = "there";
  auto rename = Harness::request(Verb::kUpdate, Kind::kServiceAccount, "default", "here");
  rename->body = std::make_shared<const Object>(renamed);
  ApiResponse refused_name = h.send(std::move(rename));
  REQUIRE_FALSE(refused_name.ok());
  CHECK(refused_name.error->code == 400);
  CHECK(refused_name.error->message == "the name of the object (there) does not match the name on the URL (here)");
}

// Namespace lifecycle is admission, which runs before the store compares
// the namespaces: a missing request namespace is NotFound even when the
// body names another one.
TEST_CASE("a create into a missing namespace is NotFound before any namespace mismatch") {
  Harness h(38);
  h.run_for(sim::Duration::seconds(1));
  auto create = Harness::request(Verb::kCreate, Kind::kServiceAccount, "nowhere", "sa");
  create->body = std::make_shared<const Object>(testing::service_account("default", "sa"));
  ApiResponse refused = h.send(std::move(create));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 404);
  CHECK(refused.error->message == "namespaces \"nowhere\" not found");
}

TEST_CASE("a cluster-scoped object's namespace is dropped") {
  Harness h(39);
  h.run_for(sim::Duration::seconds(1));
  Namespace ns;
  ns.metadata.name = "team";
  ns.metadata.namespace_ = "default";
  auto create = Harness::request(Verb::kCreate, Kind::kNamespace, "", "team");
  create->body = std::make_shared<const Object>(Object(ns));
  ApiResponse created = h.send(std::move(create));
  REQUIRE(created.ok());
  CHECK(meta(*created.object).namespace_.empty());
}

}  // namespace
}  // namespace sasim::model

namespace sasim::model {
namespace {

// Observers learn who made each change, as an audit log would show it.
TEST_CASE("every committed change names the user whose request made it") {
  struct Audit : ApiServerObserver {
    std::vector<std::string> lines;
    void on_commit(const StoreChange& change, sim::Time) override {
      lines.push_back(change.user + " " + std::string(singular_name(kind_of(*change.object))) + " " +
                      meta(*change.object).name);
    }
  } audit;
  testing::Harness h(3);
  h.cluster.apiserver().add_observer(&audit);
  h.settle();
  REQUIRE(h.create(testing::service_account("default", "robot")).ok());
  h.settle();
  CHECK(std::count(audit.lines.begin(), audit.lines.end(), "kubectl serviceaccount robot") == 1);
  // The tokens controller made robot's token and referenced it.
  CHECK(std::count(audit.lines.begin(), audit.lines.end(), "tokens-controller serviceaccount robot") == 1);
  const auto token = std::find_if(audit.lines.begin(), audit.lines.end(), [](const std::string& line) {
    return line.rfind("tokens-controller secret robot-token-", 0) == 0;
  });
  CHECK(token != audit.lines.end());
  CHECK(std::count(audit.lines.begin(), audit.lines.end(), "serviceaccounts-controller serviceaccount default") >= 1);
}

}  // namespace
}  // namespace sasim::model
