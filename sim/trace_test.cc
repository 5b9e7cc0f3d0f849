#include "sim/trace.h"

#include <catch2/catch.hpp>

namespace sasim::sim {
namespace {

Trace sample_trace(std::string_view note_text, bool recording) {
  Trace trace;
  trace.set_recording(recording);
  trace.event(Time::zero(), 1, ActorId{0}, TraceKind::kStart, 0, [] { return std::string("start"); });
  trace.event(Time::from_start(Duration::milliseconds(2)), 2, ActorId{1}, TraceKind::kMessage, 7,
              [] { return std::string("ping"); });
  trace.note(Time::from_start(Duration::milliseconds(2)), 2, ActorId{1}, "greeting", note_text);
  return trace;
}

TEST_CASE("the digest depends on every field and on note text", "[trace]") {
  const std::uint64_t base = sample_trace("hello", false).digest();
  CHECK(base == sample_trace("hello", false).digest());
  CHECK(base != sample_trace("hellp", false).digest());
  CHECK(base != sample_trace("", false).digest());

  auto with = [](std::int64_t ms, std::uint64_t seq, std::uint32_t actor, TraceKind kind, std::uint64_t detail) {
    Trace trace;
    trace.event(Time::from_start(Duration::milliseconds(ms)), seq, ActorId{actor}, kind, detail, [] { return std::string(); });
    return trace.digest();
  };
  const std::uint64_t reference = with(1, 1, 1, TraceKind::kTimer, 1);
  CHECK(reference != with(2, 1, 1, TraceKind::kTimer, 1));
  CHECK(reference != with(1, 2, 1, TraceKind::kTimer, 1));
  CHECK(reference != with(1, 1, 2, TraceKind::kTimer, 1));
  CHECK(reference != with(1, 1, 1, TraceKind::kMessage, 1));
  CHECK(reference != with(1, 1, 1, TraceKind::kTimer, 2));
}

TEST_CASE("recording keeps entries without changing the digest", "[trace]") {
  const Trace quiet = sample_trace("hello", false);
  const Trace loud = sample_trace("hello", true);
  CHECK(quiet.digest() == loud.digest());
  CHECK(quiet.entries().empty());
  REQUIRE(loud.entries().size() == 3);
  CHECK(loud.entries()[1].text == "ping");
  CHECK(loud.entries()[2].kind == TraceKind::kNote);
  CHECK(loud.entries()[2].text == "hello");
  // A note's kind is its label, for renderings to group by without parsing
  // the text; the kind is not hashed (the text already says it to people).
  CHECK(loud.entries()[2].label.name == "greeting");
}

TEST_CASE("a note's kind is recorded but not hashed", "[trace]") {
  Trace one;
  Trace other;
  one.note(Time::zero(), 1, ActorId{0}, "kind-a", "same text");
  other.note(Time::zero(), 1, ActorId{0}, "kind-b", "same text");
  CHECK(one.digest() == other.digest());
}

TEST_CASE("digests print as 16 hex digits", "[trace]") {
  Digest digest;
  CHECK(digest.hex() == "0000000000000000");
  digest.add(std::uint64_t{1});
  CHECK(digest.hex().size() == 16);
  CHECK(digest.hex().find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(trace_kind_name(TraceKind::kCrash) == "crash");
}

}  // namespace
}  // namespace sasim::sim
