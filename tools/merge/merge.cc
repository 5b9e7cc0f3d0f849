#include "tools/merge/merge.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/junit.h"
#include "scenarios/parser.h"
#include "tools/fuzz/campaign_record.h"
#include "tools/fuzz/fuzz_junit.h"
#include "tools/report/explain.h"
#include "tools/report/report_lines.h"
#include "tools/report/report_shard.h"
#include "tools/report/write_report.h"

namespace sasim::tools {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

sim::Result<MergeOutcome> fail(std::string message) { return sim::unexpected(sim::Error{std::move(message)}); }

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

bool write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  return static_cast<bool>(out);
}

// One shard's record, read and parsed as JSON.
struct ShardFile {
  std::string dir;
  fs::path path;
  json document;
};

// Which kind of shard a directory holds; its record read as JSON.
sim::Result<ShardFile> read_shard(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return sim::unexpected(sim::Error{dir + ": not a directory"});
  const fs::path fuzz = fs::path(dir) / fuzz::kCampaignRecordFile;
  const fs::path report = fs::path(dir) / kReportShardFile;
  const bool has_fuzz = fs::exists(fuzz, ec);
  const bool has_report = fs::exists(report, ec);
  if (has_fuzz && has_report) {
    return sim::unexpected(sim::Error{fmt::format("{} holds both {} and {}: one shard per directory", dir,
                                                  fuzz::kCampaignRecordFile, kReportShardFile)});
  }
  if (!has_fuzz && !has_report) {
    return sim::unexpected(sim::Error{fmt::format("{} holds no shard: neither {} (sasim fuzz --shard I/N --out DIR) nor "
                                                  "{} (sasim report --shard I/N --out DIR)",
                                                  dir, fuzz::kCampaignRecordFile, kReportShardFile)});
  }
  ShardFile out{dir, has_fuzz ? fuzz : report, {}};
  auto text = read_file(out.path);
  if (!text) return sim::unexpected(sim::Error{"cannot read " + out.path.string()});
  out.document = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (out.document.is_discarded()) {
    return sim::unexpected(sim::Error{out.path.string() + ": not valid JSON (a shard's file cut short or edited?)"});
  }
  return out;
}

// Every index 0..N-1 once: the error names the first one twice or missing.
std::optional<std::string> check_coverage(const std::vector<std::pair<std::uint64_t, std::string>>& indexes,
                                          std::uint64_t count) {
  std::map<std::uint64_t, std::string> seen;
  for (const auto& [index, path] : indexes) {
    auto [it, inserted] = seen.emplace(index, path);
    if (!inserted) {
      return fmt::format("shard {}/{} given twice: {} and {} (the shards overlap)", index, count, it->second, path);
    }
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    if (seen.count(i) == 0) {
      std::vector<std::string> given;
      for (const auto& [index, path] : seen) given.push_back(fmt::format("{}/{}", index, count));
      return fmt::format("missing shard {}/{} (given: {})", i, count, fmt::join(given, ", "));
    }
  }
  return std::nullopt;
}

// The first key whose values differ in two JSON objects, as `"key": A against B`.
std::string first_difference(const json& a, const json& b) {
  for (const auto& [key, value] : a.items()) {
    if (!b.contains(key) || b.at(key) != value) {
      return fmt::format("\"{}\": {} against {}", key, value.dump(), b.contains(key) ? b.at(key).dump() : "nothing");
    }
  }
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) return fmt::format("\"{}\": nothing against {}", key, value.dump());
  }
  return "";
}

// How many indexes of shard I/N lie below `end`.
std::uint64_t shard_size(std::uint64_t end, std::uint64_t index, std::uint64_t count) {
  return end <= index ? 0 : (end - index + count - 1) / count;
}

