// Seed sweeps: the report depends on the seeds, never on the job count.
#include "tools/report/sweep.h"

#include <catch2/catch.hpp>

#include "reports/report_html.h"
#include "reports/timing_json.h"
#include "scenarios/parser.h"
#include "tools/report/report_shard.h"

#include <map>

namespace sasim::tools {
namespace sweep_test {

scenarios::Scenario library(const std::string& name) {
  auto parsed = scenarios::parse_scenario_file(std::string(SASIM_SOURCE_DIR) + "/scenarios/library/" + name);
  if (!parsed) FAIL(parsed.error().render());
  return std::move(parsed).value();
}

nlohmann::json without_performance(nlohmann::json json) {
  json.erase("performance");
  return json;
}

TEST_CASE("a sweep on one thread and on three gives the same report") {
  const scenarios::Scenario scenario = library("seed-delete-token.yaml");
  auto one = run_sweep(scenario, SweepOptions{.first = 1, .last = 8, .jobs = 1});
  auto three = run_sweep(scenario, SweepOptions{.first = 1, .last = 8, .jobs = 3});
  REQUIRE(one.ok());
  REQUIRE(three.ok());
  CHECK(one.value().report.jobs == 1);
  CHECK(three.value().report.jobs == 3);
  REQUIRE(one.value().report.runs.size() == 8);
  CHECK(reports::render_spans_csv(one.value().report) == reports::render_spans_csv(three.value().report));
  CHECK(without_performance(reports::render_timing_json(one.value().report)) ==
        without_performance(reports::render_timing_json(three.value().report)));
  // Different seeds took different paths.
  CHECK(one.value().report.runs[0].trace_digest != one.value().report.runs[1].trace_digest);
}

TEST_CASE("every span a run records reaches the summary") {
  // spans.csv and the summary must agree: a span the collector records but
  // the summary leaves out would vanish from report.json and the HTML table.
  for (const char* name : {"projected-token-deleted-pod-1-24.yaml", "legacy-token-cleanup-1-30.yaml"}) {
    INFO(name);
    auto result = run_sweep(library(name), SweepOptions{.first = 1, .last = 1, .jobs = 1});
    REQUIRE(result.ok());
    std::map<std::string, std::size_t> recorded;
    for (const reports::SpanInstance& instance : result.value().report.runs.front().spans) {
      if (instance.end) ++recorded[instance.span];
    }
    REQUIRE_FALSE(recorded.empty());
    std::map<std::string, std::size_t> summarized;
    for (const reports::SpanSummary& summary : reports::summarize(result.value().report)) {
      if (summary.count > 0) summarized[summary.span] = summary.count;
    }
    const auto render = [](const std::map<std::string, std::size_t>& counts) {
      std::string out;
      for (const auto& [span, count] : counts) out += span + "=" + std::to_string(count) + " ";
      return out;
    };
    CHECK(render(summarized) == render(recorded));
  }
}

TEST_CASE("a sweep reports progress for every seed") {
  const scenarios::Scenario scenario = library("seed-default-service-account.yaml");
  std::vector<std::size_t> seen;
  auto result = run_sweep(scenario, SweepOptions{.first = 5, .last = 7, .jobs = 2, .progress = [&](std::size_t done, std::size_t total) {
                                                   CHECK(total == 3);
                                                   seen.push_back(done);
                                                 }});
  REQUIRE(result.ok());
  CHECK(seen == std::vector<std::size_t>{1, 2, 3});
  CHECK(result.value().report.runs.front().seed == 5);
  CHECK(result.value().report.runs.back().seed == 7);
}

TEST_CASE("seed ranges parse as A..B or A") {
  CHECK(parse_seed_range("1..1000").value() == std::make_pair<std::uint64_t, std::uint64_t>(1, 1000));
  CHECK(parse_seed_range("42").value() == std::make_pair<std::uint64_t, std::uint64_t>(42, 42));
  CHECK(parse_seed_range("0..0").ok());
  for (const char* bad : {"", "..", "1..", "..5", "5..1", "a..b", "1...3", "-1..3", "1..2x", "1..99999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_seed_range(bad).ok());
  }
  CHECK(parse_seed_range("5..1").error().message.find("empty") != std::string::npos);
}

}  // namespace sweep_test
}  // namespace sasim::tools

namespace sasim::tools {
namespace sweep_test {

TEST_CASE("the shards of a sweep run each seed once and together the whole range") {
  const scenarios::Scenario scenario = library("seed-delete-token.yaml");
  auto whole = run_sweep(scenario, SweepOptions{.first = 3, .last = 9, .jobs = 2});
  REQUIRE(whole.ok());
  std::map<std::uint64_t, const reports::SeedTiming*> from_shards;
  std::vector<SweepResult> shards;
  for (std::uint64_t i = 0; i < 3; ++i) {
    auto shard = run_sweep(scenario, SweepOptions{.first = 3, .last = 9, .jobs = 1, .shard_index = i, .shard_count = 3});
    REQUIRE(shard.ok());
    shards.push_back(std::move(shard).value());
  }
  for (std::uint64_t i = 0; i < 3; ++i) {
    const reports::TimingReport& report = shards[i].report;
    // The whole range is named; the runs are this shard's seeds, in order.
    CHECK(report.seed_first == 3);
    CHECK(report.seed_last == 9);
    REQUIRE(report.runs.size() == (i == 0 ? 3u : 2u));
    for (std::size_t k = 0; k < report.runs.size(); ++k) {
      CHECK(report.runs[k].seed == 3 + i + 3 * k);
      CHECK(from_shards.emplace(report.runs[k].seed, &report.runs[k]).second);
    }
  }
  REQUIRE(from_shards.size() == whole.value().report.runs.size());
  for (const reports::SeedTiming& run : whole.value().report.runs) {
    const reports::SeedTiming& same = *from_shards.at(run.seed);
    CHECK(same.trace_digest == run.trace_digest);
    CHECK(same.spans.size() == run.spans.size());
    // Only the range's first seed keeps its time series, whichever shard runs it.
    CHECK(same.object_counts.size() == run.object_counts.size());
    CHECK(run.object_counts.empty() == (run.seed != 3));
  }
}

TEST_CASE("a shard of more shards than seeds runs nothing") {
  const scenarios::Scenario scenario = library("seed-delete-token.yaml");
  auto shard = run_sweep(scenario, SweepOptions{.first = 1, .last = 2, .jobs = 1, .shard_index = 4, .shard_count = 5});
  REQUIRE(shard.ok());
  CHECK(shard.value().report.runs.empty());
}

TEST_CASE("a report shard's record reads back as it was written") {
  const scenarios::Scenario scenario = library("seed-delete-token.yaml");
  auto shard = run_sweep(scenario, SweepOptions{.first = 1, .last = 4, .jobs = 1, .shard_index = 0, .shard_count = 2});
  REQUIRE(shard.ok());
  ReportShard record;
  record.sasim = "0.1.0 (commit test)";
  record.scenario_text = "name: x\n";
  record.sets = {"tokens-controller.qps=50"};
  record.shard_count = 2;
  record.report = shard.value().report;
  record.failure_replays = {{3, "sasim run x.yaml --seed 3"}};
  const nlohmann::json written = render_report_shard(record);
  auto read = parse_report_shard(written);
  if (!read.ok()) FAIL(read.error().message);
  CHECK(render_report_shard(read.value()) == written);
  CHECK(reports::render_spans_csv(read.value().report) == reports::render_spans_csv(record.report));

  nlohmann::json negative = written;
  negative["runs"][0]["spans"][0]["startNs"] = -1;
  auto refused = parse_report_shard(negative);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "shard.runs[0].spans[0]: \"startNs\" is not nanoseconds (>= 0)");
  nlohmann::json foreign = written;
  foreign["kind"] = "something else";
  REQUIRE_FALSE(parse_report_shard(foreign).ok());
  nlohmann::json bad_shard = written;
  bad_shard["shard"]["index"] = 2;
  auto outside = parse_report_shard(bad_shard);
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().message == "shard 2/2 is not a shard (0 <= I < N)");
}

}  // namespace sweep_test
}  // namespace sasim::tools
