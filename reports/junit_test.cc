#include "reports/junit.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;

RunRecord failing_run() {
  RunRecord r;
  r.scenario = "demo";
  r.file = "demo.yaml";
  r.seed = 3;
  r.version = "1.20";
  r.passed = false;
  r.replay_command = "sasim run demo.yaml --seed 3";
  StepRecord ok{.index = 0, .name = "", .action = "create", .start = at_ms(0), .end = at_ms(2), .ok = true};
  StepRecord bad{.index = 1, .name = "the <token> works", .action = "authenticate", .start = at_ms(2),
                 .end = at_ms(1500), .ok = false, .message = "expected user x, got \"y\" & z"};
  r.steps = {ok, bad};
  InvariantRecord held{.name = "uids-are-unique", .kind = "always"};
  InvariantRecord known{.name = "every-serviceaccount-has-valid-token", .kind = "eventually", .held = false};
  known.violations.push_back(ViolationRecord{.time = at_ms(9), .message = "sa/x has no token", .objects = {},
                                             .known_weakness = "retries-exhausted",
                                             .known_upstream = "kubernetes/kubernetes#106587"});
  r.invariants = {held, known};
  return r;
}

TEST_CASE("junit: a scenario is a suite with a case per step and per invariant") {
  const JUnitSuite suite = junit_suite(failing_run(), /*strict=*/false);
  REQUIRE(suite.cases.size() == 4);
  CHECK(suite.cases[0].name == "step 0: create");
  CHECK(suite.cases[0].time == Approx(0.002));
  CHECK(suite.cases[1].name == "step 1: the <token> works (authenticate)");
  CHECK(suite.cases[1].outcome == JUnitCase::Outcome::kFailed);
  CHECK(suite.cases[1].details.find("replay: sasim run demo.yaml --seed 3") != std::string::npos);
  CHECK(suite.cases[2].name == "invariant uids-are-unique");
  CHECK(suite.cases[2].outcome == JUnitCase::Outcome::kPassed);
  // A known weakness passes unless strict, and says so.
  CHECK(suite.cases[3].outcome == JUnitCase::Outcome::kPassed);
  CHECK(suite.cases[3].system_out.find("retries-exhausted") != std::string::npos);
  CHECK(junit_suite(failing_run(), /*strict=*/true).cases[3].outcome == JUnitCase::Outcome::kFailed);
}

TEST_CASE("junit: the document counts cases and escapes text") {
  const std::string xml = render_junit({junit_suite(failing_run(), false), junit_error_suite("bad.yaml", "bad.yaml:1:1: error: x")},
                                       "sasim run");
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sasim run\" tests=\"5\" failures=\"1\" "
                  "errors=\"1\" skipped=\"0\"",
                  0) == 0);
  CHECK(xml.find("<testsuite name=\"demo\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"0\"") != std::string::npos);
  CHECK(xml.find("name=\"step 1: the &lt;token&gt; works (authenticate)\"") != std::string::npos);
  CHECK(xml.find("message=\"expected user x, got &quot;y&quot; &amp; z\"") != std::string::npos);
  CHECK(xml.find("<error message=\"bad.yaml:1:1: error: x\" type=\"error\">") != std::string::npos);
  CHECK(xml_escape(std::string("a\x01" "b\tc")) == "a\xEF\xBF\xBD" "b\tc");
}

}  // namespace
}  // namespace sasim::reports
