#include "reports/chrome_trace.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;

using nlohmann::json;
using sim::ActorId;
using sim::Duration;
using sim::EventOrigin;
using sim::Time;
using sim::TraceEntry;
using sim::TraceKind;
using sim::TraceLabel;

// The client sends two requests at once from its start; the server answers
// the first after 10 ms and the second after 20 ms.
RecordedTrace two_requests() {
  const ActorId client{0};
  const ActorId server{1};
  RecordedTrace trace;
  trace.actor_names = {"client", "server"};
  trace.entries = {
      TraceEntry{at_ms(0), 1, client, TraceKind::kStart, "start", EventOrigin{}},
      TraceEntry{at_ms(0), 2, server, TraceKind::kMessage, "GET a from client", EventOrigin{1, client, {}, false},
                 TraceLabel{"GET a", {{"from", "client"}}}},
      TraceEntry{at_ms(0), 3, server, TraceKind::kMessage, "GET b from client", EventOrigin{1, client, {}, false},
                 TraceLabel{"GET b", {{"from", "client"}}}},
      TraceEntry{at_ms(10), 4, server, TraceKind::kTimer, "timer", EventOrigin{2, {}, "latency", false}},
      TraceEntry{at_ms(10), 5, client, TraceKind::kMessage, "200 a from server", EventOrigin{4, server, {}, true},
                 TraceLabel{"200 a", {{"from", "server"}}}},
      TraceEntry{at_ms(20), 6, server, TraceKind::kTimer, "timer", EventOrigin{3, {}, "latency", false}},
      TraceEntry{at_ms(20), 7, client, TraceKind::kMessage, "200 b from server", EventOrigin{6, server, {}, true},
                 TraceLabel{"200 b", {{"from", "server"}}}},
      TraceEntry{at_ms(20), 7, client, TraceKind::kNote, "got b: 200", EventOrigin{}, TraceLabel{"got b"}},
  };
  return trace;
}

std::map<int, std::string> thread_names(const json& events) {
  std::map<int, std::string> names;
  for (const json& e : events) {
    if (e["ph"] == "M" && e["name"] == "thread_name") names[e["tid"].get<int>()] = e["args"]["name"];
  }
  return names;
}

TEST_CASE("chrome trace: tracks per actor with instants and flows and request slices") {
  const json doc = render_chrome_trace(two_requests(), "demo");
  REQUIRE(doc.contains("traceEvents"));
  CHECK(doc["displayTimeUnit"] == "ns");
  const json& events = doc["traceEvents"];
  const auto names = thread_names(events);

  int instants = 0;
  std::multiset<std::uint64_t> starts;
  std::multiset<std::uint64_t> ends;
  std::vector<json> slices;
  std::vector<json> notes;
  for (const json& e : events) {
    if (e["ph"] == "i") {
      ++instants;
      CHECK(e["s"] == "t");
      if (e["args"]["text"] == "got b: 200") notes.push_back(e);
    }
    if (e["ph"] == "s") starts.insert(e["id"].get<std::uint64_t>());
    if (e["ph"] == "f") {
      ends.insert(e["id"].get<std::uint64_t>());
      CHECK(e["bp"] == "e");
    }
    if (e["ph"] == "X") slices.push_back(e);
  }
  CHECK(instants == 8);  // seven events and the note
  // A note is named by its kind (its label), its whole line kept in the args.
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["name"] == "note: got b");
  CHECK(starts == std::multiset<std::uint64_t>{2, 3, 4, 5, 6, 7});  // one arrow into every caused event
  CHECK(starts == ends);

  // Two requests, each as the client's request and the server's work, and
  // the server's two labelled waits.
  REQUIRE(slices.size() == 6);
  std::map<std::string, std::vector<std::pair<double, double>>> by_track;
  std::map<std::string, std::set<std::string>> names_by_track;
  for (const json& s : slices) {
    by_track[names.at(s["tid"].get<int>())].emplace_back(s["ts"].get<double>(), s["dur"].get<double>());
    names_by_track[names.at(s["tid"].get<int>())].insert(s["name"].get<std::string>());
  }
  // Overlapping requests of one actor land on separate tracks.
  using Spans = std::vector<std::pair<double, double>>;
  CHECK(by_track["client requests"] == Spans{{0.0, 20000.0}});
  CHECK(by_track["client requests #2"] == Spans{{0.0, 10000.0}});
  CHECK(by_track["server serving"] == Spans{{0.0, 20000.0}});
  CHECK(by_track["server serving #2"] == Spans{{0.0, 10000.0}});
  CHECK(by_track["server waits"] == Spans{{0.0, 20000.0}});
  CHECK(by_track["server waits #2"] == Spans{{0.0, 10000.0}});
  // The request and the server's work on it never share a name.
  CHECK(names_by_track["client requests"] == std::set<std::string>{"GET b"});
  CHECK(names_by_track["server serving"] == std::set<std::string>{"serve GET b"});
  CHECK(names_by_track["server waits"] == std::set<std::string>{"latency"});
}

TEST_CASE("chrome trace: names come from labels and details go into args") {
  RecordedTrace trace = two_requests();
  // As the engine records them: a stable name, the object in the args.
  trace.entries[1].label = sim::TraceLabel{"GET secrets", {{"namespace", "ns-1"}, {"name", "a"}}};
  trace.entries[2].label = sim::TraceLabel{"GET secrets", {{"namespace", "ns-2"}, {"name", "b"}}};
  const json doc = render_chrome_trace(trace, "demo");
  std::vector<json> gets;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "i" && e["args"].value("seq", 0) != 0 && (e["args"]["seq"] == 2 || e["args"]["seq"] == 3)) {
      gets.push_back(e);
    }
  }
  REQUIRE(gets.size() == 2);
  CHECK(gets[0]["name"] == "message: GET secrets");
  CHECK(gets[1]["name"] == "message: GET secrets");
  CHECK(gets[0]["args"]["namespace"] == "ns-1");
  CHECK(gets[1]["args"]["name"] == "b");
  int request_slices = 0;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && e["cat"] == "request") {
      ++request_slices;
      CHECK(e["name"] == "GET secrets");
    }
  }
  CHECK(request_slices == 2);
}

TEST_CASE("chrome trace: the scenario's steps are slices on the harness steps track") {
  std::vector<StepRecord> steps(2);
  steps[0].index = 0;
  steps[0].action = "create";
  steps[0].start = at_ms(0);
  steps[0].end = at_ms(10);
  steps[1].index = 1;
  steps[1].name = "the token works";
  steps[1].action = "authenticate";
  steps[1].start = at_ms(10);
  steps[1].end = at_ms(20);
  const json doc = render_chrome_trace(two_requests(), "demo", &steps);
  const auto names = thread_names(doc["traceEvents"]);
  std::vector<json> on_steps;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && names.at(e["tid"].get<int>()) == "harness steps") on_steps.push_back(e);
  }
  REQUIRE(on_steps.size() == 2);
  CHECK(on_steps[0]["name"] == "step 0: create");
  CHECK(on_steps[1]["name"] == "step 1: the token works (authenticate)");
  CHECK(on_steps[1]["ts"] == 10000.0);
  CHECK(on_steps[1]["dur"] == 10000.0);
}

TEST_CASE("chrome trace: a message that is not a reply makes no request slice") {
  RecordedTrace trace = two_requests();
  for (TraceEntry& e : trace.entries) e.origin.reply = false;
  const json doc = render_chrome_trace(trace, "demo");
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "X") CHECK(e["cat"] == "wait");
  }
}

}  // namespace
}  // namespace sasim::reports
