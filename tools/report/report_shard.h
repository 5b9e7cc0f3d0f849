// The part of a timing report that one `sasim report --shard I/N` writes
// (OUT/report-shard.json), from which `sasim merge` makes the report that one
// machine would have written for the whole seed range.
//
// report.json rounds what it shows (durations as text, the time series of
// one seed), so a shard keeps its own exact record instead: every run's
// figures and span instances in nanoseconds, and what the merge must check
// (the campaign: scenario text, overrides, seeds, shard, sasim's version)
// and redo (the slowest spans' critical paths, which need every shard's runs
// and a replay of the scenario).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/timing.h"
#include "sim/result.h"

namespace sasim::tools {

inline constexpr const char* kReportShardFile = "report-shard.json";

struct ReportShard {
  std::string sasim{};          // "0.1.0 (commit abc123def456)": shards of different builds do not merge
  std::string scenario_text{};  // the scenario file as read: the merge parses it again, with `sets`
  std::vector<std::string> sets{};
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  // scenario, file, version, seed range (the whole campaign's), parameters,
  // runs (this shard's seeds, in order), jobs and wall seconds; no contributors.
  reports::TimingReport report{};
  std::vector<std::pair<std::uint64_t, std::string>> failure_replays{};  // seed, replay command
};

nlohmann::json render_report_shard(const ReportShard& shard);
// A shard record read back; an error names what is missing or malformed.
sim::Result<ReportShard> parse_report_shard(const nlohmann::json& json);

}  // namespace sasim::tools
