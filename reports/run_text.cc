#include "reports/run_text.h"

#include <fmt/format.h>

#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string step_label(const StepRecord& step) {
  return step.name.empty() ? step.action : fmt::format("{} ({})", step.name, step.action);
}

std::string render_run_text(const RunRecord& r) {
  std::string out = fmt::format("== {} ({}), seed {}, Kubernetes {}\n", r.scenario, r.file, r.seed, r.version);
  for (const StepRecord& step : r.steps) {
    // Both ends: an await that holds late, or a request retried after a
    // ServerTimeout, ends long after it started.
    out += fmt::format("{:>14} .. {:<14}  {:<4} step {:>2}  {}\n", sim::format_time(step.start),
                       sim::format_time(step.end), step.ok ? "ok" : "FAIL", step.index, step_label(step));
    if (!step.output.empty()) out += indent(step.output, "      | ");
    if (!step.ok) out += indent(step.message, "      ! ");
  }
  std::size_t held = 0, known = 0;
  for (const InvariantRecord& inv : r.invariants) {
    if (inv.held) ++held;
    for (const ViolationRecord& v : inv.violations) {
      const bool is_known = v.known_weakness.has_value();
      if (is_known) ++known;
      out += fmt::format("{:>14}  {:<5} invariant {}: {}\n", sim::format_time(v.time), is_known ? "KNOWN" : "FAIL",
                         inv.name, v.message);
      if (is_known) {
        out += fmt::format("                known upstream weakness: {} ({})\n", *v.known_weakness,
                           v.known_upstream.value_or(""));
      }
    }
  }
  std::size_t steps_ok = 0;
  for (const StepRecord& step : r.steps) steps_ok += step.ok ? 1 : 0;
  out += fmt::format("{}: {} of {} steps ok, {} of {} invariants held{}; {} events, {} simulated, {:.3f} s wall\n",
                     r.passed ? "PASSED" : "FAILED", steps_ok, r.steps.size(), held, r.invariants.size(),
                     known > 0 ? fmt::format(" ({} known weaknesses)", known) : "", r.events,
                     sim::format_time(r.simulated_time), r.wall_seconds);
  out += fmt::format("trace digest {:016x}\n", r.trace_digest);
  if (!r.passed && !r.replay_command.empty()) out += "replay: " + r.replay_command + "\n";
  return out;
}

}  // namespace sasim::reports
