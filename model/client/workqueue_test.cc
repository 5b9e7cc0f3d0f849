#include "model/client/workqueue.h"
#include "sim/testing/time_points.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <rapidcheck/catch.h>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace sasim::model::client {
namespace {

using ::sasim::sim::testing::at_ms;

using sim::Duration;
using sim::Time;

// Drains the FIFO, releasing each key at once.
template <class Key>
std::vector<Key> drain(WorkQueue<Key>& queue) {
  std::vector<Key> out;
  while (auto key = queue.get()) {
    out.push_back(*key);
    queue.done(*key);
  }
  return out;
}

TEST_CASE("adding a queued key twice queues it once", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add("a");
  queue.add("a");
  CHECK(queue.len() == 1);
  CHECK(queue.get() == "a");
  CHECK_FALSE(queue.get().has_value());
  CHECK(queue.is_processing("a"));
}

TEST_CASE("keys come out in the order they were added", "[workqueue]") {
  WorkQueue<std::string> queue;
  for (const char* key : {"c", "a", "b", "a", "c"}) queue.add(key);
  CHECK(drain(queue) == std::vector<std::string>{"c", "a", "b"});
}

TEST_CASE("a key added while processing comes back once after done", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add("a");
  queue.add("b");
  REQUIRE(queue.get() == "a");
  queue.add("a");
  queue.add("a");
  CHECK(queue.len() == 1);  // only b: a waits for its worker
  CHECK(queue.is_dirty("a"));
  CHECK(queue.get() == "b");
  CHECK_FALSE(queue.get().has_value());  // never to a second worker
  queue.done("a");
  CHECK(queue.len() == 1);
  CHECK(queue.get() == "a");
  queue.done("a");
  queue.done("b");
  CHECK(queue.len() == 0);
  CHECK(queue.num_processing() == 0);
}

TEST_CASE("a key not added while processing is gone after done", "[workqueue]") {
  WorkQueue<int> queue;
  queue.add(1);
  REQUIRE(queue.get() == 1);
  queue.done(1);
  CHECK(queue.len() == 0);
  CHECK_FALSE(queue.get().has_value());
}

TEST_CASE("add_after keeps the earliest ready time", "[workqueue]") {
  WorkQueue<std::string> queue;
  CHECK_FALSE(queue.next_ready_time().has_value());
  queue.add_after("a", Duration::milliseconds(10), at_ms(0));
  CHECK(queue.next_ready_time() == at_ms(10));
  queue.add_after("a", Duration::milliseconds(3), at_ms(2));
  CHECK(queue.ready_time("a") == at_ms(5));
  queue.add_after("a", Duration::milliseconds(20), at_ms(3));
  CHECK(queue.ready_time("a") == at_ms(5));
  CHECK(queue.num_waiting() == 1);
  CHECK(queue.len() == 0);
  CHECK(queue.promote_ready(at_ms(4)) == 0);
  CHECK(queue.promote_ready(at_ms(5)) == 1);
  CHECK_FALSE(queue.next_ready_time().has_value());
  CHECK(drain(queue) == std::vector<std::string>{"a"});
  CHECK(queue.promote_ready(at_ms(100)) == 0);  // the later requests were folded in
}

TEST_CASE("keys due at the same time are released in the order they were parked", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add_after("c", Duration::milliseconds(10), at_ms(0));
  queue.add_after("a", Duration::milliseconds(10), at_ms(0));
  queue.add_after("d", Duration::milliseconds(5), at_ms(1));
  queue.add_after("b", Duration::milliseconds(9), at_ms(1));
  CHECK(queue.next_ready_time() == at_ms(6));
  CHECK(queue.promote_ready(at_ms(50)) == 4);
  CHECK(drain(queue) == std::vector<std::string>{"d", "c", "a", "b"});
}

TEST_CASE("an earlier ready time takes the turn of the call that set it", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add_after("a", Duration::milliseconds(20), at_ms(0));
  queue.add_after("b", Duration::milliseconds(10), at_ms(0));
  queue.add_after("a", Duration::milliseconds(10), at_ms(0));  // now ties with b, set after it
  queue.promote_ready(at_ms(10));
  CHECK(drain(queue) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("a zero delay adds at once and a parked key also queued is handed out once", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add_after("a", Duration::zero(), at_ms(0));
  CHECK(queue.len() == 1);
  CHECK(queue.num_waiting() == 0);
  queue.add_after("a", Duration::milliseconds(10), at_ms(0));
  CHECK(queue.num_waiting() == 1);
  CHECK(queue.promote_ready(at_ms(10)) == 1);
  CHECK(queue.len() == 1);
  CHECK(drain(queue) == std::vector<std::string>{"a"});
}

TEST_CASE("a parked key that comes due while processing waits for done", "[workqueue]") {
  WorkQueue<int> queue;
  queue.add(1);
  REQUIRE(queue.get() == 1);
  queue.add_after(1, Duration::milliseconds(5), at_ms(0));
  queue.promote_ready(at_ms(5));
  CHECK(queue.len() == 0);
  CHECK_FALSE(queue.get().has_value());
  queue.done(1);
  CHECK(drain(queue) == std::vector<int>{1});
}

TEST_CASE("add_rate_limited backs off per key and forget resets it", "[workqueue]") {
  WorkQueue<std::string> queue;
  queue.add_rate_limited("a", at_ms(0));
  CHECK(queue.ready_time("a") == at_ms(5));
  CHECK(queue.num_requeues("a") == 1);
  queue.promote_ready(at_ms(5));
  REQUIRE(queue.get() == "a");
  queue.add_rate_limited("a", at_ms(7));
  queue.done("a");
  CHECK(queue.ready_time("a") == at_ms(17));
  CHECK(queue.num_requeues("a") == 2);
  queue.forget("a");
  CHECK(queue.num_requeues("a") == 0);
  CHECK(queue.ready_time("a") == at_ms(17));  // forget does not unpark
}

// The tokens controller's retryOrForget: requeue while NumRequeues < 10, then
// drop. Driven as the owning actor would: a timer at next_ready_time().
TEST_CASE("a key failing every sync is retried 10 times over 5.115 s then dropped", "[workqueue]") {
  WorkQueue<std::string> queue;
  constexpr std::int64_t kMaxRetries = 10;
  Time now = at_ms(1'000);
  queue.add("ns/sa");
  std::vector<Time> syncs;
  while (true) {
    if (queue.len() == 0) {
      const std::optional<Time> timer = queue.next_ready_time();
      if (!timer) break;
      now = *timer;
      queue.promote_ready(now);
    }
    const auto key = queue.get();
    REQUIRE(key.has_value());
    syncs.push_back(now);
    if (queue.num_requeues(*key) < kMaxRetries) {
      queue.add_rate_limited(*key, now);
    } else {
      queue.forget(*key);
    }
    queue.done(*key);
  }
  REQUIRE(syncs.size() == 11);
  CHECK(syncs[1] - syncs[0] == Duration::milliseconds(5));
  CHECK(syncs[10] - syncs[9] == Duration::milliseconds(2560));
  CHECK(syncs[10] - syncs[0] == Duration::milliseconds(5115));
  CHECK(queue.num_requeues("ns/sa") == 0);
}

TEST_CASE("a custom limiter replaces the default", "[workqueue]") {
  WorkQueue<int> queue(std::make_unique<ItemExponentialFailureRateLimiter<int>>(Duration::seconds(1), Duration::seconds(3)));
  for (int i = 0; i < 4; ++i) queue.rate_limiter().when(1, at_ms(0));
  queue.add_rate_limited(1, at_ms(0));
  CHECK(queue.ready_time(1) == at_ms(3'000));
}

TEST_CASE("shut_down ignores adds and parked keys but drains the queue", "[workqueue]") {
  WorkQueue<int> queue;
  queue.add(1);
  queue.add(2);
  queue.add_after(3, Duration::milliseconds(5), at_ms(0));
  REQUIRE(queue.get() == 1);
  queue.add(1);  // dirty before the shutdown: comes back on done
  queue.shut_down();
  CHECK(queue.shutting_down());
  queue.add(4);
  queue.add_after(5, Duration::milliseconds(1), at_ms(0));
  queue.add_rate_limited(6, at_ms(0));
  CHECK(queue.num_requeues(6) == 1);  // the limiter is still asked, as upstream
  CHECK_FALSE(queue.next_ready_time().has_value());
  CHECK(queue.promote_ready(at_ms(100)) == 0);
  queue.done(1);
  CHECK(drain(queue) == std::vector<int>{2, 1});
}

// A key type with nothing but operator<.
struct ObjectKey {
  std::string ns;
  std::string name;
  bool operator<(const ObjectKey& other) const { return std::tie(ns, name) < std::tie(other.ns, other.name); }
};

TEST_CASE("any key type with operator< will do", "[workqueue]") {
  WorkQueue<ObjectKey> queue;
  queue.add({"kube-system", "default"});
  queue.add({"kube-system", "default"});
  queue.add_rate_limited({"default", "default"}, at_ms(0));
  CHECK(queue.len() == 1);
  queue.promote_ready(at_ms(5));
  const auto first = queue.get();
  REQUIRE(first.has_value());
  CHECK(first->ns == "kube-system");
  CHECK(queue.get()->ns == "default");
}

// A reference model written differently from the queue: no FIFO, only per-key
// flags and the instant each key became eligible; get() scans for the
// earliest. Parked keys are a map scanned for the earliest (time, order).
class Model {
 public:
  void add(int key) {
    State& state = keys_[key];
    if (state.pending) return;
    state.pending = true;
    if (!state.processing) state.eligible_since = ++clock_;
  }
  std::optional<int> get() {
    std::optional<int> best;
    for (const auto& [key, state] : keys_) {
      if (state.pending && !state.processing && (!best || state.eligible_since < keys_[*best].eligible_since)) best = key;
    }
    if (best) {
      keys_[*best].pending = false;
      keys_[*best].processing = true;
    }
    return best;
  }
  void done(int key) {
    State& state = keys_[key];
    state.processing = false;
    if (state.pending) state.eligible_since = ++clock_;
  }
  std::size_t len() const {
    return static_cast<std::size_t>(std::count_if(keys_.begin(), keys_.end(), [](const auto& entry) {
      return entry.second.pending && !entry.second.processing;
    }));
  }
  void add_after(int key, Duration delay, Time now) {
    if (delay <= Duration::zero()) return add(key);
    const std::pair<Time, std::uint64_t> slot{now + delay, ++clock_};
    const auto it = parked_.find(key);
    if (it == parked_.end() || slot.first < it->second.first) parked_[key] = slot;
  }
  void promote(Time now) {
    while (true) {
      auto best = parked_.end();
      for (auto it = parked_.begin(); it != parked_.end(); ++it) {
        if (it->second.first <= now && (best == parked_.end() || it->second < best->second)) best = it;
      }
      if (best == parked_.end()) return;
      const int key = best->first;
      parked_.erase(best);
      add(key);
    }
  }
  std::optional<Time> next_ready() const {
    std::optional<Time> earliest;
    for (const auto& [key, slot] : parked_) {
      if (!earliest || slot.first < *earliest) earliest = slot.first;
    }
    return earliest;
  }

 private:
  struct State {
    bool pending = false;
    bool processing = false;
    std::uint64_t eligible_since = 0;
  };
  std::map<int, State> keys_;
  std::map<int, std::pair<Time, std::uint64_t>> parked_;
  std::uint64_t clock_ = 0;
};

TEST_CASE("the work queue matches a reference model and loses nothing", "[workqueue][property]") {
  rc::prop("random add get done add_after and clock steps",
           [](const std::vector<std::pair<std::uint8_t, std::uint8_t>>& ops) {
             constexpr int kKeys = 6;
             WorkQueue<int> queue;
             Model model;
             Time now = Time::zero();
             std::set<int> held;   // keys some worker holds right now
             std::set<int> owed;   // keys added since they were last handed out
             const auto hand_out = [&](int key) {
               RC_ASSERT(held.insert(key).second);  // never two workers at once
               owed.erase(key);
             };
             // What promote_ready is about to add, read through the public API.
             const auto mark_due = [&](Time at) {
               for (int key = 0; key < kKeys; ++key) {
                 if (const auto ready = queue.ready_time(key); ready && *ready <= at) owed.insert(key);
               }
             };
             for (const auto& [op, arg] : ops) {
               const int key = arg % kKeys;
               switch (op % 6) {
                 case 0:
                 case 1:
                   queue.add(key);
                   model.add(key);
                   owed.insert(key);
                   break;
                 case 2: {
                   const auto got = queue.get();
                   RC_ASSERT(got == model.get());
                   if (got) hand_out(*got);
                   break;
                 }
                 case 3: {
                   if (held.empty()) break;
                   const int victim = *std::next(held.begin(), static_cast<long>(arg % held.size()));
                   held.erase(victim);
                   queue.done(victim);
                   model.done(victim);
                   break;
                 }
                 case 4: {
                   const Duration delay = Duration::milliseconds((arg / kKeys) % 4);
                   queue.add_after(key, delay, now);
                   model.add_after(key, delay, now);
                   if (delay == Duration::zero()) owed.insert(key);
                   break;
                 }
                 default:
                   now = now + Duration::milliseconds(arg % 3);
                   mark_due(now);
                   queue.promote_ready(now);
                   model.promote(now);
                   break;
               }
               RC_ASSERT(queue.len() == model.len());
               RC_ASSERT(queue.next_ready_time() == model.next_ready());
               RC_ASSERT(queue.num_processing() == held.size());
             }
             // Let everything come due, finish every sync, and drain.
             mark_due(Time::never());
             queue.promote_ready(Time::never());
             model.promote(Time::never());
             for (const int key : std::set<int>(held)) {
               held.erase(key);
               queue.done(key);
               model.done(key);
             }
             while (const auto got = queue.get()) {
               RC_ASSERT(got == model.get());
               hand_out(*got);
               held.erase(*got);
               queue.done(*got);
               model.done(*got);
             }
             RC_ASSERT(!model.get().has_value());
             RC_ASSERT(owed.empty());
             RC_ASSERT(queue.num_processing() == 0U);
             RC_ASSERT(queue.num_waiting() == 0U);
           });
}

}  // namespace
}  // namespace sasim::model::client
