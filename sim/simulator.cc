#include "sim/simulator.h"

#include <utility>

#include "sim/check.h"
#include "sim/duration_text.h"

namespace sasim::sim {
namespace {

// A scheduled callback travels in the event's payload slot.
class CallPayload final : public Payload {
 public:
  CallPayload(std::string label, std::function<void(Simulator&)> fn)
      : label_(std::move(label)), fn_(std::move(fn)) {}
  std::string describe() const override { return label_; }
  void run(Simulator& simulator) const { fn_(simulator); }

 private:
  std::string label_;
  std::function<void(Simulator&)> fn_;
};

std::string describe_body(const Payload* payload, std::uint64_t tag) {
  return payload != nullptr ? payload->describe() : "tag " + std::to_string(tag);
}

// A message's label: its payload's, with the sender among the details.
TraceLabel message_label(const Payload* payload, std::uint64_t tag, std::string sender) {
  TraceLabel label = payload != nullptr ? payload->trace_label() : TraceLabel{"tag " + std::to_string(tag)};
  label.args.emplace_back("from", std::move(sender));
  return label;
}

// A timer is named by what its owner waits for (its wait category); an
// unlabelled one only by its tag, which means something to its owner alone.
std::string timer_text(WaitCategory category, std::uint64_t tag) {
  return category.empty() ? "timer tag " + std::to_string(tag) : std::string(category.name());
}

}  // namespace

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::kIdle: return "idle";
    case StopReason::kTimeLimit: return "time limit";
    case StopReason::kEventLimit: return "event limit";
    case StopReason::kQuiescent: return "quiescent";
    case StopReason::kCondition: return "condition";
  }
  return "unknown";
}

// ---- Context ---------------------------------------------------------------

Time Context::now() const { return simulator_.now_; }

Prng& Context::prng() { return simulator_.slot(self_).prng; }

bool Context::send(ActorId to, Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload,
                   WaitCategory category, Urgency urgency) {
  return simulator_.post_message(self_, simulator_.slot(self_).incarnation, to, 0, delay, tag, std::move(payload), category,
                                 urgency);
}

void Context::reply(const Message& request, Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload,
                    WaitCategory category) {
  SIM_CHECK(request.from.valid(), "reply to a message that has no sending actor");
  simulator_.post_message(self_, simulator_.slot(self_).incarnation, request.from, request.from_incarnation, delay,
                          tag, std::move(payload), category);
}

bool Context::reply_to(ActorId to, std::uint32_t to_incarnation, Duration delay, std::uint64_t tag,
                       std::unique_ptr<Payload> payload, WaitCategory category, Urgency urgency) {
  SIM_CHECK(to.valid(), "reply to no actor");
  return simulator_.post_message(self_, simulator_.slot(self_).incarnation, to, to_incarnation, delay, tag,
                          std::move(payload), category, urgency);
}

TimerId Context::set_timer(Duration after, std::uint64_t tag, Urgency urgency, WaitCategory category) {
  return simulator_.set_timer(self_, after, tag, urgency, category);
}

bool Context::cancel_timer(TimerId timer) { return simulator_.cancel_timer(self_, timer); }

void Context::note(std::string_view kind, std::string_view text) {
  simulator_.trace_.note(simulator_.now_, simulator_.current_seq_, self_, kind, text);
}

Coverage& Context::coverage() { return simulator_.coverage_; }

ActorId Context::find_actor(std::string_view name) const { return simulator_.find_actor(name); }
bool Context::is_up(ActorId actor) const { return simulator_.is_up(actor); }

// ---- Simulator: actors -------------------------------------------------------

Simulator::Simulator(std::uint64_t seed) : seed_(seed), root_prng_(seed) {}

Simulator::~Simulator() = default;

ActorId Simulator::add_actor(std::string name, std::unique_ptr<Actor> actor) {
  SIM_CHECK(actor != nullptr, "add_actor needs an actor");
  SIM_CHECK(!names_.contains(name), "actor names must be unique: " + name);
  SIM_CHECK(actors_.size() < UINT32_MAX - 1, "too many actors");
  const ActorId id{static_cast<std::uint32_t>(actors_.size())};
  names_.emplace(name, id);
  actors_.push_back(ActorSlot{std::move(name), std::move(actor), root_prng_.fork()});
  schedule(now_, Event{.type = EventType::kStart, .target = id, .from_incarnation = 1});
  return id;
}

ActorId Simulator::find_actor(std::string_view name) const {
  const auto it = names_.find(name);
  return it == names_.end() ? ActorId::none() : it->second;
}

Simulator::ActorSlot& Simulator::slot(ActorId id) {
  SIM_CHECK(id.valid() && id.value < actors_.size(), "unknown actor id");
  return actors_[id.value];
}

