#include "reports/chrome_trace.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

namespace sasim::reports {
namespace {

using nlohmann::json;

constexpr int kPid = 1;
constexpr std::size_t kMaxName = 80;
constexpr std::size_t kMaxServerHops = 10000;  // bounds the walk from a reply back to its request

double micros(sim::Time t) { return static_cast<double>(t.ns()) / 1000.0; }

std::string shorten(const std::string& text) {
  return text.size() <= kMaxName ? text : text.substr(0, kMaxName - 3) + "...";
}

// A message's text ends with " from SENDER"; the slice is named by the body.
std::string body_of(const std::string& text) {
  const auto at = text.rfind(" from ");
  return at == std::string::npos ? text : text.substr(0, at);
}

// Writes events one by one: a long run has millions, which as one JSON
// document in memory would cost far more than the trace itself.
class Sink {
 public:
  explicit Sink(std::ostream& out) : out_(out) {}
  void push_back(const json& event) {
    out_ << (first_ ? "\n" : ",\n") << event.dump();
    first_ = false;
  }

 private:
  std::ostream& out_;
  bool first_ = true;
};

struct Slice {
  sim::Time start{};
  sim::Time end{};
  std::uint32_t owner = 0;  // track index of the actor
  bool serving = false;
  std::string name{};
  json args{};
};

class Builder {
 public:
  Builder(const RecordedTrace& trace, const std::string& title) : trace_(trace), title_(title) {
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
      const sim::TraceEntry& e = trace_.entries[i];
      if (e.kind != sim::TraceKind::kNote && !by_seq_.contains(e.seq)) by_seq_.emplace(e.seq, i);
    }
    effects_.resize(trace_.entries.size());
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
      const sim::TraceEntry& e = trace_.entries[i];
      if (e.kind == sim::TraceKind::kNote || by_seq_.at(e.seq) != i) continue;
      if (auto cause = index_of(e.origin.cause)) effects_[*cause].push_back(i);
    }
  }

