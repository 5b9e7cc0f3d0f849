#include "reports/critical_path.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/property_map/property_map.hpp>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <string_view>

#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

struct EventVertex {
  std::uint64_t seq = 0;
  sim::Time time{};
  std::string what{};
  bool timer = false;
};

// cause -> effect: the effect's actor waited `weight` for `category`.
struct CauseEdge {
  sim::Duration weight{};
  std::string actor{};
  std::string category{};
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, EventVertex, CauseEdge>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

std::string unlabelled_category(sim::TraceKind kind) {
  switch (kind) {
    case sim::TraceKind::kMessage:
    case sim::TraceKind::kDrop: return "message";
    case sim::TraceKind::kTimer: return "timer";
    default: return "scheduled";
  }
}

// Only edges whose cause lies at or after the span's start: the search back
// from the end event stops at the first event of the span.
struct FromStart {
  const Graph* graph = nullptr;
  sim::Time start{};
  bool operator()(const Edge& edge) const { return (*graph)[boost::source(edge, *graph)].time >= start; }
};

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + " %";
}

}  // namespace

struct CausalGraph::Impl {
  Graph graph;
  std::map<std::uint64_t, Vertex> by_seq;
  std::vector<std::string> actor_names;
};

std::string CriticalPath::biggest() const {
  if (contributors.empty()) return "";
  return percent(contributors.front().share) + " " + contributors.front().label;
}

namespace {

// One row of a rendered chain: consecutive waits of one contributor, with
// the short hops between them (a request's latency between two rate-limiter
// waits) folded in, so that a chain of hundreds of alternating hops reads as
// "N x tokens-controller client rate limit".
struct ChainRow {
  std::string label;
  std::size_t count = 0;
  sim::Duration total{};
  std::string until;  // what ended the row's last wait
  std::map<std::string, std::pair<std::size_t, sim::Duration>> between;  // folded hops by contributor
  sim::Duration between_total{};
  std::size_t between_count = 0;
};

std::vector<ChainRow> group_chain(const std::vector<PathSegment>& chain) {
  std::vector<const PathSegment*> segments;
  for (const PathSegment& s : chain) {
    if (s.duration > sim::Duration::zero()) segments.push_back(&s);
  }
  auto label_of = [](const PathSegment& s) { return s.actor + " " + s.category; };
  std::vector<ChainRow> rows;
  std::size_t i = 0;
  while (i < segments.size()) {
    ChainRow row{label_of(*segments[i]), 1, segments[i]->duration, segments[i]->what, {}, {}, 0};
    std::vector<const PathSegment*> pending;
    sim::Duration pending_total{};
    std::size_t last = i;
    auto fold = [&] {
      for (const PathSegment* hop : pending) {
        auto& [count, total] = row.between[label_of(*hop)];
        ++count;
        total = total + hop->duration;
        ++row.between_count;
        row.between_total = row.between_total + hop->duration;
      }
      pending.clear();
    };
    bool ended = true;
    for (std::size_t j = i + 1; j < segments.size(); ++j) {
      const PathSegment& s = *segments[j];
      if (label_of(s) == row.label) {
        fold();
        pending_total = sim::Duration::zero();
        ++row.count;
        row.total = row.total + s.duration;
        row.until = s.what;
        last = j;
        continue;
      }
      // A hop no longer than the row's average wait, while the hops since
      // its last wait add up to less than the row itself, is folded in if
      // the row's wait comes again; anything longer ends the row.
      const sim::Duration mean = sim::Duration::nanoseconds(row.total.ns() / static_cast<std::int64_t>(row.count));
      if (s.duration > mean || pending_total + s.duration > row.total) {
        ended = false;
        break;
      }
      pending.push_back(&s);
      pending_total = pending_total + s.duration;
    }
    // Short hops after the row's last wait that end the chain belong to it
    // when they are of the kinds already folded in between its waits.
    bool trailing_hops = ended && !pending.empty();
    for (const PathSegment* hop : pending) trailing_hops = trailing_hops && row.between.contains(label_of(*hop));
    if (trailing_hops) {
      fold();
      last = segments.size() - 1;
    }
    rows.push_back(std::move(row));
    i = last + 1;
  }
  return rows;
}

}  // namespace

std::string render_critical_path(const CriticalPath& path, std::size_t max_rows) {
  std::string out = "span " + sim::format_duration(path.span);
  if (!path.contributors.empty()) out += ": " + path.biggest();
  out += "\n";
  for (const Contributor& c : path.contributors) {
    out += fmt::format("  {:>5}  {:>14}  {}\n", percent(c.share), sim::format_duration(c.total), c.label);
  }
  // Rows of less than 1 % of the span are counted, not listed.
  out += "  chain:\n";
  std::size_t shown = 0;
  std::size_t hidden = 0;
  for (const ChainRow& r : group_chain(path.chain)) {
    if (shown == max_rows || (r.total + r.between_total).ns() * 100 < path.span.ns()) {
      ++hidden;
      continue;
    }
    ++shown;
    out += fmt::format("    {:>14}  {}{}  (until: {})\n", sim::format_duration(r.total), r.label,
                       r.count > 1 ? " x" + std::to_string(r.count) : "", r.until);
    if (r.between_count > 0) {
      std::string hops;
      for (const auto& [label, count_total] : r.between) {
        hops += fmt::format("{}{}{} {}", hops.empty() ? "" : ", ", label,
                            count_total.first > 1 ? " x" + std::to_string(count_total.first) : "",
                            sim::format_duration(count_total.second));
      }
      out += fmt::format("    {:>14}  + {} shorter wait{} between them: {}\n", sim::format_duration(r.between_total),
                         r.between_count, r.between_count == 1 ? "" : "s", hops);
    }
  }
  if (hidden > 0) out += fmt::format("    ... {} more, shorter or past {} rows\n", hidden, max_rows);
  return out;
}