const Simulator::ActorSlot& Simulator::slot(ActorId id) const {
  SIM_CHECK(id.valid() && id.value < actors_.size(), "unknown actor id");
  return actors_[id.value];
}

const std::string& Simulator::actor_name(ActorId id) const { return slot(id).name; }
bool Simulator::is_up(ActorId id) const { return slot(id).up; }
std::uint32_t Simulator::incarnation(ActorId id) const { return slot(id).incarnation; }
Actor& Simulator::actor(ActorId id) { return *slot(id).actor; }
Prng& Simulator::actor_prng(ActorId id) { return slot(id).prng; }

Prng Simulator::fork_prng() { return root_prng_.fork(); }

std::string Simulator::sender_name(ActorId from) const { return from.valid() ? slot(from).name : "harness"; }

// ---- Simulator: scheduling ---------------------------------------------------

EventHandle Simulator::schedule(Time at, Event&& event) {
  SIM_CHECK(at >= now_, "events cannot be scheduled in the past");
  if (event.urgency == Urgency::kWork) ++pending_work_;
  // current_seq_ keeps the last dispatched event's seq between runs, so
  // only what is scheduled while an event runs has that event as its cause.
  event.cause = dispatching_ ? current_seq_ : 0;
  return queue_.push(at, std::move(event));
}

bool Simulator::post_message(ActorId from, std::uint32_t from_incarnation, ActorId to,
                             std::uint32_t to_incarnation, Duration delay, std::uint64_t tag,
                             std::unique_ptr<Payload> payload, WaitCategory category, Urgency urgency) {
  slot(to);  // validates the id
  SIM_CHECK(delay >= Duration::zero(), "message delays cannot be negative");
  if (link_policy_ != nullptr) {
    const LinkVerdict verdict = link_policy_->on_send(SendInfo{from, to, tag, payload.get(), now_});
    if (!verdict.deliver) {
      const EventOrigin origin{.cause = dispatching_ ? current_seq_ : 0, .from = from, .category = category,
                               .reply = to_incarnation != 0};
      trace_.event(
          now_, current_seq_, to, TraceKind::kDrop, tag, [&] { return origin; },
          [&] { return "link dropped " + describe_body(payload.get(), tag) + " from " + sender_name(from); },
          [&] {
            TraceLabel label = message_label(payload.get(), tag, sender_name(from));
            label.args.emplace_back("dropped", "by the link");
            return label;
          });
      return false;
    }
    SIM_CHECK(verdict.extra_delay >= Duration::zero(), "a link policy cannot shorten delays");
    delay += verdict.extra_delay;
  }
  schedule(now_ + delay, Event{.type = EventType::kMessage,
                               .urgency = urgency,
                               .category = category_index(category),
                               .target = to,
                               .from = from,
                               .from_incarnation = from_incarnation,
                               .to_incarnation = to_incarnation,
                               .tag = tag,
                               .payload = std::move(payload)});
  return true;
}

void Simulator::send(ActorId to, Duration delay, std::uint64_t tag, std::unique_ptr<Payload> payload,
                     WaitCategory category) {
  post_message(ActorId::none(), 0, to, 0, delay, tag, std::move(payload), category);
}

TimerId Simulator::set_timer(ActorId owner, Duration after, std::uint64_t tag, Urgency urgency,
                             WaitCategory category) {
  SIM_CHECK(after >= Duration::zero(), "timers cannot be set in the past");
  const ActorSlot& owner_slot = slot(owner);
  SIM_CHECK(owner_slot.up, "a down actor cannot set timers");
  return schedule(now_ + after, Event{.type = EventType::kTimer,
                                      .urgency = urgency,
                                      .category = category_index(category),
                                      .target = owner,
                                      .from_incarnation = owner_slot.incarnation,
                                      .tag = tag});
}

bool Simulator::cancel_timer(ActorId owner, TimerId timer) {
  const Event* event = queue_.find(timer);
  if (event == nullptr) return false;
  SIM_CHECK(event->type == EventType::kTimer && event->target == owner, "an actor may cancel only its own timers");
  return cancel(timer);
}

bool Simulator::cancel(EventHandle handle) {
  const Event* event = queue_.find(handle);
  if (event == nullptr) return false;
  const bool work = event->urgency == Urgency::kWork;
  if (!queue_.cancel(handle)) return false;
  if (work) --pending_work_;
  return true;
}

EventHandle Simulator::call_at(Time at, std::string label, std::function<void(Simulator&)> fn, Urgency urgency,
                               WaitCategory category) {
  SIM_CHECK(fn != nullptr, "call_at needs a function");
  return schedule(at, Event{.type = EventType::kCall,
                            .urgency = urgency,
                            .category = category_index(category),
                            .payload = std::make_unique<CallPayload>(std::move(label), std::move(fn))});
}

