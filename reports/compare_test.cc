#include "reports/compare.h"

#include <catch2/catch.hpp>

#include "reports/timing_json.h"
#include "sim/testing/time_points.h"

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;

// A report whose token-ready instances take `ms` each.
nlohmann::json report_with(std::int64_t ms, const std::string& qps) {
  TimingReport report;
  report.scenario = "burst";
  report.file = "burst.yaml";
  report.version = "1.20";
  report.seed_first = 1;
  report.seed_last = 1;
  report.parameters = {{"tokens-controller.qps", qps}, {"apiserver.latency", "2ms"}};
  SeedTiming run;
  run.seed = 1;
  for (int i = 0; i < 10; ++i) {
    run.spans.push_back(SpanInstance{.span = "token-ready", .subject = "ns/sa-" + std::to_string(i), .seed = 1,
                                     .start = at_ms(0), .end = at_ms(ms), .end_seq = 5});
  }
  report.runs.push_back(run);
  return render_timing_json(report);
}

TEST_CASE("compare: spans side by side with their change against the first report") {
  const nlohmann::json a = report_with(400, "20");
  const nlohmann::json b = report_with(100, "50");
  CHECK_FALSE(check_comparable(a).has_value());
  const nlohmann::json out = render_comparison_json({{"qps=20", a}, {"qps=50", b}});
  REQUIRE(out["reports"].size() == 2);
  CHECK(out["reports"][1]["label"] == "qps=50");
  // Only the parameter that differs is marked.
  for (const auto& p : out["parameters"]) {
    CHECK(p["differs"] == (p["parameter"] == "tokens-controller.qps"));
  }
  const nlohmann::json& ready = out["spans"][1];
  CHECK(ready["span"] == "token-ready");
  CHECK(ready["reports"][0]["p99"] == "400ms");
  CHECK(ready["reports"][1]["ns"]["p50"] == 100000000);
  const nlohmann::json& d = ready["differences"][0];
  CHECK(d["from"] == "qps=20");
  CHECK(d["p99"]["delta"] == "-300ms");
  CHECK(d["p99"]["deltaNs"] == -300000000);
  CHECK(d["p99"]["ratio"].get<double>() == Approx(0.25));
  // A span neither report measured has no figures and no differences.
  const nlohmann::json& replaced = out["spans"][2];
  CHECK(replaced["reports"][0]["ns"]["p50"].is_null());
  CHECK(replaced["differences"][0]["p50"].is_null());
  const std::string html = render_comparison_html({{"qps=20", a}, {"qps=50", b}});
  CHECK(html.find("<h3>token-ready</h3>") != std::string::npos);
  CHECK(html.find("(-75 %)") != std::string::npos);
  CHECK(html.find("<h3>token-replaced</h3>") == std::string::npos);
}

TEST_CASE("compare: a document that is not a report is refused with the reason") {
  CHECK(check_comparable(nlohmann::json::array()).value() == "not a JSON object");
  nlohmann::json bad = report_with(1, "20");
  bad["spans"][3].erase("ns");
  CHECK(check_comparable(bad).value() == "spans[3] lacks span, count, open or ns");
}

}  // namespace
}  // namespace sasim::reports
