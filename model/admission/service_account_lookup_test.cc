// R4: the cache first, then live GETs: 10 for `default`, 1 otherwise, spaced
// by one interval drawn per call from [100ms, 200ms).
#include "model/admission/service_account_lookup.h"

#include <catch2/catch.hpp>
#include <set>

#include "model/admission/testing/fake_env.h"
#include "model/admission/testing/fixtures.h"
#include "model/admission/testing/run_sync.h"

namespace sasim::model::admission {
namespace {

using testing::FakeEnv;
using testing::make_sa;
using testing::run_sync;

LookupResult lookup(FakeEnv& env, const std::string& name) {
  return run_sync(get_service_account(env, testing::kNs, name));
}

void check_equal_intervals(const std::vector<sim::Duration>& sleeps) {
  for (const sim::Duration& d : sleeps) {
    CHECK(d == sleeps.front());
    CHECK(d >= sim::Duration::milliseconds(100));
    CHECK(d < sim::Duration::milliseconds(200));
    CHECK(d.ns() % 1'000'000 == 0);  // whole milliseconds, as rand.Int63n(100)+100 ms
  }
}

TEST_CASE("a cached account is used without live GETs or draws") {
  FakeEnv env;
  env.cache(make_sa("default", "12345"));
  sim::Prng untouched = env.prng();
  const LookupResult got = lookup(env, "default");
  REQUIRE(got.ok());
  CHECK(got.value().metadata.uid == "12345");
  CHECK(env.live_gets.empty());
  CHECK(env.sleeps.empty());
  CHECK(env.prng().next_u64() == untouched.next_u64());
}

TEST_CASE("a missing default account is tried 10 times with 9 equal sleeps") {
  FakeEnv env;
  const LookupResult got = lookup(env, "default");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == 404);
  CHECK(got.error().reason == "NotFound");
  CHECK(got.error().message == "serviceaccount \"default\" not found");
  CHECK(got.error().details.kind == "serviceaccount");
  CHECK(env.live_gets == std::vector<std::string>(10, "myns/default"));
  CHECK(env.sleeps.size() == 9);
  check_equal_intervals(env.sleeps);
}

TEST_CASE("a missing account with another name is tried once without sleeping") {
  FakeEnv env;
  sim::Prng before = env.prng();
  const LookupResult got = lookup(env, "build-robot");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message == "serviceaccount \"build-robot\" not found");
  CHECK(env.live_gets == std::vector<std::string>{"myns/build-robot"});
  CHECK(env.sleeps.empty());
  // The interval is drawn even though no retry follows, as upstream does.
  before.uniform_int(100, 199);
  CHECK(env.prng().next_u64() == before.next_u64());
}

TEST_CASE("an uncached account found live is returned") {
  FakeEnv env;
  env.store(make_sa("build-robot", "u1"));
  const LookupResult got = lookup(env, "build-robot");
  REQUIRE(got.ok());
  CHECK(got.value().metadata.uid == "u1");
  CHECK(env.live_gets.size() == 1);
}

TEST_CASE("the default account created while admission retries is found on a later attempt") {
  FakeEnv env;
  env.store(make_sa("default", "u1"));
  env.not_found_before = 3;
  const LookupResult got = lookup(env, "default");
  REQUIRE(got.ok());
  CHECK(env.live_gets.size() == 4);
  CHECK(env.sleeps.size() == 3);
  check_equal_intervals(env.sleeps);
}

TEST_CASE("an error other than NotFound ends the lookup at once") {
  FakeEnv env;
  env.live_error = status_too_many_requests("Too many requests, please try again later.", 1);
  const LookupResult got = lookup(env, "default");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().reason == "TooManyRequests");
  CHECK(env.live_gets.size() == 1);
  CHECK(env.sleeps.empty());
}

TEST_CASE("a NotFound error status from the live GET counts as NotFound") {
  FakeEnv env;
  env.live_error = status_not_found("serviceaccounts", "default");
  const LookupResult got = lookup(env, "default");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message == "serviceaccount \"default\" not found");
  CHECK(env.live_gets.size() == 10);
}

TEST_CASE("each lookup draws its own interval and all of them fall in 100 to 199 ms") {
  FakeEnv env(3);
  std::set<std::int64_t> intervals;
  for (int call = 0; call < 200; ++call) {
    env.sleeps.clear();
    (void)lookup(env, "default");
    REQUIRE(env.sleeps.size() == 9);
    check_equal_intervals(env.sleeps);
    intervals.insert(env.sleeps.front().ns() / 1'000'000);
  }
  CHECK(intervals.size() > 50);
  CHECK(*intervals.begin() >= 100);
  CHECK(*intervals.rbegin() <= 199);
}

}  // namespace
}  // namespace sasim::model::admission
