// Each fault of the scenario format (§7) on a small world, and the
// consequences upstream knows (behaviour reference §2.4 and §8).
#include "model/cluster/cluster.h"

#include <catch2/catch.hpp>

#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"

namespace sasim::model {
namespace {

using testing::Harness;
namespace mf = faults;

ClusterConfig config() {
  ClusterConfig c = default_cluster_config();
  c.apiserver.latency = sim::DurationDistribution::constant(sim::Duration::milliseconds(2));
  c.tokens_controller.token_generator = testing::naming_token_generator();
  return c;
}

// A settled cluster with its trace recorded.
struct World : Harness {
  explicit World(std::uint64_t seed = 1) : Harness(seed, config()) {
    simulator.trace().set_recording(true);
    settle();
  }
  FaultController& faults() { return cluster.fault_controller(); }
  const ServiceAccount* account(const std::string& name) const {
    return as<ServiceAccount>(store().get(Kind::kServiceAccount, "default", name));
  }
  // The token Secrets annotated for the account `name`.
  std::vector<std::string> tokens_of(const std::string& name) const {
    std::vector<std::string> out;
    for (const ObjectPtr& object : store().list(Kind::kSecret, "default")) {
      const auto* secret = as<Secret>(object);
      const std::string* sa = secret->metadata.annotation(std::string(kServiceAccountNameKey));
      if (secret->type == kSecretTypeServiceAccountToken && sa != nullptr && *sa == name) {
        out.push_back(secret->metadata.name);
      }
    }
    return out;
  }
  bool noted(const std::string& substring) const {
    for (const sim::TraceEntry& entry : simulator.trace().entries()) {
      if (entry.text.find(substring) != std::string::npos) return true;
    }
    return false;
  }
  bool has_weakness(const std::string& weakness, const std::string& name) const {
    for (const mf::WeaknessRecord& r : cluster.weaknesses().records()) {
      if (r.weakness == weakness && (r.object.name == name || r.account.name == name)) return true;
    }
    return false;
  }
  // The account references a token Secret of its own.
  bool referenced_token(const std::string& name) const {
    const ServiceAccount* sa = account(name);
    if (sa == nullptr) return false;
    for (const ObjectReference& ref : sa->secrets) {
      const auto* secret = as<Secret>(store().get(Kind::kSecret, "default", ref.name));
      if (secret != nullptr && is_service_account_token(*secret, *sa)) return true;
    }
    return false;
  }
};

TEST_CASE("crash: the controller is down and after its restart it re-lists and catches up") {
  World w;
  const sim::ActorId tokens = w.simulator.find_actor(Cluster::kTokensController);
  w.faults().start(mf::CrashSpec{.actor = "tokens-controller"});
  w.run_for(sim::Duration::milliseconds(1));
  CHECK_FALSE(w.simulator.is_up(tokens));
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.run_for(sim::Duration::seconds(5));
  CHECK(w.tokens_of("robot").empty());
  w.run_for(sim::Duration::seconds(6));  // restartDelay 10s
  CHECK(w.simulator.is_up(tokens));
  w.settle();
  CHECK(w.referenced_token("robot"));
  CHECK(w.tokens_of("robot").size() == 1);
  CHECK(w.noted("fault start crash tokens-controller"));
}

TEST_CASE("crash with restartAfter and an early heal restarts at once") {
  World w;
  const sim::ActorId tokens = w.simulator.find_actor(Cluster::kTokensController);
  w.faults().start(mf::CrashSpec{.actor = "tokens-controller", .restart_after = sim::Duration::hours(1)}, "down");
  w.run_for(sim::Duration::seconds(1));
  CHECK_FALSE(w.simulator.is_up(tokens));
  CHECK(w.faults().heal("down"));
  CHECK_FALSE(w.faults().heal("down"));  // nothing left to heal: not an error
  w.run_for(sim::Duration::milliseconds(1));
  CHECK(w.simulator.is_up(tokens));
  // A crash of an actor already down, and of one that does not exist, are harmless.
  w.faults().start(mf::CrashSpec{.actor = "tokens-controller"});
  w.faults().start(mf::CrashSpec{.actor = "tokens-controller"});
  w.faults().start(mf::CrashSpec{.actor = "no-such-actor"});
  w.faults().start(mf::PartitionSpec{.actor = "admission"});
  w.faults().heal_all();
  w.settle();
  CHECK(w.simulator.is_up(tokens));
  CHECK(w.noted("fault ignored (no such actor, or not one it can strike): crash no-such-actor"));
  CHECK(w.noted("fault ignored (no such actor, or not one it can strike): partition admission"));
  // The apiserver's own caches still follow storage.
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  CHECK(w.cluster.apiserver().auth_cache(Kind::kServiceAccount).get("default", "robot") != nullptr);
}

TEST_CASE("crashAfter create secrets leaves an orphan token and 1.20 makes a second one") {
  World w;
  w.faults().start(mf::CrashAfterSpec{.actor = "tokens-controller", .verb = Verb::kCreate, .resource = Kind::kSecret});
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.run_for(sim::Duration::seconds(1));
  // The Secret was created, the process died before referencing it.
  REQUIRE(w.tokens_of("robot").size() == 1);
  CHECK(w.account("robot")->secrets.empty());
  CHECK_FALSE(w.simulator.is_up(w.simulator.find_actor(Cluster::kTokensController)));
  w.settle();
  // After the restart T3 finds no referenced token and creates another one;
  // nothing ever deletes the first: a valid token of a live account that
  // no one references (behaviour reference §2.4, #113532's orphans).
  const std::vector<std::string> tokens = w.tokens_of("robot");
  REQUIRE(tokens.size() == 2);
  REQUIRE(w.account("robot")->secrets.size() == 1);
  CHECK(w.referenced_token("robot"));
}

TEST_CASE("partition: events are lost and on heal the controller re-lists") {
  World w;
  w.faults().start(mf::PartitionSpec{.actor = "tokens-controller"}, "cut");
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.run_for(sim::Duration::minutes(2));
  CHECK(w.tokens_of("robot").empty());
  w.faults().heal("cut");
  w.settle();
  CHECK(w.referenced_token("robot"));
  CHECK(w.tokens_of("robot").size() == 1);
}

TEST_CASE("partition: a partitioned informer cannot re-list until the partition heals") {
  World w;
  w.faults().start(mf::PartitionSpec{.actor = "tokens-controller"});
  // The restart closes every watch; the controller's re-list requests
  // are lost and time out, again and again.
  w.faults().start(mf::ApiserverRestartSpec{});
  w.run_for(sim::Duration::seconds(30));
  const client::Informer* informer = w.cluster.tokens_controller().informer(Kind::kServiceAccount);
  CHECK(informer->watch_id() == 0);  // closed and not re-opened: the re-list cannot reach the apiserver
  w.faults().heal_all();
  w.settle();
  CHECK(informer->watch_id() != 0);
}

// The pods' processes reach the apiserver over their node's network: while
// the kubelet is partitioned, their token reviews get no answer and fail
// when the connection's health check gives up (45 s); afterwards they
// authenticate again.
TEST_CASE("partition: a partitioned kubelet's pods cannot authenticate until it heals") {
  Harness w(1);  // real tokens, which authenticate
  w.settle();
  REQUIRE(w.create(testing::pod("default", "app")).ok());
  w.run_for(sim::Duration::seconds(30));
  const auto& log = w.cluster.kubelet().auth_log();
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().authenticated);
  w.cluster.fault_controller().start(mf::PartitionSpec{"kubelet"}, "cut", sim::Duration::minutes(2));
  const std::size_t before = log.size();
  w.run_for(sim::Duration::minutes(2));
  REQUIRE(log.size() > before);
  for (std::size_t i = before; i < log.size(); ++i) {
    INFO(log[i].error);
    CHECK_FALSE(log[i].authenticated);
    CHECK(log[i].error.find("client connection lost") != std::string::npos);
  }
  w.run_for(sim::Duration::minutes(2));
  CHECK(log.back().authenticated);
}

TEST_CASE("partition over an account's deletion: the tombstone is ignored (S4) and the Secret re-list cleans up (T6)") {
  World w;
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  REQUIRE(w.tokens_of("robot").size() == 1);
  w.faults().start(mf::PartitionSpec{.actor = "tokens-controller"});
  REQUIRE(w.remove(Kind::kServiceAccount, "default", "robot").ok());
  w.run_for(sim::Duration::seconds(5));
  w.faults().heal_all();
  w.settle();
  CHECK(w.account("robot") == nullptr);
  CHECK(w.has_weakness(mf::kTombstoneIgnored, "robot"));
  // The re-list of Secrets delivers every token Secret again; T6 finds its
  // account gone (live GET) and deletes it. Only a lost event, with no
  // re-list at all, leaves the token behind (next test).
  CHECK(w.tokens_of("robot").empty());
}

TEST_CASE("dropEvents over an account's deletion: its token stays until a re-list") {
  World w;
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  w.faults().start(mf::DropEventsSpec{.actor = "tokens-controller", .resources = {Kind::kServiceAccount}, .count = 1});
  REQUIRE(w.remove(Kind::kServiceAccount, "default", "robot").ok());
  w.settle();
  CHECK(w.tokens_of("robot").size() == 1);
  CHECK(w.has_weakness(mf::kWatchEventLost, "robot"));
}

TEST_CASE("a deleted account without a partition takes its token with it") {
  World w;
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  REQUIRE(w.remove(Kind::kServiceAccount, "default", "robot").ok());
  w.settle();
  CHECK(w.tokens_of("robot").empty());
  CHECK(w.cluster.weaknesses().records().empty());
}

TEST_CASE("delay: every request of the actor takes the extra time") {
  auto time_to_token = [](bool delayed) {
    World w;
    if (delayed) {
      w.faults().start(mf::DelaySpec{.actor = "tokens-controller",
                                     .extra = sim::DurationDistribution::constant(sim::Duration::seconds(5))});
    }
    const sim::Time start = w.simulator.now();
    REQUIRE(w.create(testing::service_account("default", "robot")).ok());
    w.simulator.run({.until = start + sim::Duration::minutes(1), .stop_when = [&] { return w.referenced_token("robot"); }});
    REQUIRE(w.referenced_token("robot"));
    return w.simulator.now() - start;
  };
  CHECK(time_to_token(false) < sim::Duration::seconds(1));
  // GET the account, CREATE the Secret, UPDATE the account: three requests.
  CHECK(time_to_token(true) >= sim::Duration::seconds(15));
}

TEST_CASE("errors before commit: the controller retries and makes one token") {
  World w;
  w.faults().start(mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate}, .resources = {Kind::kSecret},
                                  .count = 3, .code = 500});
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  CHECK(w.tokens_of("robot").size() == 1);
  CHECK(w.referenced_token("robot"));
}

