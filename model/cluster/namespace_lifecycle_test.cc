// Namespace lifecycle through the whole control plane: creation gives the
// namespace its default account and token; deletion makes it Terminating,
// refuses new content with the NamespaceTerminating cause, empties it, and
// removes it.
#include <catch2/catch.hpp>

#include "model/cluster/test_harness.h"

namespace sasim::model {
namespace {

using testing::Harness;

Object namespace_named(std::string name) {
  Namespace ns;
  ns.metadata.name = std::move(name);
  return ns;
}

Object opaque_secret(std::string ns, std::string name) {
  Secret secret;
  secret.metadata.namespace_ = std::move(ns);
  secret.metadata.name = std::move(name);
  return secret;
}

TEST_CASE("a namespace being deleted refuses new content and then disappears with its contents") {
  Harness h(7);
  h.run_for(sim::Duration::seconds(1));
  REQUIRE(h.create(namespace_named("examplens")).ok());
  h.run_for(sim::Duration::seconds(5));
  const Store& store = h.cluster.apiserver().store();
  REQUIRE(store.get(Kind::kServiceAccount, "examplens", "default") != nullptr);
  REQUIRE(h.create(opaque_secret("examplens", "keep-me")).ok());

  ApiResponse deleted = h.remove(Kind::kNamespace, "", "examplens");
  REQUIRE(deleted.ok());
  CHECK(std::get<Namespace>(*deleted.object).phase == NamespacePhase::kTerminating);
  CHECK(meta(*deleted.object).deletion_timestamp.has_value());

  // A second DELETE while it is being emptied is refused.
  ApiResponse again = h.remove(Kind::kNamespace, "", "examplens");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error->code == 409);
  CHECK(again.error->message ==
        "Operation cannot be fulfilled on namespaces \"examplens\": The system is ensuring all content is removed from "
        "this namespace.  Upon completion, this namespace will automatically be purged by the system.");

  ApiResponse refused = h.create(opaque_secret("examplens", "too-late"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == 403);
  CHECK(refused.error->has_cause(kCauseNamespaceTerminating));
  CHECK(refused.error->message ==
        "secrets \"too-late\" is forbidden: unable to create new content in namespace examplens because it is being "
        "terminated");

  h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  CHECK(store.get(Kind::kNamespace, "", "examplens") == nullptr);
  CHECK(store.list(Kind::kSecret, "examplens").empty());
  CHECK(store.list(Kind::kServiceAccount, "examplens").empty());
  // The controllers did not recreate anything in it meanwhile.
  ApiResponse gone = h.create(opaque_secret("examplens", "after"));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error->message == "namespaces \"examplens\" not found");
}

TEST_CASE("deleting a namespace's default account makes the controller recreate it with a new token") {
  Harness h(7);
  h.run_for(sim::Duration::minutes(2));
  const Store& store = h.cluster.apiserver().store();
  const std::string old_uid = meta(*store.get(Kind::kServiceAccount, "default", "default")).uid;
  const std::string old_secret = as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"))->secrets.at(0).name;
  REQUIRE(h.remove(Kind::kServiceAccount, "default", "default").ok());
  h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  const auto* sa = as<ServiceAccount>(store.get(Kind::kServiceAccount, "default", "default"));
  REQUIRE(sa != nullptr);
  CHECK(sa->metadata.uid != old_uid);
  REQUIRE(sa->secrets.size() == 1);
  CHECK(sa->secrets[0].name != old_secret);
  // T2: the old account's token Secret was deleted.
  CHECK(store.get(Kind::kSecret, "default", old_secret) == nullptr);
  CHECK(store.list(Kind::kSecret, "default").size() == 1);
}

TEST_CASE("creating in a namespace that does not exist is NotFound") {
  Harness h(7);
  h.run_for(sim::Duration::seconds(1));
  ApiResponse response = h.create(opaque_secret("nope", "s"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error->code == 404);
  CHECK(response.error->message == "namespaces \"nope\" not found");
}

}  // namespace
}  // namespace sasim::model
