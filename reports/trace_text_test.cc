#include "reports/trace_text.h"

#include <catch2/catch.hpp>

namespace sasim::reports {
namespace {

std::string name_of(sim::ActorId id) { return "actor-" + std::to_string(id.value); }

TEST_CASE("a trace line shows time sequence actor kind and text", "[reports]") {
  const sim::TraceEntry entry{sim::Time::from_start(sim::Duration::microseconds(12'500)), 41, sim::ActorId{2},
                              sim::TraceKind::kMessage, "rumor #7 from actor-0"};
  CHECK(render_trace_line(entry, name_of) ==
        "        12.5ms  #41      actor-2      message  rumor #7 from actor-0");
  const sim::TraceEntry harness{sim::Time::zero(), 1, sim::ActorId::none(), sim::TraceKind::kCall, "step 1"};
  CHECK(render_trace_line(harness, name_of) == "            0s  #1       -            call     step 1");
}

TEST_CASE("a long trace is cut after max_lines with a count of the rest", "[reports]") {
  std::vector<sim::TraceEntry> entries;
  for (std::uint64_t i = 1; i <= 5; ++i) {
    entries.push_back({sim::Time::zero(), i, sim::ActorId{0}, sim::TraceKind::kTimer, "t"});
  }
  const std::string cut = render_trace(entries, name_of, 2);
  CHECK(cut.find("#2 ") != std::string::npos);
  CHECK(cut.find("#3 ") == std::string::npos);
  CHECK(cut.find("... 3 more entries") != std::string::npos);
  const std::string all = render_trace(entries, name_of, 0);
  CHECK(all.find("#5 ") != std::string::npos);
  CHECK(all.find("more entries") == std::string::npos);
}

}  // namespace
}  // namespace sasim::reports