// client-go's REST client answers a 429, or a 5xx with Retry-After, by
// sleeping Retry-After seconds and sending the request again (up to 10
// times) before its caller sees anything: the controller's one CREATE takes
// three extra seconds instead of three requeues of a few milliseconds.
TEST_CASE("errors with Retry-After are retried inside the controller's client as client-go does") {
  for (int code : {503, 429}) {
    INFO(code);
    World w;
    w.faults().start(mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate},
                                    .resources = {Kind::kSecret}, .count = 3, .code = code});
    const std::uint64_t sent_before = w.cluster.tokens_controller().requests_sent();
    const sim::Time start = w.simulator.now();
    REQUIRE(w.create(testing::service_account("default", "robot")).ok());
    w.simulator.run({.until = start + sim::Duration::minutes(1), .stop_when = [&] { return w.referenced_token("robot"); }});
    REQUIRE(w.referenced_token("robot"));
    CHECK(w.simulator.now() - start >= sim::Duration::seconds(3));
    CHECK(w.simulator.now() - start < sim::Duration::seconds(4));
    // GET the account, CREATE four times, UPDATE the account: the sync ran once.
    CHECK(w.cluster.tokens_controller().requests_sent() - sent_before == 6);
    CHECK(w.tokens_of("robot").size() == 1);
  }
}

