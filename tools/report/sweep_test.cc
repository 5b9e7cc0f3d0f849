// Seed sweeps: the report depends on the seeds, never on the job count.
#include "tools/report/sweep.h"

#include <catch2/catch.hpp>

#include "reports/report_html.h"
#include "reports/timing_json.h"
#include "scenarios/parser.h"

namespace sasim::tools {
namespace {

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

}  // namespace
}  // namespace sasim::tools
