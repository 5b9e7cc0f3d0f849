// Critical paths on the causal graph of a recorded trace.
//
// Every recorded event is a vertex; every event has an edge from the event
// during whose dispatch it was scheduled (its cause), weighted with the
// simulated time between the two and labelled with why that time passed:
// the actor that waited and the wait's category ("client rate limit",
// "apiserver latency", "watch lag"...). For a span instance given as its
// start time and its end event, the critical path is the chain of causes
// that led to the end event, back to the first event at or after the start;
// the time between the start and that first event is charged to the edge
// that reached it (or, for an event with no cause, to the harness). Each
// segment's time goes to a contributor, "ACTOR CATEGORY", and contributors
// are sorted by their share of the span.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/time.h"
#include "sim/trace.h"

namespace sasim::reports {

struct PathSegment {
  std::string actor;     // who waited (the effect's actor), "harness" for the harness
  std::string category;  // why ("client rate limit"); "message", "timer" or "scheduled" when unlabelled
  sim::Duration duration{};
  std::string what;      // the event that ended the wait, as the trace describes it
};

struct Contributor {
  std::string label;  // "tokens-controller client rate limit"
  sim::Duration total{};
  double share = 0;   // of the span's duration, 0..1
};

struct CriticalPath {
  std::vector<PathSegment> chain;           // in time order; durations add up to `span`
  std::vector<Contributor> contributors;    // largest first; only those with time
  sim::Duration span{};                     // end event's time - start (zero if the end is unknown)
  // "80 % tokens-controller client rate limit", or "" when there is no time to explain.
  std::string biggest() const;
};

// Text for people: the span, its contributors, and the chain with
// consecutive segments of one contributor merged ("x300"), zero-length
// hops left out, at most `max_rows` rows of chain.
std::string render_critical_path(const CriticalPath& path, std::size_t max_rows = 20);

class CausalGraph {
 public:
  explicit CausalGraph(const std::vector<sim::TraceEntry>& entries, std::vector<std::string> actor_names);
  ~CausalGraph();
  CausalGraph(CausalGraph&&) noexcept;
  CausalGraph& operator=(CausalGraph&&) noexcept;

  // The chain that ended in event `end_seq`, from `start` on. An unknown
  // end event, or one before `start`, gives an empty path.
  CriticalPath critical_path(sim::Time start, std::uint64_t end_seq) const;

  std::size_t events() const;

 private:
  struct Impl;  // keeps Boost.Graph out of this header
  std::unique_ptr<Impl> impl_;
};

}  // namespace sasim::reports
