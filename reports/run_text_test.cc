#include "reports/run_text.h"
#include "sim/testing/time_points.h"

#include <catch2/catch.hpp>

namespace sasim::reports {
namespace {

using ::sasim::sim::testing::at_ms;

TEST_CASE("run text: each step with its start and end and the index --json gives it") {
  RunRecord r;
  r.scenario = "demo";
  r.file = "demo.yaml";
  r.version = "1.20";
  r.steps.push_back(StepRecord{.index = 0, .name = "", .action = "create", .start = at_ms(0), .end = at_ms(3)});
  r.steps.push_back(StepRecord{.index = 1, .name = "held late", .action = "await", .start = at_ms(970),
                               .end = at_ms(44000)});
  const std::string text = render_run_text(r);
  CHECK(text.find("            0s .. 3ms             ok   step  0  create\n") != std::string::npos);
  CHECK(text.find("         970ms .. 44s             ok   step  1  held late (await)\n") != std::string::npos);
}

}  // namespace
}  // namespace sasim::reports