sim::Result<MergeOutcome> merge_fuzz(const MergeOptions& options, const std::vector<ShardFile>& files) {
  std::vector<fuzz::CampaignRecord> records;
  for (const ShardFile& file : files) {
    auto record = fuzz::parse_campaign_record(file.document, file.dir);
    if (!record) return fail(file.path.string() + ": " + record.error().message);
    records.push_back(std::move(record).value());
  }
  const fuzz::CampaignRecord& first = records.front();
  const json campaign = files.front().document["campaign"];
  std::vector<std::pair<std::uint64_t, std::string>> indexes;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const fuzz::CampaignRecord& r = records[i];
    if (r.sasim != first.sasim) {
      return fail(fmt::format("{} and {} were written by different builds of sasim ({} against {})",
                              files.front().path.string(), files[i].path.string(), first.sasim, r.sasim));
    }
    if (files[i].document["campaign"] != campaign) {
      return fail(fmt::format("{} and {} are shards of different campaigns ({})", files.front().path.string(),
                              files[i].path.string(), first_difference(campaign, files[i].document["campaign"])));
    }
    if (r.options.shard_count != first.options.shard_count) {
      return fail(fmt::format("{} and {} split the campaign differently ({} shards against {})",
                              files.front().path.string(), files[i].path.string(), first.options.shard_count,
                              r.options.shard_count));
    }
    indexes.emplace_back(r.options.shard_index, files[i].path.string());
  }
  const std::uint64_t count = first.options.shard_count;
  if (auto error = check_coverage(indexes, count)) return fail(*error);

  // Each shard ran its indexes in order up to its first failure or the end.
  const bool by_cases = first.options.cases.has_value();
  const std::uint64_t total = first.options.cases.value_or(0);
  const fuzz::CampaignRecord* failing = nullptr;
  std::size_t failing_file = 0;
  std::uint64_t cases_run = 0;
  double wall = 0;
  // Probe counts add up: every case runs on exactly one shard. A record
  // lists counts up to the last probe its cases hit, so shorter lists end in
  // zeros.
  std::vector<std::uint64_t> coverage;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const fuzz::CampaignRecord& r = records[i];
    if (r.result.coverage.size() > coverage.size()) coverage.resize(r.result.coverage.size(), 0);
    for (std::size_t p = 0; p < r.result.coverage.size(); ++p) coverage[p] += r.result.coverage[p];
    if (r.result.failing_index && (*r.result.failing_index % count != r.options.shard_index ||
                                   (by_cases && *r.result.failing_index >= total))) {
      return fail(fmt::format("{}: case {} is not one of shard {}/{}", files[i].path.string(), *r.result.failing_index,
                              r.options.shard_index, count));
    }
    if (by_cases) {
      const std::uint64_t expected =
          shard_size(r.result.failing_index ? *r.result.failing_index + 1 : total, r.options.shard_index, count);
      if (r.result.cases != expected) {
        return fail(fmt::format("{}: {} cases, but shard {}/{} of {} cases runs {} {}", files[i].path.string(),
                                r.result.cases, r.options.shard_index, count, total, expected,
                                r.result.failing_index ? "up to its failure" : ""));
      }
    }
    if (r.result.failing_index && (failing == nullptr || *r.result.failing_index < *failing->result.failing_index)) {
      failing = &r;
      failing_file = i;
    }
    cases_run += r.result.cases;
    wall += r.result.wall_seconds;
  }

  // On the heap: GCC 12 sees the Forger's shared_ptr of a CampaignRecord on
  // the stack as maybe uninitialized (a false positive under -Werror).
  const auto merged_record = std::make_unique<fuzz::CampaignRecord>();
  fuzz::CampaignRecord& merged = *merged_record;
  merged.sasim = first.sasim;
  merged.options = first.options;
  merged.options.shard_index = 0;
  merged.options.shard_count = 1;
  merged.options.out_dir = options.out_dir;
  if (failing != nullptr) merged.result = failing->result;
  // One machine stops at the campaign's first failure: the cases before it
  // and that one (a campaign bounded by time has no such order: every case run).
  merged.result.cases = failing != nullptr && by_cases ? *failing->result.failing_index + 1 : by_cases ? total : cases_run;
  // A campaign cut short by a failure prints no coverage (render_summary), so
  // the shards' cases past it do not matter here.
  if (failing == nullptr) merged.result.coverage = std::move(coverage);
  merged.result.wall_seconds = wall;
  merged.result.cases_per_second = wall > 0 ? static_cast<double>(cases_run) / wall : 0;

  // Read before anything is written: a shard without its counterexample is refused.
  std::optional<std::string> counterexample;
  if (failing != nullptr && !failing->result.counterexample_path.empty()) {
    counterexample = read_file(failing->result.counterexample_path);
    if (!counterexample) {
      return fail(fmt::format("{}: its counterexample {} is missing", files[failing_file].path.string(),
                              failing->result.counterexample_path));
    }
  }
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir)) {
    return fail("--out: cannot create directory " + options.out_dir + (ec ? ": " + ec.message() : ""));
  }
  if (counterexample) {
    const fs::path to = fs::path(options.out_dir) / fs::path(failing->result.counterexample_path).filename();
    if (!write_file(to, *counterexample)) return fail("--out: cannot write " + to.string());
    merged.result.counterexample_path = to.string();
    merged.result.replay_command = fuzz::replay_command(to.string(), merged.options.broken);
  }
  const fs::path record = fs::path(options.out_dir) / fuzz::kCampaignRecordFile;
  if (!write_file(record, fuzz::render_campaign_record(merged).dump(2) + "\n")) {
    return fail("--out: cannot write " + record.string());
  }
  if (!options.junit_file.empty()) {
    const std::string xml =
        reports::render_junit({fuzz::fuzz_junit_suite(merged.options, &merged.result, {})}, "sasim fuzz");
    if (!write_file(options.junit_file, xml)) return fail("--junit: cannot write " + options.junit_file);
  }
  MergeOutcome out;
  out.printed = fuzz::render_summary(merged.options, merged.result);
  out.exit_code = !merged.result.error.empty() ? 3 : merged.result.failures == 0 ? 0 : 1;
  return out;
}

