#include "reports/chrome_trace.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

#include "reports/run_text.h"
#include "sim/duration_text.h"

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

// What an event is, the same for every event of its kind: its label's name
// (a note's label is its kind). An entry recorded without a label (made by
// hand, as tests do) is named by its text.
std::string name_of(const sim::TraceEntry& e) { return e.label.name.empty() ? e.text : e.label.name; }

void add_label_args(const sim::TraceEntry& e, json& args) {
  for (const auto& [key, value] : e.label.args) args[key] = value;
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

// The kinds of slice lane an actor has, in the order they sort under it.
enum class LaneKind : int { kRequests = 1, kWaits = 30, kServing = 60 };

std::string_view lane_suffix(LaneKind kind) {
  switch (kind) {
    case LaneKind::kRequests: return " requests";
    case LaneKind::kWaits: return " waits";
    case LaneKind::kServing: return " serving";
  }
  return "";
}

std::string_view lane_category(LaneKind kind) {
  switch (kind) {
    case LaneKind::kRequests: return "request";
    case LaneKind::kWaits: return "wait";
    case LaneKind::kServing: return "serving";
  }
  return "";
}

struct Slice {
  sim::Time start{};
  sim::Time end{};
  std::uint32_t owner = 0;  // track index of the actor
  LaneKind lane = LaneKind::kRequests;
  std::string name{};
  json args{};
};

class Builder {
 public:
  Builder(const RecordedTrace& trace, const std::string& title, const std::vector<StepRecord>* steps)
      : trace_(trace), title_(title), steps_(steps) {
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
    step_slices(events);
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
  // Actors are tracks 0..n-1, the harness track n; tids are one more. The
  // steps track takes the tid after the harness's.
  std::uint32_t track_of(sim::ActorId actor) const {
    return actor.valid() && actor.value < trace_.actor_names.size() ? actor.value
                                                                     : static_cast<std::uint32_t>(harness());
  }
  std::size_t harness() const { return trace_.actor_names.size(); }
  std::string track_name(std::uint32_t track) const {
    return track < trace_.actor_names.size() ? trace_.actor_names[track] : "harness";
  }
  static int tid_of(std::uint32_t track) { return static_cast<int>(track) + 1; }
  int steps_tid() const { return tid_of(static_cast<std::uint32_t>(harness())) + 1; }

  static void name_thread(Sink& events, int tid, const std::string& name, int sort_index) {
    events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", kPid}, {"tid", tid}, {"args", {{"name", name}}}});
    events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", kPid}, {"tid", tid},
                      {"args", {{"sort_index", sort_index}}}});
  }

  void metadata(Sink& events) const {
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", kPid}, {"args", {{"name", "sasim " + title_}}}});
    if (steps_ != nullptr) name_thread(events, steps_tid(), "harness steps", -100);
    for (std::uint32_t track = 0; track <= harness(); ++track) {
      name_thread(events, tid_of(track), track_name(track), static_cast<int>(track) * 100);
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
      add_label_args(e, args);
    }
    const std::string kind(sim::trace_kind_name(e.kind));
    events.push_back({{"ph", "i"}, {"s", "t"}, {"name", shorten(kind + ": " + name_of(e))}, {"cat", kind},
                      {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}, {"args", std::move(args)}});
    if (note || by_seq_.at(e.seq) != i) return;
    if (index_of(e.origin.cause)) {
      events.push_back({{"ph", "f"}, {"bp", "e"}, {"name", "causes"}, {"cat", "flow"}, {"id", e.seq},
                        {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}});
    }
    for (std::size_t effect : effects_[i]) {
      events.push_back({{"ph", "s"}, {"name", "causes"}, {"cat", "flow"}, {"id", trace_.entries[effect].seq},
                        {"ts", micros(e.time)}, {"pid", kPid}, {"tid", tid}});
    }
  }

  // Each scenario step as a slice on the harness steps track; steps run one
  // after another, so they never overlap.
  void step_slices(Sink& events) const {
    if (steps_ == nullptr) return;
    for (const StepRecord& step : *steps_) {
      json args{{"index", step.index}, {"action", step.action}, {"ok", step.ok},
                {"start", sim::format_time(step.start)}, {"end", sim::format_time(step.end)}};
      if (!step.name.empty()) args["name"] = step.name;
      if (!step.message.empty()) args["message"] = step.message;
      events.push_back({{"ph", "X"}, {"name", shorten(fmt_step(step))}, {"cat", "step"}, {"ts", micros(step.start)},
                        {"dur", static_cast<double>((step.end - step.start).ns()) / 1000.0}, {"pid", kPid},
                        {"tid", steps_tid()}, {"args", std::move(args)}});
    }
  }
  static std::string fmt_step(const StepRecord& step) {
    return "step " + std::to_string(step.index) + ": " + step_label(step);
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

  void request_slices(std::vector<Slice>& all) const {
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
      const sim::TraceEntry& reply = trace_.entries[i];
      if (!reply.origin.reply || reply.kind == sim::TraceKind::kNote || by_seq_.at(reply.seq) != i) continue;
      const auto request = request_of(reply);
      if (!request) continue;
      const sim::TraceEntry& q = trace_.entries[*request];
      const auto sent = index_of(q.origin.cause);
      const auto answered = index_of(reply.origin.cause);
      const sim::Time start = sent ? trace_.entries[*sent].time : q.time;
      const std::string name = shorten(name_of(q));
      json args{{"request", q.text}, {"response", name_of(reply)}, {"request_seq", q.seq},
                {"response_seq", reply.seq}};
      add_label_args(q, args);
      if (reply.kind == sim::TraceKind::kDrop) args["dropped"] = true;
      all.push_back(Slice{start, reply.time, track_of(reply.actor), LaneKind::kRequests, name, args});
      all.push_back(Slice{q.time, answered ? trace_.entries[*answered].time : reply.time, track_of(q.actor),
                          LaneKind::kServing, shorten("serve " + name_of(q)), std::move(args)});
    }
  }

  // Every labelled wait that took time: from the event that set the timer
  // to the timer firing, on the waiting actor's waits lanes.
  void wait_slices(std::vector<Slice>& all) const {
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
      const sim::TraceEntry& e = trace_.entries[i];
      if (e.kind != sim::TraceKind::kTimer || e.origin.category.empty() || by_seq_.at(e.seq) != i) continue;
      const auto cause = index_of(e.origin.cause);
      if (!cause || trace_.entries[*cause].time >= e.time) continue;
      const sim::TraceEntry& setter = trace_.entries[*cause];
      json args{{"set_by", name_of(setter)}, {"set_seq", setter.seq}, {"fired_seq", e.seq}};
      all.push_back(Slice{setter.time, e.time, track_of(e.actor), LaneKind::kWaits,
                          std::string(e.origin.category.name()), std::move(args)});
    }
  }

  void slices(Sink& events) const {
    std::vector<Slice> all;
    request_slices(all);
    wait_slices(all);
    std::stable_sort(all.begin(), all.end(), [](const Slice& a, const Slice& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    // Lanes: per (track, kind), the end of each lane's last slice; a slice
    // takes the first lane free at its start, or opens a new one.
    std::map<std::pair<std::uint32_t, LaneKind>, std::vector<std::pair<sim::Time, int>>> lanes;
    int next_tid = steps_tid() + 1;
    for (Slice& s : all) {
      auto& mine = lanes[{s.owner, s.lane}];
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
        const std::string lane = track_name(s.owner) + std::string(lane_suffix(s.lane)) +
                                 (mine.size() > 1 ? " #" + std::to_string(mine.size()) : "");
        name_thread(events, tid, lane,
                    static_cast<int>(s.owner) * 100 + static_cast<int>(s.lane) + static_cast<int>(mine.size()));
      }
      events.push_back({{"ph", "X"}, {"name", s.name}, {"cat", lane_category(s.lane)}, {"ts", micros(s.start)},
                        {"dur", static_cast<double>((s.end - s.start).ns()) / 1000.0}, {"pid", kPid}, {"tid", tid},
                        {"args", std::move(s.args)}});
    }
  }

  const RecordedTrace& trace_;
  const std::string& title_;
  const std::vector<StepRecord>* steps_;
  std::map<std::uint64_t, std::size_t> by_seq_;  // an event's seq -> its entry (the first, if a drop shares it)
  std::vector<std::vector<std::size_t>> effects_;
};

}  // namespace

void write_chrome_trace(const RecordedTrace& trace, const std::string& title, std::ostream& out,
                        const std::vector<StepRecord>* steps) {
  Builder(trace, title, steps).write(out);
}

json render_chrome_trace(const RecordedTrace& trace, const std::string& title, const std::vector<StepRecord>* steps) {
  std::ostringstream out;
  write_chrome_trace(trace, title, out, steps);
  return json::parse(out.str());
}

}  // namespace sasim::reports
