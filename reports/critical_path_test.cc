#include "reports/critical_path.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;

using sim::ActorId;
using sim::Duration;
using sim::EventOrigin;
using sim::Time;
using sim::TraceEntry;
using sim::TraceKind;

// A client waits 80 ms for its rate limiter, asks the server, which takes
// 15 ms; the client then spends 5 ms of CPU. The harness pokes the server at
// 50 ms, unrelated to the chain.
std::vector<TraceEntry> request_trace() {
  const ActorId client{0};
  const ActorId server{1};
  return {
      TraceEntry{at_ms(0), 1, client, TraceKind::kStart, "start", EventOrigin{}},
      TraceEntry{at_ms(50), 7, server, TraceKind::kMessage, "poke from harness", EventOrigin{}},
      TraceEntry{at_ms(80), 2, client, TraceKind::kTimer, "timer", EventOrigin{1, {}, "client rate limit", false}},
      TraceEntry{at_ms(80), 2, client, TraceKind::kNote, "a note shares its event's seq", EventOrigin{}},
      TraceEntry{at_ms(80), 3, server, TraceKind::kMessage, "GET x from client", EventOrigin{2, client, {}, false}},
      TraceEntry{at_ms(95), 4, server, TraceKind::kTimer, "timer", EventOrigin{3, {}, "apiserver latency", false}},
      TraceEntry{at_ms(95), 5, client, TraceKind::kMessage, "200 from server", EventOrigin{4, server, {}, true}},
      TraceEntry{at_ms(100), 6, client, TraceKind::kTimer, "synced", EventOrigin{5, {}, "sync CPU", false}},
  };
}

CausalGraph request_graph() { return CausalGraph(request_trace(), {"client", "server"}); }

TEST_CASE("critical path: the chain of causes and its contributors on a hand-made trace") {
  const CausalGraph graph = request_graph();
  CHECK(graph.events() == 7);  // the note is not an event
  const CriticalPath path = graph.critical_path(at_ms(0), 6);
  CHECK(path.span == Duration::milliseconds(100));
  REQUIRE(path.chain.size() == 5);
  CHECK(path.chain[0].actor == "client");
  CHECK(path.chain[0].category == "client rate limit");
  CHECK(path.chain[0].duration == Duration::milliseconds(80));
  CHECK(path.chain[1].actor == "server");
  CHECK(path.chain[1].category == "message");
  CHECK(path.chain[1].what == "GET x from client");
  CHECK(path.chain[2].category == "apiserver latency");
  CHECK(path.chain[2].duration == Duration::milliseconds(15));
  CHECK(path.chain[4].what == "end of synced");
  Duration sum{};
  for (const PathSegment& s : path.chain) sum = sum + s.duration;
  CHECK(sum == path.span);

  REQUIRE(path.contributors.size() == 3);  // zero-length hops are not contributors
  CHECK(path.contributors[0].label == "client client rate limit");
  CHECK(path.contributors[0].share == Approx(0.80));
  CHECK(path.contributors[1].label == "server apiserver latency");
  CHECK(path.contributors[1].total == Duration::milliseconds(15));
  CHECK(path.contributors[2].label == "client sync CPU");
  CHECK(path.contributors[2].share == Approx(0.05));
  CHECK(path.biggest() == "80 % client client rate limit");
}

TEST_CASE("critical path: a wait under way at the start is charged for its part in the span") {
  const CriticalPath path = request_graph().critical_path(at_ms(30), 6);
  CHECK(path.span == Duration::milliseconds(70));
  REQUIRE_FALSE(path.chain.empty());
  CHECK(path.chain[0].category == "client rate limit");
  CHECK(path.chain[0].duration == Duration::milliseconds(50));
  CHECK(path.contributors[0].share == Approx(50.0 / 70.0));
}

TEST_CASE("critical path: an event with no cause charges the time before it to the harness") {
  const CriticalPath path = request_graph().critical_path(at_ms(10), 7);
  REQUIRE(path.chain.size() == 1);
  CHECK(path.chain[0].actor == "harness");
  CHECK(path.chain[0].category == "steps");
  CHECK(path.chain[0].duration == Duration::milliseconds(40));
  CHECK(path.biggest() == "100 % harness steps");
}

