#include "sim/trace.h"

#include <algorithm>

namespace sasim::sim {

std::string_view trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::kStart: return "start";
    case TraceKind::kMessage: return "message";
    case TraceKind::kTimer: return "timer";
    case TraceKind::kCall: return "call";
    case TraceKind::kCrash: return "crash";
    case TraceKind::kRestart: return "restart";
    case TraceKind::kDrop: return "drop";
    case TraceKind::kNote: return "note";
  }
  return "unknown";
}

void Digest::add(std::string_view text) {
  add(static_cast<std::uint64_t>(text.size()));
  for (std::size_t pos = 0; pos < text.size(); pos += 8) {
    std::uint64_t word = 0;
    const std::size_t n = std::min<std::size_t>(8, text.size() - pos);
    // Little-endian assembly by hand, so the digest does not depend on the host's byte order.
    for (std::size_t i = 0; i < n; ++i) {
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[pos + i])) << (8 * i);
    }
    add(word);
  }
}

std::string Digest::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i) out[static_cast<std::size_t>(i)] = kDigits[(state_ >> (60 - 4 * i)) & 0xF];
  return out;
}

void Trace::note(Time time, std::uint64_t seq, ActorId actor, std::string_view kind, std::string_view text) {
  hash_fields(time, seq, actor, TraceKind::kNote, 0);
  digest_.add(text);
  if (recording_) {
    entries_.push_back(TraceEntry{time, seq, actor, TraceKind::kNote, std::string(text), EventOrigin{},
                                  TraceLabel{std::string(kind)}});
  }
}

}  // namespace sasim::sim
