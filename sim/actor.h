// Actors and what they see of the world.
//
// An actor is a simulated process (the apiserver, a controller, a kubelet).
// It reacts to four things, each a handler below, and acts on the world only
// through its Context: send messages, set timers, draw from its own Prng,
// write trace notes. Handlers run one at a time, in (time, sequence) order,
// and take no simulated time; an actor that "works" for a while sets a
// timer for when the work is done.
//
// A crash drops whatever the actor keeps in memory: on_crash() must reset
// volatile state, and the simulator discards the actor's pending timers and
// the messages in flight to it. Messages it sent before dying still arrive,
// but replies addressed to the dead incarnation are dropped, as they would
// be on a closed connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/coverage.h"
#include "sim/event_queue.h"
#include "sim/ids.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"
#include "sim/wait_category.h"

namespace sasim::sim {

class Simulator;

// The body of a message. describe() gives the short text shown in traces; it
// is only called when the trace is being recorded.
class Payload {
 public:
  virtual ~Payload() = default;
  virtual std::string describe() const = 0;
  // The same as a name shared by every payload of its kind and the details
  // of this one (trace viewers group events by name). By default the whole
  // description is the name.
  virtual TraceLabel trace_label() const { return TraceLabel{describe()}; }
};

struct Message {
  ActorId from;  // ActorId::none() when the harness sent it
  ActorId to;
  std::uint64_t tag = 0;  // small integer meaning chosen by the actors
  std::uint32_t from_incarnation = 0;
  std::unique_ptr<Payload> payload;  // may be null

  template <class T>
  const T* payload_as() const {
    return dynamic_cast<const T*>(payload.get());
  }
  // Moves the payload out as a T, for a handler that keeps it beyond the
  // message (a coroutine answering later); null, and left in place, if it
  // is not a T.
  template <class T>
  std::unique_ptr<T> take_payload() {
    auto* typed = dynamic_cast<T*>(payload.get());
    if (typed == nullptr) return nullptr;
    payload.release();
    return std::unique_ptr<T>(typed);
  }
};

using TimerId = EventHandle;

// Whether pending work of this kind keeps the simulation busy. The scenario
// format's `settle` runs until only kPeriodic events remain (resyncs, kubelet
// sync loops): those recur forever and would otherwise never let it end.
enum class Urgency : std::uint8_t { kWork, kPeriodic };

class Context {
 public:
  Context(Simulator& simulator, ActorId self) : simulator_(simulator), self_(self) {}

  Time now() const;
  ActorId self() const { return self_; }
  // This actor's own random stream.
  Prng& prng();

  // Delivers a message to `to` after `delay` (the link policy may add delay
  // or drop it). Dropped on arrival if `to` is down then. `category` says, in
  // recorded traces, why the delay passes (see sim/wait_category.h).
  // Returns false if the link policy dropped it: no process could know
  // that, so it is for the simulation's own bookkeeping only (a stream's
  // "after the previous delivery" must not count a delivery that never
  // comes), never for behaviour.
  // `urgency`: whether the message in flight keeps the simulation busy
  // (kWork, the default) or is periodic work like a resync (a workload's
  // recurring presentation of its token).
  bool send(ActorId to, Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload = nullptr,
            WaitCategory category = {}, Urgency urgency = Urgency::kWork);
  // Like send, to the request's sender, but only to the incarnation that sent
  // it: a restarted process never receives replies meant for its predecessor.
  void reply(const Message& request, Duration delay, std::uint64_t tag,
             std::unique_ptr<Payload> payload = nullptr, WaitCategory category = {});
  // The same, for a request whose message is gone (answered later, from a
  // coroutine): the sender and its incarnation, as the message carried them.
  // Returns false if the link policy dropped it (as send: bookkeeping only).
  bool reply_to(ActorId to, std::uint32_t to_incarnation, Duration delay, std::uint64_t tag,
                std::unique_ptr<Payload> payload = nullptr, WaitCategory category = {},
                Urgency urgency = Urgency::kWork);

  // Calls on_timer(tag) after `after`, unless cancelled or the actor crashes first.
  TimerId set_timer(Duration after, std::uint64_t tag, Urgency urgency = Urgency::kWork,
                    WaitCategory category = {});
  // False if the timer already fired or was cancelled.
  bool cancel_timer(TimerId timer);

  // Adds a line to the trace (and its text to the digest). `kind` says what
  // sort of note it is, the same for every note of that sort; the text is the
  // whole line for people (see Trace::note).
  void note(std::string_view kind, std::string_view text);
  // The world's path counts (sim/coverage.h): a probe marks a path taken.
  // Never in the digest.
  Coverage& coverage();

  // ActorId::none() if no actor has that name.
  ActorId find_actor(std::string_view name) const;
  // Whether `actor` is running now: a process that is down refuses a new
  // connection at once (what a client sees as "connection refused"), which
  // a message to it cannot tell, since it is dropped silently on arrival.
  bool is_up(ActorId actor) const;

 private:
  Simulator& simulator_;
  ActorId self_;
};

class Actor {
 public:
  virtual ~Actor() = default;
  // Called once when the actor is added, at the simulated time of adding.
  virtual void on_start(Context& /*ctx*/) {}
  virtual void on_message(Context& /*ctx*/, Message& /*message*/) {}
  virtual void on_timer(Context& /*ctx*/, TimerId /*timer*/, std::uint64_t /*tag*/) {}
  // The process died: drop volatile state. No Context: a dead process acts on nothing.
  virtual void on_crash() {}
  // The process came back; by default it starts afresh.
  virtual void on_restart(Context& ctx) { on_start(ctx); }
};

}  // namespace sasim::sim
