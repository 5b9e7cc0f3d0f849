// The trace: what happened, in order, and a digest of it.
//
// Every dispatched event enters the running 64-bit digest through its
// (time, sequence, actor, kind, detail) fields, and every note through its
// text, so two runs with equal digests took the same path (FoundationDB's
// "unseed" check, made continuous). Hashing integers costs a few
// multiplications per event; texts are built only when entries are being
// recorded, which is off unless asked for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"
#include "sim/wait_category.h"

namespace sasim::sim {

enum class TraceKind : std::uint8_t {
  kStart,    // an actor started
  kMessage,  // a message was delivered
  kTimer,    // a timer fired
  kCall,     // a scheduled callback ran
  kCrash,    // an actor crashed
  kRestart,  // an actor restarted
  kDrop,     // a message was dropped (receiver down or link fault)
  kNote,     // free text written by an actor or the harness
};

std::string_view trace_kind_name(TraceKind kind);

// Where an event came from: kept in recorded entries for causal analysis
// (critical paths, flows in exported traces) but never hashed, so the digest
// of a run does not depend on it.
struct EventOrigin {
  std::uint64_t cause = 0;      // seq of the event during whose dispatch it was scheduled; 0: from outside
  ActorId from{};               // a message's sender (none: the harness, or not a message)
  WaitCategory category{};      // why it waited between being scheduled and happening
  bool reply = false;           // a message sent as a reply to a request (Context::reply, reply_to)
};

// Details that tell one event from others of its kind ("namespace", "name",
// "resourceVersion"), as key and value, in a fixed order.
using TraceArgs = std::vector<std::pair<std::string, std::string>>;

// What an event is, for people grouping events in a trace viewer: a name
// shared by every event of its kind ("GET serviceaccounts", "watch MODIFIED
// secret", "client rate limit"), and the details that make this one
// different. Built only when recording.
struct TraceLabel {
  std::string name;
  TraceArgs args{};
};

struct TraceEntry {
  Time time;
  std::uint64_t seq = 0;  // the event's sequence number; a note carries its event's
  ActorId actor;
  TraceKind kind = TraceKind::kNote;
  std::string text;       // one line for people: name and details together
  EventOrigin origin{};   // events only; a note's is empty
  TraceLabel label{};     // events only; empty name: `text` is all there is
};

// A 64-bit running hash (splitmix64's finaliser as the mixing step). Not
// cryptographic: it detects divergence, it does not resist forgery.
class Digest {
 public:
  void add(std::uint64_t word) {
    std::uint64_t z = state_ + word + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    state_ = z ^ (z >> 31);
  }
  void add(std::string_view text);
  std::uint64_t value() const { return state_; }
  // 16 lowercase hex digits.
  std::string hex() const;

 private:
  std::uint64_t state_ = 0;
};

class Trace {
 public:
  // Keeps every entry (with text) from now on; the digest is kept regardless.
  void set_recording(bool recording) { recording_ = recording; }
  bool recording() const { return recording_; }

  // Hot path for events: hashes the fields, and builds the text with
  // make_text() only when recording.
  template <class MakeText>
  void event(Time time, std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t detail,
             MakeText&& make_text) {
    event(time, seq, actor, kind, detail, [] { return EventOrigin{}; }, static_cast<MakeText&&>(make_text));
  }
  // The same, with where the event came from (recorded, not hashed), also
  // built only when recording.
  template <class MakeOrigin, class MakeText>
  void event(Time time, std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t detail,
             MakeOrigin&& make_origin, MakeText&& make_text) {
    event(time, seq, actor, kind, detail, static_cast<MakeOrigin&&>(make_origin), static_cast<MakeText&&>(make_text),
          [] { return TraceLabel{}; });
  }
  // The same, with the event's label (also built only when recording).
  template <class MakeOrigin, class MakeText, class MakeLabel>
  void event(Time time, std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t detail,
             MakeOrigin&& make_origin, MakeText&& make_text, MakeLabel&& make_label) {
    hash_fields(time, seq, actor, kind, detail);
    ++events_;
    if (recording_) entries_.push_back(TraceEntry{time, seq, actor, kind, make_text(), make_origin(), make_label()});
  }

  // A note: its text always enters the digest. `kind` names what sort of
  // note it is, the same for every note of its sort ("tokens-controller",
  // "fault start"), and is recorded as the entry's label so that renderings
  // group notes without parsing their text; it is not hashed.
  void note(Time time, std::uint64_t seq, ActorId actor, std::string_view kind, std::string_view text);

  std::uint64_t digest() const { return digest_.value(); }
  std::string digest_hex() const { return digest_.hex(); }
  std::uint64_t event_count() const { return events_; }
  const std::vector<TraceEntry>& entries() const { return entries_; }
  // Hands the recorded entries over (the trace keeps recording, from empty).
  std::vector<TraceEntry> take_entries() { return std::exchange(entries_, {}); }

 private:
  // Two words per event: the fields are folded with odd multipliers first,
  // which keeps them distinguishable at half the mixing cost.
  void hash_fields(Time time, std::uint64_t seq, ActorId actor, TraceKind kind, std::uint64_t detail) {
    digest_.add(static_cast<std::uint64_t>(time.ns()) ^ (seq * 0xD6E8FEB86659FD93ULL));
    digest_.add(((static_cast<std::uint64_t>(actor.value) << 8) | static_cast<std::uint64_t>(kind)) ^
                (detail * 0x9E3779B97F4A7C15ULL));
  }

  Digest digest_;
  bool recording_ = false;
  std::uint64_t events_ = 0;
  std::vector<TraceEntry> entries_;
};

}  // namespace sasim::sim
