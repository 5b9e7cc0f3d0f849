#include "tools/demo.h"

#include <chrono>
#include <fmt/format.h>

#include "reports/trace_text.h"
#include "sim/duration_text.h"
#include "sim/simulator.h"

namespace sasim::tools {

DemoRun run_demo(const DemoOptions& options, bool record_trace) {
  const auto wall_start = std::chrono::steady_clock::now();
  sim::Simulator simulator(options.seed);
  simulator.trace().set_recording(record_trace);
  sim::testing::Gossip gossip(simulator, options.gossip);
  simulator.run({});
  const auto wall_end = std::chrono::steady_clock::now();

  DemoRun run;
  run.digest_hex = simulator.trace().digest_hex();
  run.events = simulator.events_dispatched();
  run.end = simulator.now();
  run.stats = gossip.stats();
  run.wall_seconds = std::chrono::duration<double>(wall_end - wall_start).count();
  const auto& entries = simulator.trace().entries();
  run.trace_entries = entries.size();
  for (const sim::TraceEntry& entry : entries) ++run.entries_by_kind[std::string(sim::trace_kind_name(entry.kind))];
  run.trace_text = reports::render_trace(
      entries, [&simulator](sim::ActorId id) { return simulator.actor_name(id); }, options.trace_lines);
  return run;
}

bool render_demo(const DemoOptions& options, const DemoRun& first, const DemoRun& replay, std::string& out) {
  const auto& g = options.gossip;
  out += fmt::format("sasim engine demo: gossip among {} peers, seed {}\n", g.peers, options.seed);
  out += fmt::format("  Each peer wakes every {} on average (exponential) and sends a rumor to a\n", sim::format_duration(g.think_time));
  out += fmt::format("  random peer; receivers acknowledge it. Messages take {}.\n", g.latency.describe());
  out += fmt::format("  {} crashes (restart after {}) are drawn from the seed, and one peer's link\n", g.crashes,
                     sim::format_duration(g.restart_after));
  out += fmt::format("  loses {} in {} messages. Peers stop starting rumors after {}.\n\n", g.loss.numerator,
                     g.loss.denominator, sim::format_duration(g.horizon));

  const std::size_t shown = options.trace_lines == 0 ? first.trace_entries : options.trace_lines;
  out += fmt::format("trace ({} of {} entries; #N is the event's sequence number, its place in the\n"
                     "scheduling order that breaks ties between events due at the same instant):\n",
                     std::min(shown, first.trace_entries), first.trace_entries);
  out += first.trace_text;

  std::string kinds;
  for (const auto& [kind, count] : first.entries_by_kind) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, count);
  }
  out += "\nsummary:\n";
  out += fmt::format("  events dispatched   {}\n", first.events);
  out += fmt::format("  simulated time      {}\n", sim::format_time(first.end));
  out += fmt::format("  trace entries       {}\n", kinds);
  out += fmt::format("  rumors sent/heard   {}/{}\n", first.stats.rumors_sent, first.stats.rumors_heard);
  out += fmt::format("  acks heard          {}\n", first.stats.acks_heard);
  out += fmt::format("  trace digest        {}\n", first.digest_hex);
  const bool identical = first.digest_hex == replay.digest_hex && first.events == replay.events;
  out += fmt::format("  replay, same seed   {}  {}\n", replay.digest_hex,
                     identical ? "identical" : "DIVERGED: determinism is broken");
  out += fmt::format("  wall time           {:.3f}s traced, {:.3f}s untraced ({:.2f} M events/s)\n",
                     first.wall_seconds, replay.wall_seconds,
                     replay.wall_seconds > 0 ? static_cast<double>(replay.events) / replay.wall_seconds / 1e6 : 0.0);
  return identical;
}

}  // namespace sasim::tools
