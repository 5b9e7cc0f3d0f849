// Task<T>: a coroutine that an actor runs across simulated time.
//
// Controllers are written the way upstream writes them, as straight-line
// code (`sa = co_await client.get(...); co_await client.create(...)`), and
// every co_await on a request or a sleep parks the coroutine until the
// event that completes it is dispatched. There are no threads: a coroutine
// runs only inside its actor's event handlers, so determinism is unchanged.
//
// Tasks are lazy (nothing runs until awaited or spawned into a TaskGroup)
// and own their frames: destroying a Task destroys the coroutine and,
// through the Task temporaries in its frame, everything it awaits. That is
// how a crash drops all in-flight work at once.
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "sim/check.h"

namespace sasim::sim {

template <class T>
class Task;

namespace task_detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;
  // A root task's group and id: it reports itself finished there, so the
  // group reaps what finished instead of looking at every task it holds.
  std::vector<std::uint64_t>* finished = nullptr;
  std::uint64_t root_id = 0;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      // Symmetric transfer back to the awaiting coroutine: no stack growth
      // however long a chain of awaits gets.
      PromiseBase& promise = self.promise();
      if (promise.finished != nullptr) promise.finished->push_back(promise.root_id);
      std::coroutine_handle<> next = promise.continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  // The model does not use exceptions; one escaping a coroutine is a bug.
  void unhandled_exception() const noexcept { std::terminate(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object();
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object();
  void return_void() const noexcept {}
};

}  // namespace task_detail

template <class T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = task_detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle handle) : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  bool valid() const { return static_cast<bool>(handle_); }
  bool done() const { return handle_ && handle_.done(); }

  // Starts a root task (one nobody awaits). It runs until its first
  // suspension; whoever completes that suspension resumes it. When it
  // finishes, `root_id` is appended to `finished` (if given).
  void start(std::vector<std::uint64_t>* finished = nullptr, std::uint64_t root_id = 0) {
    SIM_CHECK(handle_ && !handle_.done(), "start() of an empty or finished Task");
    handle_.promise().finished = finished;
    handle_.promise().root_id = root_id;
    handle_.resume();
  }

  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        handle.promise().continuation = awaiting;
        return handle;
      }
      T await_resume() {
        if constexpr (!std::is_void_v<T>) {
          SIM_CHECK(handle.promise().value.has_value(), "awaited Task finished without a value");
          return std::move(*handle.promise().value);
        }
      }
    };
    SIM_CHECK(handle_ && !handle_.done(), "co_await of an empty or finished Task");
    return Awaiter{handle_};
  }

 private:
  void reset() {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  Handle handle_;
};

namespace task_detail {
template <class T>
Task<T> Promise<T>::get_return_object() {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
}  // namespace task_detail

// The root tasks of one actor. Finished ones are reaped by reap(), which the
// owner calls after each event handler; clear() destroys everything in
// flight (a crash).
class TaskGroup {
 public:
  void spawn(Task<void> task) {
    const std::uint64_t id = next_id_++;
    auto [it, inserted] = tasks_.emplace(id, std::move(task));
    it->second.start(&finished_, id);
  }
  // Destroys the tasks that finished since the last reap: only those (a
  // kubelet holds a few root tasks per pod, tens of thousands, and reaps
  // after every event).
  void reap() {
    for (const std::uint64_t id : finished_) tasks_.erase(id);
    finished_.clear();
  }
  void clear() {
    tasks_.clear();
    finished_.clear();
  }
  std::size_t size() const { return tasks_.size(); }

 private:
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Task<void>> tasks_;
  std::vector<std::uint64_t> finished_;  // ids of finished tasks not yet reaped
};

// Coroutines parked until something outside resumes them by token: a timer
// firing, a response arriving. Tokens are never reused, so a late completion
// for a coroutine that was destroyed (crash) finds nothing and is ignored.
template <class Slot>
class ParkingLot {
 public:
  std::uint64_t park(std::coroutine_handle<> handle) {
    const std::uint64_t token = next_token_++;
    parked_.emplace(token, handle);
    return token;
  }
  // Fills the parked coroutine's slot and resumes it; false if none waits.
  // The coroutine runs until its next suspension before this returns.
  bool complete(std::uint64_t token, Slot value) {
    auto it = parked_.find(token);
    if (it == parked_.end()) return false;
    std::coroutine_handle<> handle = it->second;
    result_ = std::move(value);
    parked_.erase(it);
    handle.resume();
    return true;
  }
  // For the awaiter's await_resume: the value complete() delivered.
  Slot take_result() { return std::move(result_); }
  bool waiting(std::uint64_t token) const { return parked_.count(token) != 0; }
  void clear() { parked_.clear(); }
  std::size_t size() const { return parked_.size(); }

 private:
  std::uint64_t next_token_ = 1;
  std::map<std::uint64_t, std::coroutine_handle<>> parked_;
  Slot result_{};
};

}  // namespace sasim::sim
