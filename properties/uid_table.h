// UidTable<V>: records kept by object UID, for checks that only ever look
// a UID up (never iterate, so no order can reach a result) and never forget
// one.
//
// Why not std::unordered_map<std::string, V>: with a hundred thousand
// accounts its lookups and inserts were most of the invariant checker's
// time. Each lookup walked a chain of separately allocated nodes, and each
// growth rehashed every node, a cache miss apiece. Here a lookup probes a
// flat array of (hash, index) slots, usually one cache line, then reads the
// one record whose full 64-bit hash matched; growing re-slots the flat array
// alone. Records live in a deque, so their addresses stay valid as the
// table grows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sasim::properties {

template <class V>
class UidTable {
 public:
  // The record of `uid`, or nullptr.
  const V* find(std::string_view uid) const {
    const std::uint64_t hash = hash_of(uid);
    const Slot* slot = probe(uid, hash);
    return slot == nullptr || slot->index == kEmpty ? nullptr : &entries_[slot->index].value;
  }
  V* find(std::string_view uid) { return const_cast<V*>(std::as_const(*this).find(uid)); }

  // The record of `uid`, made with V's default if absent; `added` says which.
  V& get_or_add(std::string_view uid, bool* added = nullptr) {
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t hash = hash_of(uid);
    Slot* slot = const_cast<Slot*>(probe(uid, hash));
    if (added != nullptr) *added = slot->index == kEmpty;
    if (slot->index == kEmpty) {
      slot->hash = hash;
      slot->index = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(Entry{std::string(uid), V{}});
    }
    return entries_[slot->index].value;
  }
  V& operator[](std::string_view uid) { return get_or_add(uid); }

  // Adds `uid`; false if it was already there.
  bool insert(std::string_view uid) {
    bool added = false;
    get_or_add(uid, &added);
    return added;
  }

  std::size_t size() const { return entries_.size(); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t index = kEmpty;  // into entries_
  };
  struct Entry {
    std::string uid;
    V value;
  };

  static std::uint64_t hash_of(std::string_view uid) { return std::hash<std::string_view>{}(uid); }

  // The slot holding `uid`, or the empty slot where it would go (linear
  // probing; the table is at most half full, so there is always one).
  // nullptr only while the table has no slots.
  const Slot* probe(std::string_view uid, std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index == kEmpty) return &slot;
      if (slot.hash == hash && entries_[slot.index].uid == uid) return &slot;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.index == kEmpty) continue;
      std::size_t i = slot.hash & mask;
      while (slots_[i].index != kEmpty) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most half used
  std::deque<Entry> entries_;
};

}  // namespace sasim::properties