void Simulator::crash_at(Time at, ActorId id, std::optional<Duration> restart_after) {
  slot(id);
  SIM_CHECK(!restart_after || *restart_after >= Duration::zero(), "restart delays cannot be negative");
  schedule(at, Event{.type = EventType::kCrash,
                     .target = id,
                     .tag = static_cast<std::uint64_t>(restart_after ? restart_after->ns() : std::int64_t{-1})});
}

void Simulator::restart_at(Time at, ActorId id) {
  slot(id);
  schedule(at, Event{.type = EventType::kRestart, .target = id});
}

void Simulator::note(std::string_view kind, std::string_view text) {
  trace_.note(now_, current_seq_, ActorId::none(), kind, text);
}

// ---- Simulator: running ------------------------------------------------------

bool Simulator::step() {
  SIM_CHECK(!dispatching_, "step() or run() called from inside an event");
  EventQueue<Event>::Popped popped;
  if (!queue_.pop(popped)) return false;
  dispatch(popped.at, popped.handle, popped.value);
  return true;
}

RunResult Simulator::run(const RunLimits& limits) {
  SIM_CHECK(!dispatching_, "step() or run() called from inside an event");
  RunResult result{StopReason::kIdle, 0};
  if (limits.stop_when && limits.stop_when()) return {StopReason::kCondition, 0};
  while (true) {
    if (limits.until_quiescent && quiescent()) {
      result.reason = StopReason::kQuiescent;
      return result;
    }
    if (result.events >= limits.max_events) {
      result.reason = StopReason::kEventLimit;
      return result;
    }
    const Time next = queue_.next_time();
    if (next > limits.until || next == Time::never()) {
      if (limits.until == Time::never()) {
        result.reason = StopReason::kIdle;
      } else {
        if (limits.until > now_) now_ = limits.until;
        result.reason = StopReason::kTimeLimit;
      }
      return result;
    }
    step();
    ++result.events;
    if (limits.stop_when && limits.stop_when()) {
      result.reason = StopReason::kCondition;
      return result;
    }
  }
}

void Simulator::dispatch(Time at, EventHandle handle, Event& event) {
  SIM_CHECK(at >= now_, "time went backwards");
  const std::uint64_t seq = handle.seq;
  ++events_dispatched_;
  now_ = at;
  current_seq_ = seq;
  if (event.urgency == Urgency::kWork) --pending_work_;
  dispatching_ = true;
  dispatch_by_type(handle, event);
  dispatching_ = false;
}

void Simulator::dispatch_by_type(EventHandle handle, Event& event) {
  const std::uint64_t seq = handle.seq;
  switch (event.type) {
    case EventType::kMessage:
      deliver(seq, event);
      return;
    case EventType::kTimer: {
      ActorSlot& target = slot(event.target);
      SIM_CHECK(target.up && target.incarnation == event.from_incarnation,
                "a timer outlived its actor's incarnation");
      trace_.event(
          now_, seq, event.target, TraceKind::kTimer, event.tag, [&] { return origin_of(event); },
          [&] { return timer_text(categories_[event.category], event.tag); },
          [&] {
            return TraceLabel{categories_[event.category].empty() ? "timer"
                                                                   : std::string(categories_[event.category].name())};
          });
      Context ctx(*this, event.target);
      target.actor->on_timer(ctx, handle, event.tag);
      finish_event(seq, event.target, TraceKind::kTimer, event.tag, event.cause);
      return;
    }
    case EventType::kStart: {
      ActorSlot& target = slot(event.target);
      trace_.event(now_, seq, event.target, TraceKind::kStart, 0, [&] { return origin_of(event); },
                   [] { return std::string("start"); }, [] { return TraceLabel{"start"}; });
      Context ctx(*this, event.target);
      target.actor->on_start(ctx);
      finish_event(seq, event.target, TraceKind::kStart, 0, event.cause);
      return;
    }
    case EventType::kCall: {
      const auto& call = static_cast<const CallPayload&>(*event.payload);
      trace_.event(now_, seq, ActorId::none(), TraceKind::kCall, 0, [&] { return origin_of(event); },
                   [&] { return call.describe(); }, [&] { return TraceLabel{call.describe()}; });
      call.run(*this);
      finish_event(seq, ActorId::none(), TraceKind::kCall, 0, event.cause);
      return;
    }
    case EventType::kCrash:
      crash_now(seq, event);
      return;
    case EventType::kRestart: {
      ActorSlot& target = slot(event.target);
      if (target.up) return;  // already back: nothing happens, nothing is traced
      target.up = true;
      if (target.scheduled_restart.valid()) cancel(std::exchange(target.scheduled_restart, EventHandle{}));
      trace_.event(
          now_, seq, event.target, TraceKind::kRestart, target.incarnation, [&] { return origin_of(event); },
          [&] { return "restart as incarnation " + std::to_string(target.incarnation); },
          [&] { return TraceLabel{"restart", {{"incarnation", std::to_string(target.incarnation)}}}; });
      Context ctx(*this, event.target);
      target.actor->on_restart(ctx);
      finish_event(seq, event.target, TraceKind::kRestart, target.incarnation, event.cause);
      return;
    }
  }
}

