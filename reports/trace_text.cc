#include "reports/trace_text.h"

#include <fmt/format.h>

#include "sim/duration_text.h"

namespace sasim::reports {

std::string render_trace_line(const sim::TraceEntry& entry, const ActorNamer& name_of) {
  const std::string actor = entry.actor.valid() ? name_of(entry.actor) : "-";
  return fmt::format("{:>14}  #{:<7} {:<12} {:<8} {}", sim::format_time(entry.time), entry.seq, actor,
                     sim::trace_kind_name(entry.kind), entry.text);
}

std::string render_trace(const std::vector<sim::TraceEntry>& entries, const ActorNamer& name_of,
                         std::size_t max_lines) {
  std::string out;
  const std::size_t shown = max_lines == 0 ? entries.size() : std::min(max_lines, entries.size());
  for (std::size_t i = 0; i < shown; ++i) {
    out += render_trace_line(entries[i], name_of);
    out += '\n';
  }
  if (shown < entries.size()) out += fmt::format("{:>14}  ... {} more entries\n", "", entries.size() - shown);
  return out;
}

}  // namespace sasim::reports