TEST_CASE("a 500 without Retry-After is not retried by the client") {
  World w;
  w.faults().start(mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate}, .resources = {Kind::kSecret},
                                  .count = 1, .code = 500});
  const sim::Time start = w.simulator.now();
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.simulator.run({.until = start + sim::Duration::minutes(1), .stop_when = [&] { return w.referenced_token("robot"); }});
  REQUIRE(w.referenced_token("robot"));
  // The controller's own requeue (5 ms) brings it, well before a second.
  CHECK(w.simulator.now() - start < sim::Duration::seconds(1));
}

// More Retry-After answers than client-go's 10 retries: the caller gets the
// eleventh answer, the error.
TEST_CASE("the client gives up after 10 retries and returns the error") {
  World w;
  w.faults().start(mf::ErrorsSpec{.actor = "apiserver", .verbs = {Verb::kCreate}, .resources = {Kind::kServiceAccount},
                                  .count = 11, .code = 503});
  auto request = Harness::request(Verb::kCreate, Kind::kServiceAccount, "default", "robot");
  request->body = std::make_shared<const Object>(testing::service_account("default", "robot"));
  std::optional<ApiResponse> response;
  w.cluster.submit(std::move(request), [&](ApiResponse r) { response = std::move(r); }, 10);
  w.simulator.run({.stop_when = [&] { return response.has_value(); }});
  REQUIRE(response.has_value());
  REQUIRE_FALSE(response->ok());
  CHECK(response->error->code == 503);
  CHECK(response->retries == 10);
}

TEST_CASE("errors after commit leave the client unsure: the controller makes a second token") {
  World w;
  w.faults().start(mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate}, .resources = {Kind::kSecret},
                                  .count = 1, .code = 500, .after_commit = true});
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  // The first create was committed though the controller saw a 500: it
  // retried with a new name, and the first token is an orphan.
  CHECK(w.tokens_of("robot").size() == 2);
  CHECK(w.account("robot")->secrets.size() == 1);
}

