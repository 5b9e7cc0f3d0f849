#include "reports/run_json.h"

#include <fmt/format.h>

#include "sim/duration_text.h"

namespace sasim::reports {

nlohmann::ordered_json render_run_json(const RunRecord& r) {
  nlohmann::ordered_json out;
  out["scenario"] = r.scenario;
  out["file"] = r.file;
  out["seed"] = r.seed;
  out["version"] = r.version;
  out["passed"] = r.passed;
  out["steps"] = nlohmann::ordered_json::array();
  for (const StepRecord& step : r.steps) {
    nlohmann::ordered_json s;
    s["index"] = step.index;
    s["name"] = step.name;
    s["action"] = step.action;
    s["start"] = sim::format_time(step.start);
    s["end"] = sim::format_time(step.end);
    s["ok"] = step.ok;
    s["message"] = step.message;
    if (!step.output.empty()) s["output"] = step.output;
    out["steps"].push_back(std::move(s));
  }
  out["invariants"] = nlohmann::ordered_json::array();
  for (const InvariantRecord& inv : r.invariants) {
    nlohmann::ordered_json i;
    i["name"] = inv.name;
    i["kind"] = inv.kind;
    i["held"] = inv.held;
    i["violations"] = nlohmann::ordered_json::array();
    for (const ViolationRecord& v : inv.violations) {
      nlohmann::ordered_json j;
      j["time"] = sim::format_time(v.time);
      j["message"] = v.message;
      j["objects"] = v.objects;
      if (v.known_weakness) j["known"] = {{"weakness", *v.known_weakness}, {"upstream", v.known_upstream.value_or("")}};
      i["violations"].push_back(std::move(j));
    }
    out["invariants"].push_back(std::move(i));
  }
  out["stats"] = {{"events", r.events},
                  {"simulatedTime", sim::format_time(r.simulated_time)},
                  {"wallSeconds", r.wall_seconds}};
  out["traceDigest"] = fmt::format("{:016x}", r.trace_digest);
  if (r.state) out["state"] = *r.state;
  return out;
}

}  // namespace sasim::reports
