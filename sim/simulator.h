// Simulator: the deterministic event loop.
//
// One Simulator is one world: its own clock, event queue, actors, random
// streams and trace, with no global state, so a process can run many seeds
// one after another (or many worlds side by side). Everything that happens is
// an event popped in (time, sequence) order; handlers schedule further events.
// Given the same seed and the same calls, two Simulators produce the same
// trace digest.
//
// The harness (scenario runner, fault injector, tests) drives it from
// outside: it adds actors, sends messages, schedules callbacks, crashes and
// restarts, and runs until a time, an event count, a condition, or
// quiescence (no pending kWork events).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/actor.h"
#include "sim/event_queue.h"
#include "sim/ids.h"
#include "sim/link_policy.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace sasim::sim {

// What an observer learns about each dispatched event.
struct EventView {
  Time time;
  std::uint64_t seq = 0;
  ActorId actor;
  TraceKind kind = TraceKind::kNote;
  std::uint64_t tag = 0;
  std::uint64_t cause = 0;  // seq of the event that scheduled this one; 0: scheduled from outside
};

enum class StopReason : std::uint8_t {
  kIdle,        // nothing left to do and no time limit
  kTimeLimit,   // the next event lies after `until`; the clock now reads `until`
  kEventLimit,  // max_events events ran
  kQuiescent,   // only kPeriodic events remain
  kCondition,   // stop_when() returned true
};
std::string_view stop_reason_name(StopReason reason);

struct RunLimits {
  Time until = Time::never();
  std::uint64_t max_events = UINT64_MAX;
  bool until_quiescent = false;
  std::function<bool()> stop_when{};  // checked before the first event and after each one
};

struct RunResult {
  StopReason reason;
  std::uint64_t events = 0;  // dispatched during this run
};

class Simulator {
 public:
  explicit Simulator(std::uint64_t seed);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  std::uint64_t seed() const { return seed_; }
  Time now() const { return now_; }

  // ---- Actors ----------------------------------------------------------
  // Registers an actor and schedules its on_start at now(). Names are
  // unique. Each actor's Prng is forked from the root in registration order.
  ActorId add_actor(std::string name, std::unique_ptr<Actor> actor);
  ActorId find_actor(std::string_view name) const;  // ActorId::none() if absent
  const std::string& actor_name(ActorId id) const;
  std::size_t actor_count() const { return actors_.size(); }
  bool is_up(ActorId id) const;
  std::uint32_t incarnation(ActorId id) const;  // 1 at start, +1 at each crash
  Actor& actor(ActorId id);
  Prng& actor_prng(ActorId id);

  // A random stream for a component that is not an actor (a link policy, a
  // workload generator), forked from the root in call order.
  Prng fork_prng();

  // ---- Injection from outside -----------------------------------------
  // A message from the harness (from = ActorId::none()).
  void send(ActorId to, Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload = nullptr,
            WaitCategory category = {});
  // Runs fn at `at` as an event of its own; `label` names it in the trace.
  EventHandle call_at(Time at, std::string label, std::function<void(Simulator&)> fn,
                      Urgency urgency = Urgency::kWork, WaitCategory category = {});
  bool cancel(EventHandle handle);
  // Crashes the actor at `at` (a no-op if it is down then); with
  // restart_after it comes back that long after the crash.
  void crash_at(Time at, ActorId id, std::optional<Duration> restart_after = std::nullopt);
  // Restarts a down actor at `at` (a no-op if it is up then).
  void restart_at(Time at, ActorId id);
  // A trace note from the harness (`kind` as in Context::note).
  void note(std::string_view kind, std::string_view text);

  // ---- Hooks -------------------------------------------------------------
  // Consulted on every send; nullptr (the default) delivers everything as sent.
  // Not owned: it must outlive the Simulator or be reset first.
  void set_link_policy(LinkPolicy* policy) { link_policy_ = policy; }
  // Called after every dispatched event; for always-invariants and progress.
  void set_observer(std::function<void(const EventView&)> observer) { observer_ = std::move(observer); }

