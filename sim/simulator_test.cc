#include "sim/simulator.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/duration_text.h"
#include "sim/link_faults.h"
#include "sim/testing/time_points.h"

namespace sasim::sim {
namespace {

using ::sasim::sim::testing::at_ms;
using ::sasim::sim::testing::ms;

class Text final : public Payload {
 public:
  explicit Text(std::string value) : text(std::move(value)) {}
  std::string describe() const override { return text; }
  std::string text;
};

// An actor whose handlers are supplied by the test, logging what it sees.
struct Script {
  std::function<void(Context&)> start{};
  std::function<void(Context&, Message&)> message{};
  std::function<void(Context&, TimerId, std::uint64_t)> timer{};
  std::function<void(Context&)> restart{};
};

class ScriptedActor final : public Actor {
 public:
  ScriptedActor(std::vector<std::string>& log, Script script) : log_(log), script_(std::move(script)) {}
  void on_start(Context& ctx) override {
    log_.push_back(format_time(ctx.now()) + " start");
    if (script_.start) script_.start(ctx);
  }
  void on_message(Context& ctx, Message& message) override {
    const std::string body = message.payload ? message.payload->describe() : "tag " + std::to_string(message.tag);
    log_.push_back(format_time(ctx.now()) + " message " + body);
    if (script_.message) script_.message(ctx, message);
  }
  void on_timer(Context& ctx, TimerId timer, std::uint64_t tag) override {
    log_.push_back(format_time(ctx.now()) + " timer " + std::to_string(tag));
    if (script_.timer) script_.timer(ctx, timer, tag);
  }
  void on_crash() override {
    log_.push_back("crash");
    volatile_state = 0;
  }
  void on_restart(Context& ctx) override {
    log_.push_back(format_time(ctx.now()) + " restart");
    if (script_.restart) script_.restart(ctx);
  }
  int volatile_state = 0;