TEST_CASE("critical path: rendered for people with merged runs of one contributor") {
  const std::string text = render_critical_path(request_graph().critical_path(at_ms(0), 6));
  CHECK(text.rfind("span 100ms: 80 % client client rate limit\n", 0) == 0);
  CHECK(text.find("15ms  server apiserver latency") != std::string::npos);
  CHECK(text.find("(until: end of synced)") != std::string::npos);
  // Two waits of one contributor in a row become one row.
  std::vector<TraceEntry> entries = request_trace();
  entries.push_back(TraceEntry{at_ms(130), 8, ActorId{0}, TraceKind::kTimer, "again",
                               EventOrigin{6, {}, "sync CPU", false}});
  const std::string merged = render_critical_path(CausalGraph(entries, {"client", "server"}).critical_path(at_ms(0), 8));
  CHECK(merged.find("35ms  client sync CPU x2") != std::string::npos);
  const std::string short_text = render_critical_path(request_graph().critical_path(at_ms(0), 6), 1);
  CHECK(short_text.find("... 2 more") != std::string::npos);
  // A timer is told by the message it led to.
  std::vector<TraceEntry> tagged = request_trace();
  tagged[2].text = "timer tag 9";
  const CriticalPath told = CausalGraph(tagged, {"client", "server"}).critical_path(at_ms(0), 6);
  CHECK(told.chain[0].what == "then GET x from client");
}

// A client that waits 50 ms for its rate limiter before each of `n`
// requests in a row, each served in 2 ms: a rate-limited chain.
std::vector<TraceEntry> rate_limited_trace(int n) {
  const ActorId client{0};
  const ActorId server{1};
  std::vector<TraceEntry> entries{TraceEntry{at_ms(0), 1, client, TraceKind::kStart, "start", EventOrigin{}}};
  std::uint64_t seq = 1;
  std::int64_t now = 0;
  for (int i = 0; i < n; ++i) {
    now += 50;
    entries.push_back(TraceEntry{at_ms(now), seq + 1, client, TraceKind::kTimer, "client rate limit",
                                 EventOrigin{seq, {}, "client rate limit", false}});
    entries.push_back(TraceEntry{at_ms(now), seq + 2, server, TraceKind::kMessage,
                                 "GET secrets ns/s-" + std::to_string(i) + " from client",
                                 EventOrigin{seq + 1, client, {}, false}});
    now += 2;
    entries.push_back(TraceEntry{at_ms(now), seq + 3, server, TraceKind::kTimer, "request latency",
                                 EventOrigin{seq + 2, {}, "request latency", false}});
    entries.push_back(TraceEntry{at_ms(now), seq + 4, client, TraceKind::kMessage, "200 from server",
                                 EventOrigin{seq + 3, server, {}, true}});
    seq += 4;
  }
  return entries;
}

TEST_CASE("critical path: a long rate-limited chain is shown as one row of repeated waits") {
  const std::vector<TraceEntry> entries = rate_limited_trace(300);
  const CausalGraph graph(entries, {"client", "server"});
  const CriticalPath path = graph.critical_path(at_ms(0), entries.back().seq);
  CHECK(path.span == Duration::milliseconds(300 * 52));
  const std::string text = render_critical_path(path);
  // Every wait is accounted for in one row and its folded hops, none hidden.
  CHECK(text.find("15s  client client rate limit x300  (until: then GET secrets ns/s-299 from client)") !=
        std::string::npos);
  CHECK(text.find("600ms  + 300 shorter waits between them: server request latency x300 600ms") !=
        std::string::npos);
  CHECK(text.find("more, shorter") == std::string::npos);
}

TEST_CASE("critical path: a long wait of another kind ends a row of repeated waits") {
  std::vector<TraceEntry> entries = rate_limited_trace(3);
  // After the third answer the client waits 5 s to start a pod.
  entries.push_back(TraceEntry{at_ms(5156), 14, ActorId{0}, TraceKind::kTimer, "pod start",
                               EventOrigin{13, {}, "pod start", false}});
  const std::string text = render_critical_path(CausalGraph(entries, {"client", "server"}).critical_path(at_ms(0), 14));
  CHECK(text.find("150ms  client client rate limit x3") != std::string::npos);
  CHECK(text.find("5s  client pod start") != std::string::npos);
}

TEST_CASE("critical path: an unknown end event or one before the start gives an empty path") {
  const CausalGraph graph = request_graph();
  CHECK(graph.critical_path(at_ms(0), 99).chain.empty());
  const CriticalPath early = graph.critical_path(at_ms(90), 2);
  CHECK(early.chain.empty());
  CHECK(early.span == Duration::zero());
  CHECK(early.biggest().empty());
}

}  // namespace
}  // namespace sasim::reports
