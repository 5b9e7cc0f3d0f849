// Timing report statistics and renderings, on hand-made data.
#include <catch2/catch.hpp>

#include "reports/report_html.h"
#include "reports/svg_plot.h"
#include "reports/timing.h"
#include "reports/timing_json.h"
#include "sim/testing/time_points.h"

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;
using ::sasim::sim::testing::ms;

SpanInstance finished(const std::string& span, const std::string& subject, std::uint64_t seed, std::int64_t start,
                      std::int64_t end) {
  return SpanInstance{.span = span, .subject = subject, .seed = seed, .start = at_ms(start), .end = at_ms(end),
                      .end_seq = static_cast<std::uint64_t>(end)};
}

TimingReport sample_report() {
  TimingReport report;
  report.scenario = "sample";
  report.file = "sample.yaml";
  report.version = "1.20";
  report.seed_first = 1;
  report.seed_last = 2;
  report.parameters = {{"tokens-controller.qps", "20"}};
  SeedTiming a;
  a.seed = 1;
  a.events = 100;
  a.simulated_time = at_ms(1000);
  for (int i = 1; i <= 100; ++i) a.spans.push_back(finished("token-ready", "ns/sa-" + std::to_string(i), 1, 0, i));
  a.spans.push_back(SpanInstance{.span = "auth-outage", .subject = "ns/pod", .seed = 1, .start = at_ms(500)});
  a.object_counts = {{"secrets", {{at_ms(0), 3}, {at_ms(10), 5}, {at_ms(1000), 5}}}};
  a.queue_depths = {{"tokens-controller", {{at_ms(0), 0}, {at_ms(1), 4}, {at_ms(20), 0}}}};
  SeedTiming b;
  b.seed = 2;
  b.events = 50;
  b.simulated_time = at_ms(3000);
  b.spans.push_back(finished("pod-admitted", "ns/p", 2, 100, 2100));
  b.spans.back().retries = 2;
  report.runs = {a, b};
  report.wall_seconds = 0.5;
  return report;
}

TEST_CASE("nearest-rank percentiles") {
  std::vector<sim::Duration> values;
  for (int i = 1; i <= 100; ++i) values.push_back(ms(i));
  CHECK(percentile(values, 500) == ms(50));
  CHECK(percentile(values, 900) == ms(90));
  CHECK(percentile(values, 990) == ms(99));
  CHECK(percentile(values, 1000) == ms(100));
  CHECK(percentile(values, 0) == ms(1));
  CHECK(percentile({ms(7)}, 990) == ms(7));
  CHECK(percentile({}, 500) == sim::Duration::zero());
  // Three values: p50 is the second (ceil(1.5) = 2), p90 and p99 the third.
  CHECK(percentile({ms(1), ms(2), ms(3)}, 500) == ms(2));
  CHECK(percentile({ms(1), ms(2), ms(3)}, 900) == ms(3));
}

TEST_CASE("summaries cover every span in the contract's order and count open instances apart") {
  const auto summary = summarize(sample_report());
  REQUIRE(summary.size() == 12);
  CHECK(summary[8].span == "token-refreshed");
  CHECK(summary[9].span == "bound-token-revocation");
  CHECK(summary[11].span == "legacy-token-cleaned");
  CHECK(summary[0].span == "default-serviceaccount-ready");
  CHECK(summary[0].count == 0);
  const SpanSummary& ready = summary[1];
  CHECK(ready.span == "token-ready");
  CHECK(ready.count == 100);
  CHECK(ready.min == ms(1));
  CHECK(ready.p50 == ms(50));
  CHECK(ready.p99 == ms(99));
  CHECK(ready.max == ms(100));
  CHECK(ready.last_end == at_ms(100));
  const SpanSummary& admitted = summary[4];
  CHECK(admitted.count == 1);
  CHECK(admitted.max == ms(2000));
  CHECK(admitted.max_retries == 2);
  const SpanSummary& outage = summary[7];
  CHECK(outage.count == 0);
  CHECK(outage.open == 1);
}

TEST_CASE("an outage that ended with its run counts as open and in the figures") {
  TimingReport report = sample_report();
  SpanInstance& outage = report.runs[0].spans.back();
  outage.end = at_ms(900);
  outage.open = true;
  const SpanSummary s = summarize(report)[7];
  CHECK(s.count == 1);
  CHECK(s.open == 1);
  CHECK(s.max == ms(400));
  CHECK(render_spans_csv(report).find("auth-outage,ns/pod,1,500000000,900000000,400000000,0,0,true\n") !=
        std::string::npos);
}

TEST_CASE("the slowest instances come first with ties broken by seed and start") {
  TimingReport report = sample_report();
  report.runs[1].spans.push_back(finished("token-ready", "ns/other", 2, 0, 100));
  const auto slow = slowest(report, "token-ready", 3);
  REQUIRE(slow.size() == 3);
  CHECK(slow[0]->subject == "ns/sa-100");  // seed 1 before seed 2 at equal durations
  CHECK(slow[1]->subject == "ns/other");
  CHECK(slow[2]->subject == "ns/sa-99");
}

