// WorkQueue<Key>: client-go's rate-limiting work queue (util/workqueue as of
// 1.20: queue.go, delaying_queue.go, rate_limiting_queue.go) as a passive data
// structure. The owning actor calls it from its handlers and sets its own
// timer; nothing here schedules events.
//
// Three layers, one class:
//
// * The queue: a FIFO of keys plus the `dirty` set (keys that need
//   processing) and the `processing` set (keys a worker holds). add() of a
//   dirty key is a no-op, which is how a burst of events for one object
//   collapses into one sync. add() of a key being processed only marks it
//   dirty; done() puts it back in the FIFO. So a key is never handed to two
//   workers at once, and an event that arrives during a sync is not lost.
//   After shut_down(), add() is ignored but get() still drains the FIFO.
//
// * The delaying layer: add_after(key, delay, now) parks the key until
//   now + delay. A key parked twice keeps the EARLIER ready time (upstream's
//   waitingForQueue insert), and a parked key may also be in the FIFO: when it
//   comes due it is simply add()ed, subject to the dirty rule. A delay <= 0
//   adds at once. Upstream releases ready keys from a heap ordered by time
//   alone; here ties are released in the order their ready time was set (the
//   add_after call that set the winning time), so runs repeat.
//
// * The rate-limited layer: add_rate_limited(key, now) is
//   add_after(key, limiter.when(key, now), now); forget and num_requeues are
//   the limiter's. when() is asked even after shutdown, as upstream.
//
// How the owner drives it (upstream's waitingLoop is a goroutine; here it is
// the owner's timer):
//   1. After any add_after / add_rate_limited / promote_ready, read
//      next_ready_time(). If it differs from the timer currently armed,
//      re-arm the timer for that instant (or cancel it on nullopt).
//   2. When the timer fires, call promote_ready(now), then re-arm as in 1.
//   3. Whenever keys may have entered the FIFO (after add, promote_ready,
//      done) and a worker is idle, call get() and hand the key to the worker.
//      get() returns nullopt on an empty FIFO (waiting for a worker is the
//      owner's business; check shutting_down() to tell a drained queue).
//   4. When the worker's sync ends: on success forget(key), on a retriable
//      error add_rate_limited(key, now) (after checking num_requeues against
//      the controller's max retries), then done(key) in both cases.
//      (Upstream workers call forget/add_rate_limited before done, which this
//      queue supports: a key re-added while processing waits for done.)
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "model/client/rate_limiter.h"
#include "sim/check.h"
#include "sim/time.h"

namespace sasim::model::client {

template <class Key>
class WorkQueue {
 public:
  WorkQueue() : WorkQueue(default_controller_rate_limiter<Key>()) {}
  explicit WorkQueue(std::unique_ptr<RateLimiter<Key>> limiter) : limiter_(std::move(limiter)) {
    SIM_CHECK(limiter_ != nullptr, "WorkQueue needs a rate limiter");
  }

  // --- The queue ---

  // Marks `key` as needing processing; queued unless it is already waiting
  // in the FIFO or being processed (then it re-enters on done()).
  void add(const Key& key) {
    if (shutting_down_) return;
    if (!dirty_.insert(key).second) return;
    if (processing_.count(key) != 0) return;
    fifo_.push_back(key);
  }

  // The oldest queued key, now held by the caller until done(); nullopt if
  // none is queued.
  std::optional<Key> get() {
    if (fifo_.empty()) return std::nullopt;
    std::optional<Key> key(std::move(fifo_.front()));
    fifo_.pop_front();
    processing_.insert(*key);
    dirty_.erase(*key);
    return key;
  }

  // Releases a key from get(); if it was added meanwhile, it is queued again.
  void done(const Key& key) {
    // Upstream would append a key that is queued but not held a second time.
    SIM_CHECK(processing_.erase(key) == 1, "WorkQueue::done of a key that is not being processed");
    if (dirty_.count(key) != 0) fifo_.push_back(key);
  }

  // Keys queued for get() (upstream Len: neither parked nor held keys).
  std::size_t len() const { return fifo_.size(); }

  // Ignores further adds and drops parked keys; get() still drains the FIFO.
  void shut_down() {
    shutting_down_ = true;
    waiting_by_time_.clear();
    waiting_by_key_.clear();
  }
  bool shutting_down() const { return shutting_down_; }

  bool is_dirty(const Key& key) const { return dirty_.count(key) != 0; }
  bool is_processing(const Key& key) const { return processing_.count(key) != 0; }
  std::size_t num_processing() const { return processing_.size(); }

  // --- The delaying layer ---

  // Adds `key` once `delay` has passed; a key already parked keeps the
  // earlier of its two ready times.
  void add_after(const Key& key, sim::Duration delay, sim::Time now) {
    if (shutting_down_) return;
    if (delay <= sim::Duration::zero()) {
      add(key);
      return;
    }
    const Slot slot{now + delay, ++last_seq_};
    const auto [it, inserted] = waiting_by_key_.try_emplace(key, slot);
    if (!inserted) {
      if (it->second.ready_at <= slot.ready_at) return;
      waiting_by_time_.erase(it->second);
      it->second = slot;
    }
    waiting_by_time_.emplace(slot, key);
  }

  // Adds every parked key due at or before `now`, earliest first (ties in
  // the order their ready time was set). Returns how many were released.
  std::size_t promote_ready(sim::Time now) {
    std::size_t released = 0;
    while (!waiting_by_time_.empty() && waiting_by_time_.begin()->first.ready_at <= now) {
      auto node = waiting_by_time_.extract(waiting_by_time_.begin());
      waiting_by_key_.erase(node.mapped());
      add(node.mapped());
      ++released;
    }
    return released;
  }

  // When the earliest parked key comes due; nullopt if none is parked.
  std::optional<sim::Time> next_ready_time() const {
    if (waiting_by_time_.empty()) return std::nullopt;
    return waiting_by_time_.begin()->first.ready_at;
  }

  // Keys parked by add_after.
  std::size_t num_waiting() const { return waiting_by_key_.size(); }

  // Every key the queue still owes a sync: queued, held by a worker, or
  // parked; each once, in key order.
  std::set<Key> outstanding() const {
    std::set<Key> keys(dirty_.begin(), dirty_.end());
    keys.insert(processing_.begin(), processing_.end());
    for (const auto& [key, slot] : waiting_by_key_) keys.insert(key);
    return keys;
  }
  // When `key` is parked until; nullopt if it is not parked.
  std::optional<sim::Time> ready_time(const Key& key) const {
    const auto it = waiting_by_key_.find(key);
    if (it == waiting_by_key_.end()) return std::nullopt;
    return it->second.ready_at;
  }

  // --- The rate-limited layer ---

  // Parks `key` for the limiter's delay (and counts a failure).
  void add_rate_limited(const Key& key, sim::Time now) { add_after(key, limiter_->when(key, now), now); }
  void forget(const Key& key) { limiter_->forget(key); }
  std::int64_t num_requeues(const Key& key) const { return limiter_->num_requeues(key); }

  RateLimiter<Key>& rate_limiter() { return *limiter_; }

 private:
  struct Slot {
    sim::Time ready_at;
    std::uint64_t seq = 0;
    auto operator<=>(const Slot&) const = default;
  };

  std::deque<Key> fifo_;
  std::set<Key> dirty_;
  std::set<Key> processing_;
  bool shutting_down_ = false;

  std::map<Slot, Key> waiting_by_time_;
  std::map<Key, Slot> waiting_by_key_;
  std::uint64_t last_seq_ = 0;

  std::unique_ptr<RateLimiter<Key>> limiter_;
};

}  // namespace sasim::model::client
