#include "tools/runner/coverage_report.h"

#include <set>
#include <string_view>

#include <fmt/format.h>

namespace sasim::tools {
namespace {

namespace cov = model::coverage;

std::uint64_t count_of(const std::vector<std::uint64_t>& counts, const cov::ProbeInfo& row) {
  const std::uint32_t i = cov::index_of(row.probe);
  return i < counts.size() ? counts[i] : 0;
}

std::string listed(const std::vector<const cov::ProbeInfo*>& rows) {
  std::string out;
  for (const cov::ProbeInfo* row : rows) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", row->id, row->rule);
  }
  return out;
}

}  // namespace

CoverageSummary summarize_coverage(const std::vector<std::uint64_t>& counts,
                                   const std::vector<model::versions::Behaviour>& releases) {
  CoverageSummary s;
  s.releases = "any release";
  if (!releases.empty()) {
    s.releases = releases.front().version.to_string();
    // (A release may come several times, with different gates.)
    if (releases.back().version != releases.front().version) s.releases += "-" + releases.back().version.to_string();
  }
  std::set<std::string_view> rules;
  std::set<std::string_view> rules_reached;
  for (const cov::ProbeInfo& row : cov::probe_table()) {
    ++s.probes;
    rules.insert(row.rule);
    if (count_of(counts, row) > 0) {
      ++s.probes_reached;
      rules_reached.insert(row.rule);
      continue;
    }
    std::string reason = releases.empty() ? std::string(row.never_reached) : "";
    bool reachable = releases.empty() && reason.empty();
    for (const model::versions::Behaviour& release : releases) {
      const std::string why = cov::unreachable_reason(row, release);
      if (why.empty()) reachable = true;
      if (reason.empty()) reason = why;
    }
    if (reachable) {
      s.missed.push_back(&row);
    } else {
      s.unreachable.push_back(&row);
      s.unreachable_reasons.push_back(std::move(reason));
    }
  }
  s.rules = rules.size();
  s.rules_reached = rules_reached.size();
  return s;
}

std::string render_coverage_summary(const std::vector<std::uint64_t>& counts,
                                    const std::vector<model::versions::Behaviour>& releases) {
  const CoverageSummary s = summarize_coverage(counts, releases);
  std::string out = fmt::format("coverage: {} of {} probes reached ({} of {} rules)\n", s.probes_reached, s.probes,
                                s.rules_reached, s.rules);
  if (!s.missed.empty()) out += "not reached: " + listed(s.missed) + "\n";
  if (!s.unreachable.empty()) out += "not reached, not reachable in " + s.releases + ": " + listed(s.unreachable) + "\n";
  return out;
}

std::string render_coverage_table(const std::vector<std::uint64_t>& counts) {
  const CoverageSummary s = summarize_coverage(counts, {});
  std::string out = fmt::format("coverage: {} of {} probes reached ({} of {} rules)\n", s.probes_reached, s.probes,
                                s.rules_reached, s.rules);
  for (const cov::ProbeInfo& row : cov::probe_table()) {
    out += fmt::format("  {:>8}  {} ({})\n", count_of(counts, row), row.id, row.rule);
  }
  return out;
}

nlohmann::json coverage_json(const std::vector<std::uint64_t>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const cov::ProbeInfo& row : cov::probe_table()) out[std::string(row.id)] = count_of(counts, row);
  return out;
}

sim::Result<std::vector<std::uint64_t>> coverage_from_json(const nlohmann::json& object) {
  if (!object.is_object()) return sim::unexpected(sim::Error{"coverage: expected an object of probe counts"});
  std::vector<std::uint64_t> counts(cov::kProbeCount, 0);
  for (const auto& [id, value] : object.items()) {
    const auto probe = cov::find_probe(id);
    if (!probe) return sim::unexpected(sim::Error{"coverage: unknown probe " + id});
    if (!value.is_number_unsigned()) return sim::unexpected(sim::Error{"coverage: " + id + ": expected a count"});
    counts[cov::index_of(*probe)] = value.get<std::uint64_t>();
  }
  return counts;
}

}  // namespace sasim::tools
