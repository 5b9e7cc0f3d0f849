// Count tallies (count_tallies.h) against a recount of the store after every
// kind of write, and the lazy token they must not compute.
#include "tools/runner/count_tallies.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "model/objects/lazy_value.h"

namespace sasim::tools {
namespace {

// A token whose bytes say whether anyone read them.
class WatchedToken final : public model::LazyValue {
 public:
  const std::string& bytes() const override {
    read_ = true;
    return bytes_;
  }
  bool computed() const override { return read_; }
  std::string describe() const override { return "watched"; }

 private:
  mutable bool read_ = false;
  std::string bytes_ = "header.payload.signature";
};

model::Object secret(std::string ns, std::string name, std::string type,
                     std::shared_ptr<const model::LazyValue> token = nullptr) {
  model::Secret s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  s.type = std::move(type);
  if (token) s.data.emplace("token", model::DataValue(std::move(token)));
  return s;
}

std::int64_t recount(const CountQuery& query, const model::Store& store) {
  std::int64_t n = 0;
  for (const model::ObjectPtr& object : store.list(query.kind, query.scope)) n += counts(query, *object, {}) ? 1 : 0;
  return n;
}

constexpr const char* kToken = "kubernetes.io/service-account-token";

TEST_CASE("a tally follows creations and updates that change the match and deletions and other namespaces") {
  model::Store store(sim::Prng(1));
  CountTallies tallies;
  store.set_change_listener([&](const model::StoreChange& change) { tallies.on_commit(change, sim::Time::zero()); });
  REQUIRE(store.create(secret("a", "t1", kToken), sim::Time::zero()).ok());
  REQUIRE(store.create(secret("a", "o1", "Opaque"), sim::Time::zero()).ok());
  REQUIRE(store.create(secret("b", "t2", kToken), sim::Time::zero()).ok());

  const CountQuery in_a{.kind = model::Kind::kSecret, .scope = "a", .where = nlohmann::json{{"type", kToken}}};
  const CountQuery everywhere{.kind = model::Kind::kSecret, .scope = "", .where = nlohmann::json{{"type", kToken}}};
  const CountQuery all_secrets{.kind = model::Kind::kSecret, .scope = "", .where = std::nullopt};
  // The conditions that own the tallies (only their identity matters here).
  const scenarios::CountCondition owner_in_a, owner_everywhere, owner_all;
  CHECK_FALSE(tallies.count(&owner_in_a));
  tallies.start(&owner_in_a, in_a, store);
  tallies.start(&owner_everywhere, everywhere, store);
  tallies.start(&owner_all, all_secrets, store);
  auto agree = [&](std::int64_t a, std::int64_t e, std::int64_t all) {
    CHECK(tallies.count(&owner_in_a) == a);
    CHECK(tallies.count(&owner_everywhere) == e);
    CHECK(tallies.count(&owner_all) == all);
    CHECK(recount(in_a, store) == a);
    CHECK(recount(everywhere, store) == e);
    CHECK(recount(all_secrets, store) == all);
  };
  agree(1, 2, 3);

  REQUIRE(store.create(secret("a", "t3", kToken), sim::Time::zero()).ok());
  agree(2, 3, 4);
  REQUIRE(store.create(secret("c", "t4", kToken), sim::Time::zero()).ok());  // another namespace
  agree(2, 4, 5);
  REQUIRE(store.update(secret("a", "o1", kToken)).ok());  // now it matches
  agree(3, 5, 5);
  REQUIRE(store.update(secret("a", "t1", "Opaque")).ok());  // no longer
  agree(2, 4, 5);
  REQUIRE(store.update(secret("a", "t1", "Opaque")).ok());  // a write that changes nothing
  agree(2, 4, 5);
  REQUIRE(store.mark_deleting(secret("a", "t3", kToken)).ok());  // being deleted still counts, as stored
  agree(2, 4, 5);
  REQUIRE(store.remove(model::Kind::kSecret, "a", "t3", {}).ok());
  agree(1, 3, 4);
  REQUIRE(store.remove(model::Kind::kSecret, "a", "t1", {}).ok());  // a deletion of one not counted
  agree(1, 3, 3);

  // Another kind's commits leave the tallies alone.
  model::ServiceAccount sa;
  sa.metadata.namespace_ = "a";
  sa.metadata.name = "t9";
  REQUIRE(store.create(sa, sim::Time::zero()).ok());
  agree(1, 3, 3);

  tallies.stop_all();
  CHECK(tallies.empty());
  CHECK_FALSE(tallies.count(&owner_in_a));
}

TEST_CASE("counting Secrets by a pattern that names no data leaves their lazy tokens unread") {
  auto token = std::make_shared<WatchedToken>();
  model::Store store(sim::Prng(1));
  REQUIRE(store.create(secret("a", "t", kToken, token), sim::Time::zero()).ok());
  const CountQuery by_type{.kind = model::Kind::kSecret, .scope = "", .where = nlohmann::json{{"type", kToken}}};
  CountTallies tallies;
  const scenarios::CountCondition owner;
  tallies.start(&owner, by_type, store);
  CHECK(tallies.count(&owner) == 1);
  CHECK_FALSE(token->computed());

  // A pattern on the data needs the bytes, and matches them.
  const CountQuery by_data{.kind = model::Kind::kSecret,
                           .scope = "",
                           .where = nlohmann::json{{"data", {{"token", "<any>"}}}}};
  CHECK(recount(by_data, store) == 1);
  CHECK(token->computed());
  const CountQuery by_missing_key{.kind = model::Kind::kSecret,
                                  .scope = "",
                                  .where = nlohmann::json{{"data", {{"ca.crt", "<any>"}}}}};
  CHECK(recount(by_missing_key, store) == 0);
}

}  // namespace
}  // namespace sasim::tools