void Simulator::deliver(std::uint64_t seq, Event& event) {
  ActorSlot& target = slot(event.target);
  Message message{event.from, event.target, event.tag, event.from_incarnation, std::move(event.payload)};
  const bool stale = event.to_incarnation != 0 && event.to_incarnation != target.incarnation;
  if (!target.up || stale) {
    const char* why = target.up ? "stale incarnation" : "receiver down";
    trace_.event(
        now_, seq, event.target, TraceKind::kDrop, event.tag, [&] { return origin_of(event); },
        [&] { return std::string(why) + ": " + describe_body(message.payload.get(), message.tag); },
        [&] {
          TraceLabel label = message_label(message.payload.get(), message.tag, sender_name(event.from));
          label.args.emplace_back("dropped", why);
          return label;
        });
    finish_event(seq, event.target, TraceKind::kDrop, event.tag, event.cause);
    return;
  }
  const std::uint64_t detail = event.tag ^ (static_cast<std::uint64_t>(event.from.value) << 32);
  trace_.event(
      now_, seq, event.target, TraceKind::kMessage, detail, [&] { return origin_of(event); },
      [&] { return describe_body(message.payload.get(), message.tag) + " from " + sender_name(event.from); },
      [&] { return message_label(message.payload.get(), message.tag, sender_name(event.from)); });
  Context ctx(*this, event.target);
  target.actor->on_message(ctx, message);
  finish_event(seq, event.target, TraceKind::kMessage, event.tag, event.cause);
}

void Simulator::crash_now(std::uint64_t seq, const Event& event) {
  ActorSlot& target = slot(event.target);
  if (!target.up) return;  // dead already: a second crash changes nothing
  target.up = false;
  ++target.incarnation;
  target.actor->on_crash();
  // Its timers and the messages in flight to it die with the process.
  const ActorId id = event.target;
  std::size_t work_cancelled = 0;
  queue_.cancel_if([&](const Event& pending) {
    const bool dies = pending.target == id && (pending.type == EventType::kTimer ||
                                                pending.type == EventType::kMessage ||
                                                pending.type == EventType::kStart);
    if (dies && pending.urgency == Urgency::kWork) ++work_cancelled;
    return dies;
  });
  pending_work_ -= work_cancelled;
  const auto restart_after_ns = static_cast<std::int64_t>(event.tag);
  trace_.event(
      now_, seq, id, TraceKind::kCrash, event.tag, [&] { return origin_of(event); },
      [&] {
        return restart_after_ns < 0
                   ? std::string("crash")
                   : "crash, restart after " + format_duration(Duration::nanoseconds(restart_after_ns));
      },
      [&] {
        TraceLabel label{"crash"};
        if (restart_after_ns >= 0) {
          label.args.emplace_back("restartAfter", format_duration(Duration::nanoseconds(restart_after_ns)));
        }
        return label;
      });
  if (restart_after_ns >= 0) {
    target.scheduled_restart =
        schedule(now_ + Duration::nanoseconds(restart_after_ns), Event{.type = EventType::kRestart, .target = id});
  }
  finish_event(seq, id, TraceKind::kCrash, 0, event.cause);
}

void Simulator::finish_event(std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t tag,
                             std::uint64_t cause) {
  if (observer_) observer_(EventView{now_, seq, actor, kind, tag, cause});
}

std::uint16_t Simulator::category_index(WaitCategory category) {
  if (category.empty()) return 0;
  for (std::size_t i = 1; i < categories_.size(); ++i) {
    if (categories_[i] == category) return static_cast<std::uint16_t>(i);
  }
  SIM_CHECK(categories_.size() <= UINT16_MAX, "too many wait categories");
  categories_.push_back(category);
  return static_cast<std::uint16_t>(categories_.size() - 1);
}

EventOrigin Simulator::origin_of(const Event& event) const {
  return EventOrigin{.cause = event.cause,
                     .from = event.type == EventType::kMessage ? event.from : ActorId::none(),
                     .category = categories_[event.category],
                     .reply = event.type == EventType::kMessage && event.to_incarnation != 0};
}

}  // namespace sasim::sim