  void write(std::ostream& out) {
    out << "{\"traceEvents\": [";
    Sink events(out);
    metadata(events);
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) instant(events, i);
    slices(events);
    const json other{{"scenario", title_}, {"clock", "simulated time, microseconds"}};
    out << "\n],\n\"displayTimeUnit\": \"ns\",\n\"otherData\": " << other.dump() << "}\n";
  }

 private:
  std::optional<std::size_t> index_of(std::uint64_t seq) const {
    if (seq == 0) return std::nullopt;
    const auto it = by_seq_.find(seq);
    if (it == by_seq_.end()) return std::nullopt;
    return it->second;
  }
  // Actors are tracks 0..n-1, the harness track n; tids are one more.
  std::uint32_t track_of(sim::ActorId actor) const {
    return actor.valid() && actor.value < trace_.actor_names.size() ? actor.value
                                                                     : static_cast<std::uint32_t>(harness());
  }
  std::size_t harness() const { return trace_.actor_names.size(); }
  std::string track_name(std::uint32_t track) const {
    return track < trace_.actor_names.size() ? trace_.actor_names[track] : "harness";
  }
  static int tid_of(std::uint32_t track) { return static_cast<int>(track) + 1; }

  void metadata(Sink& events) const {
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", kPid}, {"args", {{"name", "sasim " + title_}}}});
    for (std::uint32_t track = 0; track <= harness(); ++track) {
      events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", kPid}, {"tid", tid_of(track)},
                        {"args", {{"name", track_name(track)}}}});
      events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", kPid}, {"tid", tid_of(track)},
                        {"args", {{"sort_index", static_cast<int>(track) * 100}}}});
    }
  }

  // The instant, then the arrow arriving at it, then the arrows leaving it:
  // Perfetto binds a flow to the slice open on the track at its timestamp,
  // which an instant just emitted at the same time is.
  void instant(Sink& events, std::size_t i) const {
    const sim::TraceEntry& e = trace_.entries[i];
    const int tid = tid_of(track_of(e.actor));
    const bool note = e.kind == sim::TraceKind::kNote;
    json args{{"seq", e.seq}, {"text", e.text}};
    if (!note) {
      args["cause"] = e.origin.cause;
      if (!e.origin.category.empty()) args["waited"] = std::string(e.origin.category.name());
      if (e.kind == sim::TraceKind::kMessage || e.kind == sim::TraceKind::kDrop) {
        args["from"] = track_name(track_of(e.origin.from));
        if (e.origin.reply) args["reply"] = true;
      }
    }
    const std::string kind(sim::trace_kind_name(e.kind));
    events.push_back({{"ph", "i"}, {"s", "t"}, {"name", shorten(note ? e.text : kind + ": " + body_of(e.text))},
                      {"cat", kind}, {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}, {"args", std::move(args)}});
    if (note || by_seq_.at(e.seq) != i) return;
    if (auto cause = index_of(e.origin.cause)) {
      (void)cause;
      events.push_back({{"ph", "f"}, {"bp", "e"}, {"name", "causes"}, {"cat", "flow"}, {"id", e.seq},
                        {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}});
    }
    for (std::size_t effect : effects_[i]) {
      events.push_back({{"ph", "s"}, {"name", "causes"}, {"cat", "flow"}, {"id", trace_.entries[effect].seq},
                        {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}});
    }
  }

  // The request a reply answers: back along the replying actor's own chain
  // of causes to the message that actor received from the one it replies to.
  std::optional<std::size_t> request_of(const sim::TraceEntry& reply) const {
    auto at = index_of(reply.origin.cause);
    for (std::size_t hops = 0; at && hops < kMaxServerHops; ++hops) {
      const sim::TraceEntry& e = trace_.entries[*at];
      if (e.actor != reply.origin.from) return std::nullopt;
      if (e.kind == sim::TraceKind::kMessage && e.origin.from == reply.actor && !e.origin.reply) return at;
      at = index_of(e.origin.cause);
    }
    return std::nullopt;
  }

  void slices(Sink& events) const {
    std::vector<Slice> all;
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
      const sim::TraceEntry& reply = trace_.entries[i];
      if (!reply.origin.reply || reply.kind == sim::TraceKind::kNote || by_seq_.at(reply.seq) != i) continue;
      const auto request = request_of(reply);
      if (!request) continue;
      const sim::TraceEntry& q = trace_.entries[*request];
      const auto sent = index_of(q.origin.cause);
      const auto answered = index_of(reply.origin.cause);
      const sim::Time start = sent ? trace_.entries[*sent].time : q.time;
      const std::string name = shorten(body_of(q.text));
      json args{{"request", body_of(q.text)}, {"response", body_of(reply.text)}, {"request_seq", q.seq},
                {"response_seq", reply.seq}};
      if (reply.kind == sim::TraceKind::kDrop) args["dropped"] = true;
      all.push_back(Slice{start, reply.time, track_of(reply.actor), false, name, args});
      all.push_back(Slice{q.time, answered ? trace_.entries[*answered].time : reply.time, track_of(q.actor), true,
                          name, std::move(args)});
    }
    std::stable_sort(all.begin(), all.end(), [](const Slice& a, const Slice& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    // Lanes: per (track, kind), the end of each lane's last slice; a slice
    // takes the first lane free at its start, or opens a new one.
    std::map<std::pair<std::uint32_t, bool>, std::vector<std::pair<sim::Time, int>>> lanes;
    int next_tid = tid_of(static_cast<std::uint32_t>(harness())) + 1;
    for (Slice& s : all) {
      auto& mine = lanes[{s.owner, s.serving}];
      int tid = 0;
      for (auto& [free_at, lane_tid] : mine) {
        if (free_at <= s.start) {
          free_at = s.end;
          tid = lane_tid;
          break;
        }
      }
      if (tid == 0) {
        tid = next_tid++;
        mine.emplace_back(s.end, tid);
        const std::string lane = track_name(s.owner) + (s.serving ? " serving" : " requests") +
                                 (mine.size() > 1 ? " #" + std::to_string(mine.size()) : "");
        events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", kPid}, {"tid", tid},
                          {"args", {{"name", lane}}}});
        events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", kPid}, {"tid", tid},
                          {"args", {{"sort_index", static_cast<int>(s.owner) * 100 + (s.serving ? 50 : 1) +
                                                       static_cast<int>(mine.size())}}}});
      }
      events.push_back({{"ph", "X"}, {"name", s.name}, {"cat", s.serving ? "serving" : "request"},
                        {"ts", micros(s.start)}, {"dur", static_cast<double>((s.end - s.start).ns()) / 1000.0}, {"pid", kPid},
                        {"tid", tid}, {"args", std::move(s.args)}});
    }
  }

  const RecordedTrace& trace_;
  const std::string& title_;
  std::map<std::uint64_t, std::size_t> by_seq_;  // an event's seq -> its entry (the first, if a drop shares it)
  std::vector<std::vector<std::size_t>> effects_;
};

}  // namespace

void write_chrome_trace(const RecordedTrace& trace, const std::string& title, std::ostream& out) {
  Builder(trace, title).write(out);
}

json render_chrome_trace(const RecordedTrace& trace, const std::string& title) {
  std::ostringstream out;
  write_chrome_trace(trace, title, out);
  return json::parse(out.str());
}

}  // namespace sasim::reports
