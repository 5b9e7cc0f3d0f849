// Rule coverage as people and programs read it: the per-probe hit counts of
// a run or a campaign (RunRecord::coverage, indexed by the model's probe
// ids) named by the probe registry (model/coverage/probes.h).
//
// In JSON the counts are an object of every probe's id and count, zeros
// included, so that the outputs of several shards (or campaigns) merge by
// adding the counts of equal keys; what was reached is derived from the sum.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/coverage/probes.h"
#include "model/versions/behaviour.h"
#include "sim/result.h"

namespace sasim::tools {

struct CoverageSummary {
  std::size_t probes = 0;          // in the registry
  std::size_t probes_reached = 0;
  std::size_t rules = 0;           // distinct rules the registry names
  std::size_t rules_reached = 0;   // with at least one probe reached
  // Not reached, in registry order: those a campaign on the releases
  // should reach, and those it cannot on any of them (with why, for the
  // first release).
  std::vector<const model::coverage::ProbeInfo*> missed{};
  std::vector<const model::coverage::ProbeInfo*> unreachable{};
  std::vector<std::string> unreachable_reasons{};  // parallel to unreachable
  std::string releases{};                          // "1.30", or "1.24-1.33"
};
// `releases`: those the counts were collected on (a campaign's release, or
// each release of an upgrade range); at least one. A probe is unreachable
// when no release among them has its path.
CoverageSummary summarize_coverage(const std::vector<std::uint64_t>& counts,
                                   const std::vector<model::versions::Behaviour>& releases);

// The campaign summary's lines:
//   coverage: 70 of 76 probes reached (44 of 46 rules)
//   not reached: T3.5-namespace-terminating (T3.5), ...
//   not reached, not reachable in 1.20: T1-account-cache-error (T1), ...
std::string render_coverage_summary(const std::vector<std::uint64_t>& counts,
                                    const std::vector<model::versions::Behaviour>& releases);
// Every probe with its rule and count, one a line (sasim run --coverage).
std::string render_coverage_table(const std::vector<std::uint64_t>& counts);

// {"S1-account-key-synced": 12, ...}: every probe, in registry order.
nlohmann::json coverage_json(const std::vector<std::uint64_t>& counts);
// The counts of such an object (unknown ids are an error; missing ones 0).
sim::Result<std::vector<std::uint64_t>> coverage_from_json(const nlohmann::json& object);

}  // namespace sasim::tools