 private:
  std::vector<std::string>& log_;
  Script script_;
};

ActorId add(Simulator& sim, const std::string& name, std::vector<std::string>& log, Script script = {}) {
  return sim.add_actor(name, std::make_unique<ScriptedActor>(log, std::move(script)));
}

TEST_CASE("actors start when added and in registration order", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  add(sim, "a", log, {.start = [&](Context&) { log.push_back("a started"); }});
  add(sim, "b", log, {.start = [&](Context&) { log.push_back("b started"); }});
  sim.run({});
  CHECK(log == std::vector<std::string>{"0s start", "a started", "0s start", "b started"});
  CHECK(sim.find_actor("b").value == 1);
  CHECK_FALSE(sim.find_actor("c").valid());
  CHECK(sim.actor_name(ActorId{0}) == "a");
}

TEST_CASE("messages arrive after their delay and replies reach the sender", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> client_log, server_log;
  const ActorId server = add(sim, "server", server_log,
                             {.message = [](Context& ctx, Message& request) {
                               ctx.reply(request, ms(3), 2, std::make_unique<Text>("pong"));
                             }});
  add(sim, "client", client_log,
      {.start = [server](Context& ctx) { ctx.send(server, ms(2), 1, std::make_unique<Text>("ping")); }});
  const RunResult result = sim.run({});
  CHECK(result.reason == StopReason::kIdle);
  CHECK(server_log == std::vector<std::string>{"0s start", "2ms message ping"});
  CHECK(client_log == std::vector<std::string>{"0s start", "5ms message pong"});
  CHECK(sim.now() == at_ms(5));
  CHECK(result.events == 4);  // two starts, two messages
}

TEST_CASE("timers fire in order and can be cancelled", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  bool cancelled_ok = false, cancel_again = true;
  add(sim, "a", log, {.start = [&](Context& ctx) {
                        ctx.set_timer(ms(10), 1);
                        const TimerId doomed = ctx.set_timer(ms(5), 2);
                        ctx.set_timer(ms(10), 3);  // same instant as tag 1: fires after it
                        cancelled_ok = ctx.cancel_timer(doomed);
                        cancel_again = ctx.cancel_timer(doomed);
                      }});
  sim.run({});
  CHECK(cancelled_ok);
  CHECK_FALSE(cancel_again);
  CHECK(log == std::vector<std::string>{"0s start", "10ms timer 1", "10ms timer 3"});
}

TEST_CASE("on_timer receives the id set_timer returned", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  TimerId set{}, fired{};
  add(sim, "a", log,
      {.start = [&](Context& ctx) { set = ctx.set_timer(ms(1), 9); },
       .timer = [&](Context&, TimerId timer, std::uint64_t) { fired = timer; }});
  sim.run({});
  CHECK(fired.seq == set.seq);
  CHECK(fired.slot == set.slot);
}

TEST_CASE("a crash drops timers and messages in flight and restart starts afresh", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> victim_log, peer_log;
  const ActorId victim = add(sim, "victim", victim_log, {.start = [](Context& ctx) { ctx.set_timer(ms(50), 1); }});
  add(sim, "peer", peer_log,
      {.start =
           [victim](Context& ctx) {
             ctx.send(victim, ms(20), 7);   // in flight at the crash: lost with the connection
             ctx.send(victim, ms(200), 9);  // also in flight at the crash, though due after the restart
             ctx.set_timer(ms(150), 0);
           },
       .timer = [victim](Context& ctx, TimerId, std::uint64_t) { ctx.send(victim, ms(50), 8); }});
  sim.crash_at(at_ms(10), victim, ms(100));
  sim.run({});
  CHECK(victim_log == std::vector<std::string>{"0s start", "crash", "110ms restart", "200ms message tag 8"});
  CHECK(sim.is_up(victim));
  CHECK(sim.incarnation(victim) == 2);
  CHECK(sim.quiescent());
}

TEST_CASE("messages to a down actor are dropped and traced", "[simulator]") {
  Simulator sim(1);
  sim.trace().set_recording(true);
  std::vector<std::string> log;
  const ActorId victim = add(sim, "victim", log);
  sim.crash_at(at_ms(1), victim);
  sim.call_at(at_ms(2), "send", [victim](Simulator& s) { s.send(victim, ms(1), 5); });
  sim.run({});
  CHECK(log == std::vector<std::string>{"0s start", "crash"});
  CHECK_FALSE(sim.is_up(victim));
  const auto& entries = sim.trace().entries();
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.back().kind == TraceKind::kDrop);
  CHECK(entries.back().text == "receiver down: tag 5");
  CHECK(entries.back().time == at_ms(3));
}

TEST_CASE("a reply to a dead incarnation is dropped while new requests are served", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> client_log, server_log;
  const ActorId server = add(sim, "server", server_log,
                             {.message = [](Context& ctx, Message& request) {
                               ctx.reply(request, ms(50), request.tag);  // slow reply
                             }});
  const ActorId client = add(sim, "client", client_log,
                             {.start = [server](Context& ctx) { ctx.send(server, ms(1), 1); },
                              .restart = [server](Context& ctx) { ctx.send(server, ms(1), 2); }});
  sim.crash_at(at_ms(10), client, ms(5));  // dies while request 1 is being answered
  sim.run({});
  CHECK(client_log == std::vector<std::string>{"0s start", "crash", "15ms restart", "66ms message tag 2"});
  CHECK(server_log == std::vector<std::string>{"0s start", "1ms message tag 1", "16ms message tag 2"});
}

TEST_CASE("crashing a down actor and restarting an up one change nothing", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  const ActorId a = add(sim, "a", log);
  sim.restart_at(at_ms(1), a);
  sim.crash_at(at_ms(2), a);
  sim.crash_at(at_ms(3), a);
  sim.restart_at(at_ms(4), a);
  sim.run({});
  CHECK(log == std::vector<std::string>{"0s start", "crash", "4ms restart"});
  CHECK(sim.incarnation(a) == 2);
}

TEST_CASE("an early restart cancels the one its crash scheduled", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  const ActorId a = add(sim, "a", log);
  sim.crash_at(at_ms(10), a, ms(100));  // would come back at 110ms
  sim.restart_at(at_ms(20), a);         // healed early
  sim.run({.until = at_ms(30)});
  // Nothing is left to do: the 110ms restart no longer holds quiescence.
  CHECK(sim.quiescent());
  // A second crash is not cut short by the first one's restart.
  sim.crash_at(at_ms(50), a, ms(200));
  sim.run({});
  CHECK(log == std::vector<std::string>{"0s start", "crash", "20ms restart", "crash", "250ms restart"});
}

TEST_CASE("crash() calls on_crash so volatile state is dropped", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  auto owned = std::make_unique<ScriptedActor>(log, Script{});
  ScriptedActor* actor = owned.get();
  const ActorId id = sim.add_actor("a", std::move(owned));
  actor->volatile_state = 42;
  sim.crash_at(at_ms(1), id);
  sim.run({});
  CHECK(actor->volatile_state == 0);
}

TEST_CASE("run stops at a time limit and moves the clock there", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  add(sim, "a", log, {.start = [](Context& ctx) { ctx.set_timer(ms(100), 1); }});
  RunResult result = sim.run_until(at_ms(40));
  CHECK(result.reason == StopReason::kTimeLimit);
  CHECK(sim.now() == at_ms(40));
  result = sim.run_for(ms(60));  // the timer at exactly 100ms is included
  CHECK(result.reason == StopReason::kTimeLimit);
  CHECK(log.back() == "100ms timer 1");
  CHECK(sim.now() == at_ms(100));
  result = sim.run_for(ms(5));  // nothing left: time still passes
  CHECK(sim.now() == at_ms(105));
  CHECK(result.events == 0);
}

TEST_CASE("run stops at an event limit or a condition", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  int ticks = 0;
  add(sim, "ticker", log,
      {.start = [](Context& ctx) { ctx.set_timer(ms(1), 0); },
       .timer = [&ticks](Context& ctx, TimerId, std::uint64_t) {
         ++ticks;
         ctx.set_timer(ms(1), 0);
       }});
  RunResult result = sim.run({.max_events = 10});
  CHECK(result.reason == StopReason::kEventLimit);
  CHECK(result.events == 10);
  CHECK(ticks == 9);  // the first event was the start
  result = sim.run({.stop_when = [&ticks] { return ticks >= 20; }});
  CHECK(result.reason == StopReason::kCondition);
  CHECK(ticks == 20);
  result = sim.run({.stop_when = [] { return true; }});  // already holds: no event runs
  CHECK(result.events == 0);
  CHECK(result.reason == StopReason::kCondition);
}

TEST_CASE("quiescence: only periodic work remains", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  int resyncs = 0;
  add(sim, "controller", log,
      {.start =
           [](Context& ctx) {
             ctx.set_timer(Duration::minutes(1), 1, Urgency::kPeriodic);  // resync loop
             ctx.set_timer(ms(30), 2);                                    // real work
           },
       .timer = [&resyncs](Context& ctx, TimerId, std::uint64_t tag) {
         if (tag == 1) {
           ++resyncs;
           ctx.set_timer(Duration::minutes(1), 1, Urgency::kPeriodic);
         }
       }});
  CHECK_FALSE(sim.quiescent());  // the start itself is work
  RunResult result = sim.run({.until_quiescent = true});
  CHECK(result.reason == StopReason::kQuiescent);
  CHECK(sim.now() == at_ms(30));
  CHECK(sim.pending_events() == 1);
  CHECK(sim.pending_work() == 0);
  result = sim.run_until(Time::from_start(Duration::minutes(3)));
  CHECK(resyncs == 3);
  CHECK(sim.quiescent());
}

TEST_CASE("a crash cancels the actor's pending work for quiescence too", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  const ActorId a = add(sim, "a", log, {.start = [](Context& ctx) { ctx.set_timer(Duration::hours(1), 1); }});
  sim.crash_at(at_ms(1), a);
  const RunResult result = sim.run({.until_quiescent = true});
  CHECK(result.reason == StopReason::kQuiescent);
  CHECK(sim.now() == at_ms(1));
  CHECK(sim.pending_events() == 0);
}

TEST_CASE("scheduled calls run in order and can be cancelled", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> order;
  sim.call_at(at_ms(5), "second", [&](Simulator& s) { order.push_back("second at " + format_time(s.now())); });
  sim.call_at(at_ms(1), "first", [&](Simulator&) { order.push_back("first"); });
  const EventHandle doomed = sim.call_at(at_ms(3), "never", [&](Simulator&) { order.push_back("never"); });
  CHECK(sim.cancel(doomed));
  CHECK(sim.pending_work() == 2);
  sim.run({});
  CHECK(order == std::vector<std::string>{"first", "second at 5ms"});
}

TEST_CASE("the observer sees every dispatched event", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  std::vector<TraceKind> seen;
  sim.set_observer([&seen](const EventView& view) { seen.push_back(view.kind); });
  const ActorId a = add(sim, "a", log, {.start = [](Context& ctx) { ctx.set_timer(ms(1), 1); }});
  sim.send(a, ms(2), 3);
  sim.run({});
  CHECK(seen == std::vector<TraceKind>{TraceKind::kStart, TraceKind::kTimer, TraceKind::kMessage});
  CHECK(sim.events_dispatched() == 3);
}

TEST_CASE("the link policy can drop and delay messages", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> a_log, b_log;
  LinkFaults faults(sim.fork_prng());
  sim.set_link_policy(&faults);
  const ActorId a = add(sim, "a", a_log);
  const ActorId b = add(sim, "b", b_log);
  faults.isolate(b);
  sim.send(b, ms(1), 1);  // partitioned: dropped at once
  faults.slow(a, DurationDistribution::constant(ms(10)));
  sim.send(a, ms(1), 2);  // 1ms + 10ms extra
  sim.run({});
  CHECK(b_log == std::vector<std::string>{"0s start"});
  CHECK(a_log == std::vector<std::string>{"0s start", "11ms message tag 2"});
  faults.heal_all();
  sim.send(b, ms(1), 3);
  sim.run({});
  CHECK(b_log.back() == "12ms message tag 3");
  sim.set_link_policy(nullptr);
}

// Faults that target some requests only (one verb, one resource) need to see
// what is being sent, not just where.
class DropByPayload final : public LinkPolicy {
 public:
  LinkVerdict on_send(const SendInfo& send) override {
    seen.push_back(send.tag);
    if (send.payload != nullptr && send.payload->describe() == "secret") return LinkVerdict::drop();
    return LinkVerdict{true, send.tag == 2 ? ms(5) : Duration::zero()};
  }
  std::vector<std::uint64_t> seen;
};

TEST_CASE("a link policy sees each message's tag and payload", "[simulator]") {
  Simulator sim(1);
  std::vector<std::string> log;
  DropByPayload policy;
  sim.set_link_policy(&policy);
  const ActorId a = add(sim, "a", log);
  sim.send(a, ms(1), 1, std::make_unique<Text>("secret"));
  sim.send(a, ms(1), 2, std::make_unique<Text>("public"));
  sim.send(a, ms(1), 3);
  sim.run({});
  CHECK(policy.seen == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(log == std::vector<std::string>{"0s start", "1ms message tag 3", "6ms message public"});
  sim.set_link_policy(nullptr);
}

// A sender learns whether its message left (for bookkeeping such as "not
// before the previous delivery" of a stream), never more.
TEST_CASE("send says whether the link policy dropped the message", "[simulator]") {
  class Sender final : public Actor {
   public:
    explicit Sender(ActorId to) : to_(to) {}
    void on_start(Context& ctx) override {
      sent.push_back(ctx.send(to_, ms(1), 1));
      sent.push_back(ctx.send(to_, ms(1), 2, std::make_unique<Text>("secret")));
    }
    std::vector<bool> sent;

   private:
    ActorId to_;
  };
  Simulator sim(1);
  std::vector<std::string> log;
  DropByPayload policy;
  sim.set_link_policy(&policy);
  const ActorId a = add(sim, "a", log);
  auto owned = std::make_unique<Sender>(a);
  Sender& sender = *owned;
  sim.add_actor("sender", std::move(owned));
  sim.run({});
  CHECK(sender.sent == std::vector<bool>{true, false});
  CHECK(log == std::vector<std::string>{"0s start", "1ms message tag 1"});
  sim.set_link_policy(nullptr);
}

TEST_CASE("notes from actors and the harness enter the trace and the digest", "[simulator]") {
  auto run = [](std::string_view text) {
    Simulator sim(1);
    sim.trace().set_recording(true);
    std::vector<std::string> log;
    add(sim, "a", log, {.start = [text](Context& ctx) { ctx.note("test", text); }});
    sim.run({});
    sim.note("test", "harness says hi");
    return std::make_pair(sim.trace().digest(), sim.trace().entries());
  };
  const auto [digest, entries] = run("hello");
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].kind == TraceKind::kNote);
  CHECK(entries[1].text == "hello");
  CHECK(entries[1].actor.value == 0);
  CHECK_FALSE(entries[2].actor.valid());
  CHECK(run("hello").first == digest);
  CHECK(run("goodbye").first != digest);
}

TEST_CASE("each actor draws from its own forked stream", "[simulator]") {
  // Adding randomness to one actor must not shift another's draws.
  auto first_draw_of_b = [](bool a_draws) {
    Simulator sim(99);
    std::vector<std::string> log;
    std::uint64_t b_value = 0;
    add(sim, "a", log, {.start = [a_draws](Context& ctx) {
                          if (a_draws) (void)ctx.prng().next_u64();
                        }});
    add(sim, "b", log, {.start = [&b_value](Context& ctx) { b_value = ctx.prng().next_u64(); }});
    sim.run({});
    return b_value;
  };
  CHECK(first_draw_of_b(false) == first_draw_of_b(true));
  CHECK(first_draw_of_b(false) != 0);
}

}  // namespace
}  // namespace sasim::sim