CausalGraph::CausalGraph(const std::vector<sim::TraceEntry>& entries, std::vector<std::string> actor_names)
    : impl_(std::make_unique<Impl>()) {
  impl_->actor_names = std::move(actor_names);
  auto name_of = [this](sim::ActorId id) {
    return id.valid() && id.value < impl_->actor_names.size() ? impl_->actor_names[id.value] : std::string("harness");
  };
  // Notes share their event's seq; a link drop traced while its sender's
  // event runs shares that event's seq too. The first entry is the event.
  std::vector<bool> timer_told;  // per vertex: a timer whose text already says what followed it
  for (const sim::TraceEntry& e : entries) {
    if (e.kind == sim::TraceKind::kNote || impl_->by_seq.contains(e.seq)) continue;
    // A timer that leads to no message is told by the wait it ends.
    const bool timer = e.kind == sim::TraceKind::kTimer;
    const Vertex v = boost::add_vertex(EventVertex{e.seq, e.time, timer ? "end of " + e.text : e.text, timer},
                                       impl_->graph);
    impl_->by_seq.emplace(e.seq, v);
    timer_told.push_back(false);
    const auto cause = impl_->by_seq.find(e.origin.cause);
    if (e.origin.cause == 0 || cause == impl_->by_seq.end()) continue;
    // A timer's own text says what it waited for, which its edge already
    // says; what it led to says more ("then CREATE secrets ..."), so the
    // first message it caused describes it.
    EventVertex& cause_vertex = impl_->graph[cause->second];
    if (e.kind == sim::TraceKind::kMessage && !timer_told[cause->second] && cause_vertex.timer) {
      cause_vertex.what = "then " + e.text;
      timer_told[cause->second] = true;
    }
    const sim::Duration weight = e.time - impl_->graph[cause->second].time;
    const std::string category =
        e.origin.category.empty() ? unlabelled_category(e.kind) : std::string(e.origin.category.name());
    boost::add_edge(cause->second, v, CauseEdge{weight, name_of(e.actor), category}, impl_->graph);
  }
}

CausalGraph::~CausalGraph() = default;
CausalGraph::CausalGraph(CausalGraph&&) noexcept = default;
CausalGraph& CausalGraph::operator=(CausalGraph&&) noexcept = default;

std::size_t CausalGraph::events() const { return boost::num_vertices(impl_->graph); }

CriticalPath CausalGraph::critical_path(sim::Time start, std::uint64_t end_seq) const {
  CriticalPath path;
  const Graph& g = impl_->graph;
  const auto found = impl_->by_seq.find(end_seq);
  if (found == impl_->by_seq.end() || g[found->second].time < start) return path;
  const Vertex end = found->second;
  path.span = g[end].time - start;

  // Breadth-first search backwards (on the reversed graph) from the end
  // event over causes at or after the start. Property maps are sparse, so a
  // query costs the length of its chain, not the size of the trace.
  const boost::filtered_graph<Graph, FromStart> span_graph(g, FromStart{&g, start});
  const auto back = boost::make_reverse_graph(span_graph);
  std::map<Vertex, boost::default_color_type> colors;
  std::map<Vertex, Vertex> successor;  // the predecessor map of the reversed search
  std::map<Vertex, std::size_t> depth;
  depth[end] = 0;
  auto successor_map = boost::make_assoc_property_map(successor);
  auto depth_map = boost::make_assoc_property_map(depth);
  boost::breadth_first_visit(
      back, end,
      boost::visitor(boost::make_bfs_visitor(
                         std::make_pair(boost::record_predecessors(successor_map, boost::on_tree_edge()),
                                        boost::record_distances(depth_map, boost::on_tree_edge()))))
          .color_map(boost::make_assoc_property_map(colors)));

  // The first event of the span: the deepest one reached.
  Vertex first = end;
  for (const auto& [v, d] : depth) {
    if (d > depth[first] || (d == depth[first] && g[v].seq < g[first].seq)) first = v;
  }

  // The wait that was under way when the span began.
  const sim::Duration lead = g[first].time - start;
  if (lead > sim::Duration::zero()) {
    const auto [in_begin, in_end] = boost::in_edges(first, g);
    if (in_begin != in_end) {
      const CauseEdge& edge = g[*in_begin];
      path.chain.push_back(PathSegment{edge.actor, edge.category, lead, g[first].what});
    } else {
      path.chain.push_back(PathSegment{"harness", "steps", lead, g[first].what});
    }
  }
  for (Vertex v = first; v != end;) {
    const Vertex next = successor.at(v);
    const auto [edge, exists] = boost::edge(v, next, g);
    const CauseEdge& label = g[edge];
    path.chain.push_back(PathSegment{label.actor, label.category, label.weight, g[next].what});
    v = next;
  }

  std::map<std::string, sim::Duration> totals;
  for (const PathSegment& segment : path.chain) {
    if (segment.duration > sim::Duration::zero()) {
      auto [it, inserted] = totals.emplace(segment.actor + " " + segment.category, segment.duration);
      if (!inserted) it->second = it->second + segment.duration;
    }
  }
  for (const auto& [label, total] : totals) {
    const double share = path.span > sim::Duration::zero()
                             ? static_cast<double>(total.ns()) / static_cast<double>(path.span.ns())
                             : 0.0;
    path.contributors.push_back(Contributor{label, total, share});
  }
  std::stable_sort(path.contributors.begin(), path.contributors.end(),
                   [](const Contributor& a, const Contributor& b) { return a.total > b.total; });
  return path;
}

}  // namespace sasim::reports
