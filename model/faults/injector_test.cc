#include "model/faults/injector.h"

#include <catch2/catch.hpp>

namespace sasim::model::faults {
namespace {

ApiRequest request(Verb verb, Kind kind, std::string name = "x") {
  ApiRequest r;
  r.verb = verb;
  r.kind = kind;
  r.namespace_ = "default";
  r.name = std::move(name);
  return r;
}

const sim::ActorId kTokens{1};
const sim::ActorId kOther{2};

TEST_CASE("errors with a count fail the next N matching requests only") {
  WeaknessLog log;
  FaultInjector injector(sim::Prng(1), &log);
  injector.add(ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate}, .resources = {Kind::kSecret}, .count = 2,
                          .code = 409},
               kTokens, "tokens-controller");
  CHECK_FALSE(injector.on_request(kTokens, request(Verb::kGet, Kind::kSecret)).error);
  CHECK_FALSE(injector.on_request(kOther, request(Verb::kCreate, Kind::kSecret)).error);
  auto first = injector.on_request(kTokens, request(Verb::kCreate, Kind::kSecret, "s"));
  REQUIRE(first.error);
  CHECK(first.error->code == 409);
  CHECK(first.error->reason == "Conflict");
  CHECK(first.error->message ==
        "Operation cannot be fulfilled on secrets \"s\": the object has been modified; please apply your changes to the "
        "latest version and try again");
  CHECK(injector.on_request(kTokens, request(Verb::kCreate, Kind::kSecret)).error);
  CHECK_FALSE(injector.on_request(kTokens, request(Verb::kCreate, Kind::kSecret)).error);
}

TEST_CASE("a 429 carries Retry-After and phase after is passed on") {
  FaultInjector injector(sim::Prng(1), nullptr);
  injector.add(ErrorsSpec{.actor = "apiserver", .code = 429, .after_commit = true}, sim::ActorId::none(), "apiserver");
  auto fate = injector.on_request(kOther, request(Verb::kUpdate, Kind::kServiceAccount));
  REQUIRE(fate.error);
  CHECK(fate.error->code == 429);
  CHECK(fate.error->reason == "TooManyRequests");
  CHECK(fate.error->details.retry_after_seconds == 1);
  CHECK(fate.after_commit);
}

TEST_CASE("errors at a rate fail about that share of requests and repeat with the seed") {
  auto run = [](std::uint64_t seed) {
    FaultInjector injector(sim::Prng(seed), nullptr);
    injector.add(ErrorsSpec{.actor = "apiserver", .rate = sim::Ratio{1, 2}}, sim::ActorId::none(), "apiserver");
    std::vector<bool> failed;
    for (int i = 0; i < 1000; ++i) failed.push_back(injector.on_request(kTokens, request(Verb::kGet, Kind::kSecret)).error.has_value());
    return failed;
  };
  const std::vector<bool> a = run(7);
  CHECK(a == run(7));
  CHECK(a != run(8));
  const auto failures = std::count(a.begin(), a.end(), true);
  CHECK(failures > 400);
  CHECK(failures < 600);
}

TEST_CASE("stale lags stack and end when removed") {
  FaultInjector injector(sim::Prng(1), nullptr);
  const auto a = injector.add(StaleSpec{.actor = "tokens-controller", .lag = sim::Duration::seconds(5)}, kTokens,
                              "tokens-controller");
  injector.add(StaleSpec{.actor = "tokens-controller", .lag = sim::Duration::seconds(2)}, kTokens, "tokens-controller");
  CHECK(injector.extra_watch_lag(kTokens) == sim::Duration::seconds(7));
  CHECK(injector.extra_watch_lag(kOther) == sim::Duration::zero());
  CHECK(injector.remove(a));
  CHECK_FALSE(injector.remove(a));
  CHECK(injector.extra_watch_lag(kTokens) == sim::Duration::seconds(2));
}

TEST_CASE("crashAfter matches once and only its verb and resource") {
  FaultInjector injector(sim::Prng(1), nullptr);
  injector.add(CrashAfterSpec{.actor = "tokens-controller", .verb = Verb::kCreate, .resource = Kind::kSecret}, kTokens,
               "tokens-controller");
  CHECK_FALSE(injector.take_crash_after(kTokens, Verb::kUpdate, Kind::kSecret));
  CHECK_FALSE(injector.take_crash_after(kOther, Verb::kCreate, Kind::kSecret));
  CHECK(injector.take_crash_after(kTokens, Verb::kCreate, Kind::kSecret));
  CHECK_FALSE(injector.take_crash_after(kTokens, Verb::kCreate, Kind::kSecret));
}

TEST_CASE("dropEvents loses N events of its resources and records each as a known weakness") {
  WeaknessLog log;
  FaultInjector injector(sim::Prng(1), &log);
  injector.add(DropEventsSpec{.actor = "tokens-controller", .resources = {Kind::kServiceAccount}, .count = 1}, kTokens,
               "tokens-controller");
  ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "robot";
  Secret secret;
  secret.metadata.namespace_ = "default";
  secret.metadata.name = "s";
  CHECK_FALSE(injector.drop_watch_event(kTokens, "tokens-controller", Object(secret), sim::Time::zero()));
  CHECK_FALSE(injector.drop_watch_event(kOther, "other", Object(sa), sim::Time::zero()));
  CHECK(injector.drop_watch_event(kTokens, "tokens-controller", Object(sa), sim::Time::zero()));
  CHECK_FALSE(injector.drop_watch_event(kTokens, "tokens-controller", Object(sa), sim::Time::zero()));
  REQUIRE(log.records().size() == 1);
  CHECK(log.records()[0].weakness == kWatchEventLost);
  CHECK(log.records()[0].object.name == "robot");
  CHECK(log.records()[0].object.kind == Kind::kServiceAccount);
  CHECK(log.records()[0].account.name == "robot");
  CHECK(log.records()[0].upstream == "kubernetes/kubernetes#25204");
}

}  // namespace
}  // namespace sasim::model::faults
