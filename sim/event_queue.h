// EventQueue<T>: pending events in (time, sequence) order, with cancellation.
//
// Every push is stamped with the next sequence number, so two events due at
// the same instant pop in the order they were pushed: the total order that
// makes a run repeatable (a heap ordered by time alone, as in SimGrid's timer
// heap, leaves ties to chance).
//
// Values live in a slab; the heap holds only (time, sequence, slot), which
// keeps sift operations on small entries. Cancelling frees the slot at once
// and leaves the heap entry behind as a tombstone, recognised by its stale
// sequence number and skipped when it reaches the top; tombstones are swept
// out when they outnumber live events, so memory stays proportional to what is
// pending. Each slot's sequence number sits in a compact array of its own, so
// that telling tombstones apart stays in cache even when the values do not,
// and the value of the next event is prefetched as soon as it reaches the
// top. A 4-ary heap: half the depth of a binary heap, which suits pop-heavy
// simulation loops.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "sim/time.h"

namespace sasim::sim {

// Identifies one pushed event; stays valid (and harmless) after the event ran.
struct EventHandle {
  std::uint32_t slot = 0;
  std::uint64_t seq = 0;  // 0: no event
  bool valid() const { return seq != 0; }
};

template <class T>
class EventQueue {
 public:
  struct Popped {
    Time at;
    EventHandle handle;  // the handle push() returned for it
    T value;
  };

  // Schedules value at `at`. Sequence numbers start at 1 and never repeat.
  EventHandle push(Time at, const T& value) { return push(at, T(value)); }
  EventHandle push(Time at, T&& value) {
    const std::uint64_t seq = ++last_seq_;
    std::uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
      slot_seq_[slot] = seq;
      values_[slot] = std::move(value);
    } else {
      SIM_CHECK(values_.size() < UINT32_MAX, "too many pending events");
      slot = static_cast<std::uint32_t>(values_.size());
      slot_seq_.push_back(seq);
      values_.push_back(std::move(value));
    }
    heap_.push_back(Entry{at, seq, slot});
    sift_up(heap_.size() - 1);
    ++live_;
    return EventHandle{slot, seq};
  }

  // Removes a pending event. Returns false if it already ran or was cancelled.
  bool cancel(EventHandle handle) {
    if (!is_pending(handle)) return false;
    bury(handle.slot);
    if (tombstones_ > live_ + kSweepSlack) sweep();
    return true;
  }

  bool is_pending(EventHandle handle) const {
    return handle.valid() && handle.slot < slot_seq_.size() && slot_seq_[handle.slot] == handle.seq;
  }

  // The pending event with this handle, or nullptr.
  T* find(EventHandle handle) { return is_pending(handle) ? &values_[handle.slot] : nullptr; }

  // Cancels every pending event whose value satisfies pred; returns how many.
  // Walks the slab in slot order, which is deterministic.
  template <class Pred>
  std::size_t cancel_if(Pred pred) {
    std::size_t cancelled = 0;
    for (std::uint32_t slot = 0; slot < values_.size(); ++slot) {
      if (slot_seq_[slot] != 0 && pred(std::as_const(values_[slot]))) {
        bury(slot);
        ++cancelled;
      }
    }
    if (tombstones_ > live_ + kSweepSlack) sweep();
    return cancelled;
  }

  // Number of pending (not cancelled) events.
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

  // Time of the earliest pending event, or Time::never() if there is none.
  Time next_time() {
    drop_tombstones_on_top();
    return heap_.empty() ? Time::never() : heap_.front().at;
  }

  // Removes the earliest pending event and moves it into `out`; false if
  // there is none. (An out-parameter: the hot loop reuses one Popped.)
  bool pop(Popped& out) {
    drop_tombstones_on_top();
    if (heap_.empty()) return false;
    const Entry top = heap_.front();
    remove_top();
    if (!heap_.empty()) __builtin_prefetch(&values_[heap_.front().slot]);
    out.at = top.at;
    out.handle = EventHandle{top.slot, top.seq};
    out.value = std::move(values_[top.slot]);
    release(top.slot);
    return true;
  }

  std::optional<Popped> pop() {
    Popped popped;
    if (!pop(popped)) return std::nullopt;
    return popped;
  }

  std::uint64_t last_seq() const { return last_seq_; }

 private:
  static constexpr std::size_t kArity = 4;
  static constexpr std::size_t kSweepSlack = 1024;

  struct Entry {
    Time at;
    std::uint64_t seq;
    std::uint32_t slot;
    bool before(const Entry& other) const {
      return at != other.at ? at < other.at : seq < other.seq;
    }
  };
  // The value is left moved-from or reset by the caller.
  void release(std::uint32_t slot) {
    slot_seq_[slot] = 0;
    free_slots_.push_back(slot);
    --live_;
  }

  // Cancels a pending slot: its heap entry stays behind as a tombstone, but
  // what the event holds is freed now, not when the tombstone surfaces.
  void bury(std::uint32_t slot) {
    values_[slot] = T{};
    release(slot);
    ++tombstones_;
  }

  bool is_tombstone(const Entry& entry) const { return slot_seq_[entry.slot] != entry.seq; }

  void drop_tombstones_on_top() {
    if (tombstones_ == 0) return;  // the common case: nothing was cancelled
    while (!heap_.empty() && is_tombstone(heap_.front())) {
      remove_top();
      --tombstones_;
    }
  }

  void remove_top() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }

  void sift_up(std::size_t index) {
    const Entry moving = heap_[index];
    while (index > 0) {
      const std::size_t parent = (index - 1) / kArity;
      if (!moving.before(heap_[parent])) break;
      heap_[index] = heap_[parent];
      index = parent;
    }
    heap_[index] = moving;
  }

  void sift_down(std::size_t index) {
    const Entry moving = heap_[index];
    const std::size_t size = heap_.size();
    while (true) {
      const std::size_t first_child = index * kArity + 1;
      if (first_child >= size) break;
      const std::size_t last_child = std::min(first_child + kArity, size);
      std::size_t best = first_child;
      for (std::size_t child = first_child + 1; child < last_child; ++child) {
        if (heap_[child].before(heap_[best])) best = child;
      }
      if (!heap_[best].before(moving)) break;
      heap_[index] = heap_[best];
      index = best;
    }
    heap_[index] = moving;
  }

  // Rebuilds the heap from live entries only.
  void sweep() {
    std::vector<Entry> live;
    live.reserve(live_);
    for (const Entry& entry : heap_) {
      if (!is_tombstone(entry)) live.push_back(entry);
    }
    heap_ = std::move(live);
    tombstones_ = 0;
    for (std::size_t i = heap_.size() / kArity + 1; i-- > 0;) {
      if (i < heap_.size()) sift_down(i);
    }
  }

  std::vector<Entry> heap_;
  std::vector<std::uint64_t> slot_seq_;  // per slot: its event's sequence number, 0 while free
  std::vector<T> values_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;
  std::size_t tombstones_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace sasim::sim
