// CoActor: an Actor whose behaviour is written as coroutines (Task).
//
// It keeps its Context (so coroutines can act when they are resumed), its
// root tasks, and the coroutines parked in sleep(). Subclasses implement
// start() and, if they receive messages or set their own timers,
// handle_message() and handle_timer(). After every handler, finished root
// tasks are reaped. A crash clears parked sleeps, calls handle_crash() for
// the subclass's own volatile state, then destroys every task in flight.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/actor.h"
#include "sim/task.h"
#include "sim/time.h"

namespace sasim::sim {

class CoActor : public Actor {
 public:
  void on_start(Context& ctx) final {
    ctx_.emplace(ctx);
    start();
    tasks_.reap();
  }
  void on_message(Context& /*ctx*/, Message& message) final {
    handle_message(message);
    tasks_.reap();
  }
  void on_timer(Context& /*ctx*/, TimerId /*timer*/, std::uint64_t tag) final {
    if ((tag & kSleepTag) != 0) {
      sleeps_.complete(tag & ~kSleepTag, Unit{});
    } else {
      handle_timer(tag);
    }
    tasks_.reap();
  }
  void on_crash() final {
    sleeps_.clear();
    handle_crash();
    tasks_.clear();
  }
  void on_restart(Context& ctx) final { on_start(ctx); }

  // Root tasks in flight (for tests and diagnostics).
  std::size_t tasks_in_flight() const { return tasks_.size(); }

 protected:
  // Timer tags of subclasses must leave this bit clear.
  static constexpr std::uint64_t kSleepTag = std::uint64_t{1} << 63;

  virtual void start() = 0;
  virtual void handle_message(Message& /*message*/) {}
  virtual void handle_timer(std::uint64_t /*tag*/) {}
  virtual void handle_crash() {}

  Context& ctx() { return *ctx_; }
  void spawn(Task<void> task) { tasks_.spawn(std::move(task)); }

  // co_await sleep(d): resumes after d of simulated time. The category
  // tells recorded traces why this coroutine waits.
  auto sleep(Duration duration, Urgency urgency = Urgency::kWork, WaitCategory category = {}) {
    struct Awaiter {
      CoActor& self;
      Duration duration;
      Urgency urgency;
      WaitCategory category;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> handle) {
        const std::uint64_t token = self.sleeps_.park(handle);
        self.ctx().set_timer(duration, token | kSleepTag, urgency, category);
      }
      void await_resume() noexcept {}
    };
    return Awaiter{*this, duration, urgency, category};
  }
  auto sleep(Duration duration, WaitCategory category) { return sleep(duration, Urgency::kWork, category); }

 private:
  struct Unit {};
  std::optional<Context> ctx_;
  TaskGroup tasks_;
  ParkingLot<Unit> sleeps_;
};

}  // namespace sasim::sim