TEST_CASE("errors after commit are still observed by the apiserver's observers") {
  struct Counter : ApiServerObserver {
    int commits = 0;
    void on_commit(const StoreChange&, sim::Time) override { ++commits; }
  } counter;
  World w;
  w.cluster.apiserver().add_observer(&counter);
  w.faults().start(mf::ErrorsSpec{.actor = "apiserver", .count = 1, .code = 409, .after_commit = true});
  ApiResponse response = w.create(testing::service_account("default", "robot"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error->code == 409);
  CHECK(w.account("robot") != nullptr);
  CHECK(counter.commits >= 1);
}

TEST_CASE("errors on every create for longer than the retries: the key is dropped (S6)") {
  World w;
  w.faults().start(mf::ErrorsSpec{.actor = "tokens-controller", .verbs = {Verb::kCreate}, .resources = {Kind::kSecret},
                                  .code = 500},
                   "", sim::Duration::seconds(30));
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.run_for(sim::Duration::seconds(40));  // healed by `for` after 30 s
  w.settle();
  CHECK(w.tokens_of("robot").empty());
  CHECK_FALSE(w.referenced_token("robot"));
  CHECK(w.has_weakness(mf::kRetriesExhausted, "robot"));
  CHECK(w.noted("dropping key out of the queue after 10 retries"));
}

TEST_CASE("stale cache: the controller retries on the resourceVersion mismatch and does not duplicate") {
  World w;
  w.faults().start(mf::StaleSpec{.actor = "tokens-controller", .lag = sim::Duration::seconds(2)});
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  REQUIRE(w.patch(Kind::kServiceAccount, "default", "robot", {{"metadata", {{"labels", {{"a", "b"}}}}}}).ok());
  w.settle();
  CHECK(w.noted("does not match cache"));
  CHECK(w.tokens_of("robot").size() == 1);
  CHECK(w.referenced_token("robot"));
}

TEST_CASE("dropEvents: the lost account is unobserved until a re-list") {
  World w;
  w.faults().start(mf::DropEventsSpec{.actor = "tokens-controller", .resources = {Kind::kServiceAccount}, .count = 1});
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  CHECK(w.tokens_of("robot").empty());  // no resync in 1.20: it waits
  CHECK(w.has_weakness(mf::kWatchEventLost, "robot"));
  w.faults().start(mf::ApiserverRestartSpec{});
  w.settle();
  CHECK(w.referenced_token("robot"));
}

TEST_CASE("apiserverRestart: every watch breaks and clients re-list") {
  World w;
  const std::uint64_t before = w.cluster.tokens_controller().informer(Kind::kServiceAccount)->watch_id();
  w.faults().start(mf::ApiserverRestartSpec{});
  w.settle();
  const std::uint64_t after = w.cluster.tokens_controller().informer(Kind::kServiceAccount)->watch_id();
  CHECK(after != 0);
  CHECK(after != before);
  CHECK(w.noted("apiserver restarted"));
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  CHECK(w.referenced_token("robot"));
}

TEST_CASE("apiserver crash: a request sent while it is down is refused at once") {
  World w;
  w.faults().start(mf::CrashSpec{.actor = "apiserver", .restart_after = sim::Duration::minutes(2)});
  w.run_for(sim::Duration::milliseconds(1));
  const sim::Time sent = w.simulator.now();
  ApiResponse response = w.create(testing::service_account("default", "robot"));
  REQUIRE_FALSE(response.ok());
  // Go's transport error for a dead server, not a timeout: no process
  // listens, so the connection is refused without waiting.
  CHECK(response.error->code == 503);
  CHECK(response.error->message.find("connection refused") != std::string::npos);
  CHECK(w.simulator.now() == sent);
  w.faults().heal_all();
  w.run_for(sim::Duration::milliseconds(1));  // the restart is an event of its own
  REQUIRE(w.create(testing::service_account("default", "robot")).ok());
  w.settle();
  CHECK(w.referenced_token("robot"));
}

TEST_CASE("faults repeat with the seed") {
  auto digest = [](std::uint64_t seed) {
    World w(seed);
    w.faults().start(mf::ErrorsSpec{.actor = "apiserver", .rate = sim::Ratio{1, 2}, .code = 500});
    w.faults().start(mf::DelaySpec{.actor = "tokens-controller",
                                   .extra = sim::DurationDistribution::lognormal(sim::Duration::milliseconds(10),
                                                                                 sim::Duration::milliseconds(100))
                                                .value()});
    for (int i = 0; i < 5; ++i) w.try_send([&] {
      auto r = Harness::request(Verb::kCreate, Kind::kServiceAccount, "default", "sa-" + std::to_string(i));
      r->body = std::make_shared<const Object>(testing::service_account("default", "sa-" + std::to_string(i)));
      return r;
    }());
    w.settle();
    return w.simulator.trace().digest();
  };
  CHECK(digest(5) == digest(5));
  CHECK(digest(5) != digest(6));
}

}  // namespace
}  // namespace sasim::model