  // ---- Running -----------------------------------------------------------
  // Dispatches the next event; false if there is none. Neither step() nor
  // run() may be called from inside an event (a handler or a scheduled call).
  bool step();
  RunResult run(const RunLimits& limits);
  RunResult run_until(Time until) { return run(RunLimits{.until = until}); }
  RunResult run_for(Duration span) { return run_until(now_ + span); }

  // True when no kWork event is pending: only periodic work remains.
  bool quiescent() const { return pending_work_ == 0; }
  std::size_t pending_events() const { return queue_.size(); }
  std::size_t pending_work() const { return pending_work_; }
  std::uint64_t events_dispatched() const { return events_dispatched_; }
  std::uint64_t current_seq() const { return current_seq_; }

  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  // How often the actors took each marked path (sim/coverage.h).
  Coverage& coverage() { return coverage_; }
  const Coverage& coverage() const { return coverage_; }

 private:
  friend class Context;

  enum class EventType : std::uint8_t { kStart, kMessage, kTimer, kCall, kCrash, kRestart };

  struct Event {
    EventType type = EventType::kMessage;
    Urgency urgency = Urgency::kWork;
    std::uint16_t category = 0;  // index into categories_ (0: none); fits the padding, so events stay 48 bytes
    ActorId target{};
    ActorId from{};
    std::uint32_t from_incarnation = 0;
    std::uint32_t to_incarnation = 0;  // 0: whichever incarnation is up on arrival
    // kCrash: the restart delay in ns as int64 (-1: stay down); the tag is
    // otherwise unused there, which leaves the word for `cause`.
    std::uint64_t tag = 0;
    std::uint64_t cause = 0;             // filled by schedule(): the seq being dispatched, 0 outside
    std::unique_ptr<Payload> payload{};  // kMessage; kCall holds its callback here
  };

  struct ActorSlot {
    std::string name;
    std::unique_ptr<Actor> actor;
    Prng prng;
    bool up = true;
    std::uint32_t incarnation = 1;
    // The restart a crash with a restart delay scheduled. Whichever restart
    // brings the actor back first cancels it: left in the queue it would be
    // pending work that holds quiescence (a settle) until it fires, and it
    // would cut short a later crash of the same actor.
    EventHandle scheduled_restart{};
  };

  ActorSlot& slot(ActorId id);
  const ActorSlot& slot(ActorId id) const;
  std::string sender_name(ActorId from) const;  // for traces; the harness has no actor
  EventHandle schedule(Time at, Event&& event);
  bool post_message(ActorId from, std::uint32_t from_incarnation, ActorId to, std::uint32_t to_incarnation,
                    Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload, WaitCategory category,
                    Urgency urgency = Urgency::kWork);
  TimerId set_timer(ActorId owner, Duration after, std::uint64_t tag, Urgency urgency, WaitCategory category);
  bool cancel_timer(ActorId owner, TimerId timer);
  void dispatch(Time at, EventHandle handle, Event& event);
  void dispatch_by_type(EventHandle handle, Event& event);
  void deliver(std::uint64_t seq, Event& event);
  void crash_now(std::uint64_t seq, const Event& event);
  EventOrigin origin_of(const Event& event) const;
  std::uint16_t category_index(WaitCategory category);
  void finish_event(std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t tag, std::uint64_t cause);

  std::uint64_t seed_;
  Prng root_prng_;
  Time now_ = Time::zero();
  std::uint64_t current_seq_ = 0;  // of the event being dispatched; notes carry it
  bool dispatching_ = false;       // guards against running the loop from inside an event
  EventQueue<Event> queue_;
  std::size_t pending_work_ = 0;
  std::uint64_t events_dispatched_ = 0;
  std::vector<ActorSlot> actors_;                       // indexed by ActorId
  std::map<std::string, ActorId, std::less<>> names_;  // ordered: no hash-order dependence
  LinkPolicy* link_policy_ = nullptr;
  std::function<void(const EventView&)> observer_;
  Trace trace_;
  Coverage coverage_;
  // The wait categories seen so far, by the index events carry; [0] is none.
  // A handful in practice (one per call site label), so a linear search.
  std::vector<WaitCategory> categories_{WaitCategory{}};
};

}  // namespace sasim::sim