TEST_CASE("spans.csv has a header and one row per instance with open ones lacking an end") {
  const std::string csv = render_spans_csv(sample_report());
  CHECK(csv.rfind("span,subject,seed,start_ns,end_ns,duration_ns,end_seq,retries,open\n", 0) == 0);
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  CHECK(rows == 1 + 102);
  CHECK(csv.find("token-ready,ns/sa-7,1,0,7000000,7000000,7,0,false\n") != std::string::npos);
  CHECK(csv.find("auth-outage,ns/pod,1,500000000,,,,0,true\n") != std::string::npos);
  CHECK(csv.find("pod-admitted,ns/p,2,100000000,2100000000,2000000000,2100,2,false\n") != std::string::npos);
}

TEST_CASE("report.json follows the documented schema") {
  const nlohmann::json report = render_timing_json(sample_report());
  for (const char* key : {"scenario", "file", "version", "seeds", "parameters", "spans", "contributors", "runs",
                          "timeSeries", "performance"}) {
    INFO(key);
    CHECK(report.contains(key));
  }
  CHECK(report["seeds"] == nlohmann::json({{"first", 1}, {"last", 2}, {"count", 2}}));
  REQUIRE(report["spans"].size() == 12);
  const auto& ready = report["spans"][1];
  CHECK(ready["span"] == "token-ready");
  CHECK(ready["count"] == 100);
  CHECK(ready["p99"] == "99ms");
  CHECK(ready["ns"]["max"] == 100000000);
  CHECK(ready["lastEnd"] == "100ms");
  REQUIRE(ready["slowest"].size() == 5);
  CHECK(ready["slowest"][0]["endSeq"] == 100);
  CHECK(ready["slowest"][0]["seed"] == 1);
  CHECK(report["spans"][7]["open"] == 1);
  // A span without finished instances has no statistics: null, not "0s".
  const auto& replaced = report["spans"][2];
  CHECK(replaced["span"] == "token-replaced");
  CHECK(replaced["count"] == 0);
  for (const char* key : {"min", "p50", "p90", "p99", "max", "lastEnd"}) {
    INFO(key);
    CHECK(replaced[key].is_null());
    CHECK(replaced["ns"][key].is_null());
  }
  CHECK(report["runs"][1]["simulatedTime"] == "3s");
  CHECK(report["timeSeries"]["seed"] == 1);
  CHECK(report["timeSeries"]["objectCounts"][0]["points"][1] == nlohmann::json::array({10000000, 5}));
  CHECK(report["performance"]["events"] == 150);
  CHECK(report["performance"]["simulatedSecondsPerWallSecond"].get<double>() == Approx(8.0));
}

TEST_CASE("report.html is one page with tables and plots and no external resource") {
  const std::string html = render_timing_html(sample_report());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("id=\"span-summary\"") != std::string::npos);
  CHECK(html.find("<td class=\"name\">token-ready</td><td>100</td>") != std::string::npos);
  CHECK(html.find("class=\"plot histogram\"") != std::string::npos);
  CHECK(html.find("class=\"plot series\"") != std::string::npos);
  CHECK(html.find("tokens-controller.qps") != std::string::npos);
  CHECK(html.find("simulated seconds per wall second") != std::string::npos);
  for (const char* banned : {"http:", "https:", "<script", "src=", "@import", "url(", "href="}) {
    INFO(banned);
    CHECK(html.find(banned) == std::string::npos);
  }
  // No critical-path section until the caller provides one.
  CHECK(html.find("id=\"critical-path\"") == std::string::npos);
}

TEST_CASE("critical-path contributors print as a sentence per span") {
  TimingReport report = sample_report();
  report.contributors.push_back(
      {"token-ready", "p99", {{"tokens-controller client rate limit", 0.8}, {"apiserver", 0.15}}});
  CHECK(describe_contributors(report.contributors[0]) ==
        "token-ready p99: 80 % tokens-controller client rate limit, 15 % apiserver");
  const std::string html = render_timing_html(report);
  CHECK(html.find("id=\"critical-path\"") != std::string::npos);
  CHECK(html.find("token-ready p99: 80 % tokens-controller client rate limit") != std::string::npos);
  const nlohmann::json rendered = render_timing_json(report);
  CHECK(rendered["contributors"][0]["shares"][0]["share"] == 0.8);
}

TEST_CASE("durations for people keep three significant digits and never an exponent") {
  CHECK(short_duration(7586225) == "7.59ms");
  CHECK(short_duration(999.7e6) == "1000ms");
  CHECK(short_duration(120.13e9) == "2.00m");
  CHECK(short_duration(0) == "0");
  CHECK(short_duration(5) == "5.00ns");
  CHECK(short_duration(5000 * 3600e9) == "5000h");
}

TEST_CASE("plots escape their text and handle empty and constant data") {
  CHECK(html_escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;");
  CHECK(svg_histogram({}, "none").find("no finished instances") != std::string::npos);
  const std::string constant = svg_histogram({ms(5), ms(5)}, "same");
  CHECK(constant.find("class=\"bar\"") != std::string::npos);
  CHECK(svg_series({}, "t", "y").find("no samples") != std::string::npos);
}

}  // namespace
}  // namespace sasim::reports