sim::Result<MergeOutcome> merge_report(const MergeOptions& options, const std::vector<ShardFile>& files) {
  std::vector<ReportShard> shards;
  for (const ShardFile& file : files) {
    auto shard = parse_report_shard(file.document);
    if (!shard) return fail(file.path.string() + ": " + shard.error().message);
    shards.push_back(std::move(shard).value());
  }
  // What makes the campaign: every shard must say the same.
  auto campaign = [](const ShardFile& file) {
    json c;
    for (const char* key : {"scenario", "file", "version", "scenarioText", "sets", "seeds"}) c[key] = file.document[key];
    return c;
  };
  const ReportShard& first = shards.front();
  std::vector<std::pair<std::uint64_t, std::string>> indexes;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const ReportShard& s = shards[i];
    if (s.sasim != first.sasim) {
      return fail(fmt::format("{} and {} were written by different builds of sasim ({} against {})",
                              files.front().path.string(), files[i].path.string(), first.sasim, s.sasim));
    }
    if (campaign(files[i]) != campaign(files.front())) {
      std::string difference = first_difference(campaign(files.front()), campaign(files[i]));
      if (difference.starts_with("\"scenarioText\"")) difference = "the scenario file's text differs";
      return fail(fmt::format("{} and {} are shards of different reports ({})", files.front().path.string(),
                              files[i].path.string(), difference));
    }
    if (s.shard_count != first.shard_count) {
      return fail(fmt::format("{} and {} split the seeds differently ({} shards against {})",
                              files.front().path.string(), files[i].path.string(), first.shard_count, s.shard_count));
    }
    indexes.emplace_back(s.shard_index, files[i].path.string());
  }
  if (first.sasim != options.sasim) {
    return fail(fmt::format("{} was written by sasim {}, and this is sasim {}: merging a report replays its slowest "
                            "seeds, which only the same build replays the same",
                            files.front().path.string(), first.sasim, options.sasim));
  }
  const std::uint64_t count = first.shard_count;
  if (auto error = check_coverage(indexes, count)) return fail(*error);

  reports::TimingReport report;
  report.scenario = first.report.scenario;
  report.file = first.report.file;
  report.version = first.report.version;
  report.seed_first = first.report.seed_first;
  report.seed_last = first.report.seed_last;
  report.jobs = 0;
  std::map<std::uint64_t, const reports::SeedTiming*> by_seed;
  std::map<std::uint64_t, std::string> failures;
  std::vector<const ReportShard*> in_order(count, nullptr);
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const ReportShard& s = shards[i];
    in_order[s.shard_index] = &s;
    // A shard holds exactly its seeds, in order: anything else is a file cut short or edited.
    const std::uint64_t range = report.seed_last - report.seed_first + 1;
    const std::uint64_t expected = shard_size(range, s.shard_index, count);
    if (s.report.runs.size() != expected) {
      return fail(fmt::format("{}: {} runs, but shard {}/{} of seeds {}..{} has {}", files[i].path.string(),
                              s.report.runs.size(), s.shard_index, count, report.seed_first, report.seed_last, expected));
    }
    for (std::size_t k = 0; k < s.report.runs.size(); ++k) {
      const std::uint64_t seed = report.seed_first + s.shard_index + k * count;
      if (s.report.runs[k].seed != seed) {
        return fail(fmt::format("{}: run {} has seed {}, but shard {}/{} runs seed {} there", files[i].path.string(), k,
                                s.report.runs[k].seed, s.shard_index, count, seed));
      }
      by_seed[seed] = &s.report.runs[k];
    }
    for (const auto& [seed, replay] : s.failure_replays) failures[seed] = replay;
    report.jobs += s.report.jobs;
    report.wall_seconds = std::max(report.wall_seconds, s.report.wall_seconds);
  }
  // As one sweep: the first run's parameters in seed order (every run of a
  // scenario has the same).
  for (const ReportShard* s : in_order) {
    if (report.parameters.empty()) report.parameters = s->report.parameters;
  }
  for (const auto& [seed, run] : by_seed) report.runs.push_back(*run);
  std::size_t failed = 0;
  for (const reports::SeedTiming& run : report.runs) failed += run.passed ? 0 : 1;
  if (failed != failures.size()) {
    return fail(fmt::format("the shards count {} failed runs but give the replay command of {}", failed, failures.size()));
  }

  // The slowest spans' critical paths, over all the runs: replayed here.
  auto scenario = scenarios::parse_scenario_text(first.scenario_text, first.report.file, first.sets);
  if (!scenario) return fail("the shards' scenario does not parse here: " + scenario.error().render());
  if (scenario.value().name != report.scenario) {
    return fail(fmt::format("the shards' scenario parses here as \"{}\", not \"{}\"", scenario.value().name, report.scenario));
  }
  explain_slow_spans(scenario.value(), RunOptions{}, report);
  if (auto error = write_report(options.out_dir, report)) return fail("--out: " + error->message);

  MergeOutcome out;
  out.printed = report_written_lines(options.out_dir, report, "", first.sets);
  if (failed > 0) {
    out.printed += report_failed_line(failed, report.runs.size(), failures.begin()->second);
    out.exit_code = 1;
  }
  return out;
}

}  // namespace

sim::Result<MergeOutcome> merge_shards(const MergeOptions& options) {
  if (options.shard_dirs.empty()) return fail("merge needs the shards' directories");
  std::vector<ShardFile> files;
  for (const std::string& dir : options.shard_dirs) {
    std::error_code ec;
    if (fs::exists(options.out_dir, ec) && fs::equivalent(options.out_dir, dir, ec)) {
      return fail("--out " + options.out_dir + " is one of the shards' directories: merge into another");
    }
    auto file = read_shard(dir);
    if (!file) return fail(file.error().message);
    files.push_back(std::move(file).value());
  }
  const std::string kind = files.front().path.filename().string();
  for (const ShardFile& file : files) {
    if (file.path.filename().string() != kind) {
      return fail(fmt::format("{} and {} are not the same kind of campaign (a fuzz campaign and a report)",
                              files.front().path.string(), file.path.string()));
    }
  }
  if (kind != fuzz::kCampaignRecordFile && !options.junit_file.empty()) {
    return fail("--junit is for fuzz campaigns: a report has no JUnit XML");
  }
  return kind == fuzz::kCampaignRecordFile ? merge_fuzz(options, files) : merge_report(options, files);
}

}  // namespace sasim::tools
