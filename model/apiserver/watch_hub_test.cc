#include "model/apiserver/watch_hub.h"

#include <catch2/catch.hpp>
#include <vector>

#include "sim/simulator.h"

namespace sasim::model {
namespace {

// Records the resourceVersions of the watch events it receives.
class Watcher final : public sim::Actor {
 public:
  explicit Watcher(std::vector<std::uint64_t>& seen) : seen_(seen) {}
  void on_message(sim::Context&, sim::Message& message) override {
    seen_.push_back(meta(*message.payload_as<WatchEvent>()->object).resource_version);
  }

 private:
  std::vector<std::uint64_t>& seen_;
};

// Commits a change every millisecond for a second, publishing each.
class Committer final : public sim::Actor {
 public:
  explicit Committer(WatchHub& hub) : hub_(hub), store_(sim::Prng(3)) {}
  void on_start(sim::Context& ctx) override { ctx.set_timer(sim::Duration::milliseconds(1), 0); }
  void on_timer(sim::Context& ctx, sim::TimerId, std::uint64_t) override {
    ServiceAccount sa;
    sa.metadata.namespace_ = "default";
    sa.metadata.name = "sa-" + std::to_string(store_.resource_version());
    StoreResult created = store_.create(Object(std::move(sa)), ctx.now());
    hub_.publish(ctx, StoreChange{WatchEventType::kAdded, created.value(), nullptr});
    if (store_.resource_version() < 1000) ctx.set_timer(sim::Duration::milliseconds(1), 0);
  }

 private:
  WatchHub& hub_;
  Store store_;
};

TEST_CASE("watch events arrive in commit order even with random latency") {
  WatchHub hub(sim::DurationDistribution::exponential(sim::Duration::milliseconds(5)).value());
  std::vector<std::uint64_t> fast, lagging;
  sim::Simulator simulator(9);
  const sim::ActorId a = simulator.add_actor("fast", std::make_unique<Watcher>(fast));
  const sim::ActorId b = simulator.add_actor("lagging", std::make_unique<Watcher>(lagging));
  hub.open(a, Kind::kServiceAccount, sim::Duration::zero());
  hub.open(b, Kind::kServiceAccount, sim::Duration::seconds(2));
  hub.open(b, Kind::kSecret, sim::Duration::zero());  // another kind: sees nothing
  simulator.add_actor("committer", std::make_unique<Committer>(hub));
  simulator.run({});
  REQUIRE(fast.size() == 1000);
  REQUIRE(lagging.size() == 1000);
  for (std::size_t i = 0; i < 1000; ++i) {
    CHECK(fast[i] == i + 1);
    CHECK(lagging[i] == i + 1);
  }
}

TEST_CASE("a late watch of a crashed incarnation does not replace the live one") {
  WatchHub hub(sim::DurationDistribution::constant(sim::Duration::milliseconds(1)));
  const sim::ActorId actor{3};
  const std::uint64_t live = hub.open(actor, Kind::kServiceAccount, sim::Duration::zero(), /*incarnation=*/2);
  CHECK(live != 0);
  // Incarnation 1's WATCH, sent before its crash, is served after
  // incarnation 2's: its connection is gone, so it takes no place.
  CHECK(hub.open(actor, Kind::kServiceAccount, sim::Duration::zero(), /*incarnation=*/1) == 0);
  CHECK(hub.size() == 1);
  // A newer incarnation's watch does replace it.
  const std::uint64_t newer = hub.open(actor, Kind::kServiceAccount, sim::Duration::zero(), /*incarnation=*/3);
  CHECK(newer != 0);
  CHECK(newer != live);
  CHECK(hub.size() == 1);
}

}  // namespace
}  // namespace sasim::model
