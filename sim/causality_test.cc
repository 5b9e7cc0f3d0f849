// Causality: every event remembers the event during whose dispatch it was
// scheduled, messages their sender, and scheduled waits their category; none
// of it enters the digest.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "sim/co_actor.h"
#include "sim/simulator.h"
#include "sim/testing/time_points.h"

namespace sasim::sim {
namespace {

using ::sasim::sim::testing::ms;

struct Hooks {
  std::function<void(Context&)> start{};
  std::function<void(Context&, Message&)> message{};
  std::function<void(Context&, std::uint64_t)> timer{};
};

class Hooked final : public Actor {
 public:
  explicit Hooked(Hooks hooks) : hooks_(std::move(hooks)) {}
  void on_start(Context& ctx) override {
    if (hooks_.start) hooks_.start(ctx);
  }
  void on_message(Context& ctx, Message& message) override {
    if (hooks_.message) hooks_.message(ctx, message);
  }
  void on_timer(Context& ctx, TimerId /*timer*/, std::uint64_t tag) override {
    if (hooks_.timer) hooks_.timer(ctx, tag);
  }

 private:
  Hooks hooks_;
};

// client: at start waits 5 ms ("queue"), then asks server; server answers
// after 2 ms ("service") with a reply.
struct PingPong {
  Simulator sim{7};
  ActorId client;
  ActorId server;
  explicit PingPong(bool labelled) {
    const WaitCategory queue = labelled ? WaitCategory("queue") : WaitCategory();
    const WaitCategory service = labelled ? WaitCategory("service") : WaitCategory();
    server = sim.add_actor("server", std::make_unique<Hooked>(Hooks{
                                         .message = [service](Context& ctx, Message& m) {
                                           ctx.reply(m, ms(2), 2, nullptr, service);
                                         }}));
    client = sim.add_actor("client", std::make_unique<Hooked>(Hooks{
                                         .start = [queue](Context& ctx) { ctx.set_timer(ms(5), 9, Urgency::kWork, queue); },
                                         .timer = [this](Context& ctx, std::uint64_t) { ctx.send(server, ms(1), 1); },
                                     }));
  }
};

const TraceEntry& entry_of(const Simulator& sim, std::uint64_t seq) {
  for (const TraceEntry& e : sim.trace().entries()) {
    if (e.seq == seq && e.kind != TraceKind::kNote) return e;
  }
  FAIL("no entry with seq " << seq);
  throw;  // unreachable
}

TEST_CASE("causality: each event records the event that scheduled it") {
  PingPong world(true);
  world.sim.trace().set_recording(true);
  world.sim.run(RunLimits{});
  const auto& entries = world.sim.trace().entries();
  REQUIRE(entries.size() == 5);  // two starts, the timer, the request, the reply

  const TraceEntry& reply = entries.back();
  REQUIRE(reply.kind == TraceKind::kMessage);
  CHECK(reply.actor == world.client);
  CHECK(reply.origin.from == world.server);
  CHECK(reply.origin.reply);
  CHECK(reply.origin.category.name() == "service");

  const TraceEntry& request = entry_of(world.sim, reply.origin.cause);
  CHECK(request.actor == world.server);
  CHECK(request.origin.from == world.client);
  CHECK_FALSE(request.origin.reply);
  CHECK(request.origin.category.empty());

  const TraceEntry& timer = entry_of(world.sim, request.origin.cause);
  CHECK(timer.kind == TraceKind::kTimer);
  CHECK(timer.origin.category.name() == "queue");
  CHECK(timer.origin.from == ActorId::none());

  const TraceEntry& start = entry_of(world.sim, timer.origin.cause);
  CHECK(start.kind == TraceKind::kStart);
  CHECK(start.actor == world.client);
  CHECK(start.origin.cause == 0);  // added from outside any event
}

TEST_CASE("causality: the harness's sends and calls have no cause and observers see causes") {
  Simulator sim(1);
  const ActorId sink = sim.add_actor("sink", std::make_unique<Hooked>(Hooks{}));
  std::vector<EventView> seen;
  sim.set_observer([&](const EventView& view) { seen.push_back(view); });
  std::uint64_t seq_inside_call = 0;
  sim.call_at(Time::from_start(ms(1)), "outer", [&](Simulator& s) {
    seq_inside_call = s.current_seq();
    s.send(sink, ms(1), 3);  // sent from inside an event: caused by it
  });
  sim.run(RunLimits{});
  sim.send(sink, ms(1), 4);  // from outside any event
  sim.run(RunLimits{});
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].cause == 0);  // start
  CHECK(seen[1].cause == 0);  // the call
  CHECK(seq_inside_call == seen[1].seq);
  CHECK(seen[2].cause == seen[1].seq);
  CHECK(seen[3].cause == 0);
}

TEST_CASE("causality: sleeps carry their category into the trace") {
  class Sleeper final : public CoActor {
    void start() override { spawn(run()); }
    Task<void> run() {
      co_await sleep(ms(3), WaitCategory("nap"));
      co_await sleep(ms(4));
    }
  };
  Simulator sim(1);
  sim.trace().set_recording(true);
  sim.add_actor("sleeper", std::make_unique<Sleeper>());
  sim.run(RunLimits{});
  const auto& entries = sim.trace().entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].origin.category.name() == "nap");
  CHECK(entries[1].origin.cause == entries[0].seq);
  CHECK(entries[2].origin.category.empty());
  CHECK(entries[2].origin.cause == entries[1].seq);
}

TEST_CASE("causality: categories and causes stay out of the digest") {
  PingPong labelled(true);
  PingPong plain(false);
  labelled.sim.trace().set_recording(true);
  labelled.sim.run(RunLimits{});
  plain.sim.run(RunLimits{});
  CHECK(labelled.sim.trace().digest() == plain.sim.trace().digest());
  // ...while a change of what happens does change it.
  PingPong other(true);
  other.sim.send(other.client, ms(1), 1);
  other.sim.run(RunLimits{});
  CHECK(other.sim.trace().digest() != plain.sim.trace().digest());
}

}  // namespace
}  // namespace sasim::sim

namespace sasim::sim {
namespace {

constexpr char kLagText[] = "lag";

TEST_CASE("causality: wait categories compare by text") {
  const WaitCategory literal("lag");
  const WaitCategory array(kLagText);
  CHECK(literal == array);
  CHECK_FALSE(literal == WaitCategory("lags"));
  CHECK(WaitCategory().empty());
  CHECK(WaitCategory().name().empty());
  CHECK_FALSE(literal.empty());
}

}  // namespace
}  // namespace sasim::sim
