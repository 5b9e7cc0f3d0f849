#include "model/apiserver/store.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

Object service_account(std::string ns, std::string name) {
  ServiceAccount sa;
  sa.metadata.namespace_ = std::move(ns);
  sa.metadata.name = std::move(name);
  return sa;
}

TEST_CASE("the store assigns uids and one increasing resourceVersion") {
  Store store(sim::Prng(1));
  std::vector<StoreChange> changes;
  store.set_change_listener([&](const StoreChange& c) { changes.push_back(c); });
  auto a = store.create(service_account("default", "a"), sim::Time::zero()).value();
  auto b = store.create(service_account("default", "b"), sim::Time::zero()).value();
  CHECK(meta(*a).resource_version == 1);
  CHECK(meta(*b).resource_version == 2);
  CHECK(meta(*a).uid != meta(*b).uid);
  CHECK(meta(*a).uid.size() == 36);
  CHECK(meta(*a).uid[14] == '4');
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].type == WatchEventType::kAdded);
}

TEST_CASE("the store counts the pods bound to each node as they are written") {
  Store store(sim::Prng(1));
  auto pod_on = [](std::string name, std::string node) {
    Pod p;
    p.metadata.namespace_ = "default";
    p.metadata.name = std::move(name);
    p.spec.node_name = std::move(node);
    return Object(std::move(p));
  };
  REQUIRE(store.create(pod_on("a", "n1"), sim::Time::zero()).ok());
  REQUIRE(store.create(pod_on("b", "n1"), sim::Time::zero()).ok());
  REQUIRE(store.create(pod_on("pending", ""), sim::Time::zero()).ok());
  CHECK(store.pods_on_node("n1") == 2);
  CHECK(store.pods_on_node("n2") == 0);
  // Bound later (the scheduler's binding), moved, unchanged, deleted.
  REQUIRE(store.update(pod_on("pending", "n2")).ok());
  CHECK(store.pods_on_node("n2") == 1);
  REQUIRE(store.update(pod_on("b", "n2")).ok());
  CHECK(store.pods_on_node("n1") == 1);
  CHECK(store.pods_on_node("n2") == 2);
  Object relabelled = pod_on("a", "n1");
  meta(relabelled).labels["x"] = "1";
  REQUIRE(store.update(relabelled).ok());
  CHECK(store.pods_on_node("n1") == 1);
  REQUIRE(store.remove(Kind::kPod, "default", "a", {}).ok());
  CHECK(store.pods_on_node("n1") == 0);
  CHECK(store.pods_on_node("n2") == 2);
}

TEST_CASE("creating a taken name is AlreadyExists") {
  Store store(sim::Prng(1));
  REQUIRE(store.create(service_account("default", "a"), sim::Time::zero()).ok());
  auto again = store.create(service_account("default", "a"), sim::Time::zero());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().reason == "AlreadyExists");
  CHECK(store.create(service_account("other", "a"), sim::Time::zero()).ok());
}

TEST_CASE("an update with a stale resourceVersion is a Conflict and an unset one is unconditional") {
  Store store(sim::Prng(1));
  auto created = store.create(service_account("default", "a"), sim::Time::zero()).value();
  Object stale = *created;
  Object changed = *created;
  std::get<ServiceAccount>(changed).automount_service_account_token = false;
  auto first = store.update(changed);
  REQUIRE(first.ok());
  CHECK(meta(*first.value()).resource_version == 2);
  auto conflict = store.update(stale);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().code == 409);
  CHECK(conflict.error().reason == "Conflict");
  meta(stale).resource_version = 0;
  auto unconditional = store.update(stale);
  REQUIRE(unconditional.ok());
  CHECK(meta(*unconditional.value()).resource_version == 3);
}

TEST_CASE("delete honours uid and resourceVersion preconditions") {
  Store store(sim::Prng(1));
  auto created = store.create(service_account("default", "a"), sim::Time::zero()).value();
  Preconditions wrong_uid;
  wrong_uid.uid = "nope";
  auto refused = store.remove(Kind::kServiceAccount, "default", "a", wrong_uid);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "Operation cannot be fulfilled on serviceaccounts \"a\": Precondition failed: UID in precondition: nope, UID in "
        "object meta: " + meta(*created).uid);
  Preconditions wrong_rv;
  wrong_rv.resource_version = 7;
  CHECK_FALSE(store.remove(Kind::kServiceAccount, "default", "a", wrong_rv).ok());
  Preconditions right;
  right.uid = meta(*created).uid;
  auto deleted = store.remove(Kind::kServiceAccount, "default", "a", right);
  REQUIRE(deleted.ok());
  CHECK(meta(*deleted.value()).resource_version == 2);
  CHECK(store.get(Kind::kServiceAccount, "default", "a") == nullptr);
  CHECK(store.remove(Kind::kServiceAccount, "default", "a", {}).error().reason == "NotFound");
}

TEST_CASE("generateName gets five characters of the generated-name alphabet") {
  Store store(sim::Prng(1));
  Object sa = service_account("default", "");
  meta(sa).generate_name = "build-";
  auto created = store.create(sa, sim::Time::zero()).value();
  const std::string& name = meta(*created).name;
  REQUIRE(name.size() == 11);
  CHECK(name.substr(0, 6) == "build-");
  CHECK(name.substr(6).find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
}

TEST_CASE("list is in name order within a namespace") {
  Store store(sim::Prng(1));
  for (const char* name : {"c", "a", "b"}) REQUIRE(store.create(service_account("ns1", name), sim::Time::zero()).ok());
  REQUIRE(store.create(service_account("ns0", "z"), sim::Time::zero()).ok());
  auto items = store.list(Kind::kServiceAccount, "ns1");
  REQUIRE(items.size() == 3);
  CHECK(meta(*items[0]).name == "a");
  CHECK(meta(*items[2]).name == "c");
  CHECK(store.list(Kind::kServiceAccount).size() == 4);
}

}  // namespace
}  // namespace sasim::model

namespace sasim::model {
namespace {

TEST_CASE("an update that changes nothing keeps the resourceVersion and publishes nothing") {
  Store store(sim::Prng(1));
  std::vector<StoreChange> changes;
  store.set_change_listener([&](const StoreChange& c) { changes.push_back(c); });
  ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "a";
  auto created = store.create(Object(sa), sim::Time::zero()).value();

  Object same = *created;  // as read, with its resourceVersion
  auto unchanged = store.update(same);
  REQUIRE(unchanged.ok());
  CHECK(unchanged.value() == created);  // the stored version itself
  meta(same).resource_version = 0;     // unconditional, still nothing new
  CHECK(store.update(same).value() == created);
  CHECK(store.resource_version() == 1);
  CHECK(changes.size() == 1);

  Object changed = *created;
  std::get<ServiceAccount>(changed).automount_service_account_token = false;
  auto written = store.update(changed);
  REQUIRE(written.ok());
  CHECK(meta(*written.value()).resource_version == 2);
  CHECK(changes.size() == 2);
}

}  // namespace
}  // namespace sasim::model
