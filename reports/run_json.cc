#include "reports/run_json.h"

#include <fmt/format.h>

#include "sim/duration_text.h"

namespace sasim::reports {

namespace {

// As the API writes a Status: empty details fields are left out.
nlohmann::ordered_json status_json(const StatusRecord& status) {
  nlohmann::ordered_json out;
  out["code"] = status.code;
  out["reason"] = status.reason;
  out["message"] = status.message;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  if (!status.name.empty()) details["name"] = status.name;
  if (!status.group.empty()) details["group"] = status.group;
  if (!status.kind.empty()) details["kind"] = status.kind;
  if (!status.causes.empty()) {
    details["causes"] = nlohmann::ordered_json::array();
    for (const StatusRecord::Cause& cause : status.causes) {
      nlohmann::ordered_json c;
      if (!cause.type.empty()) c["reason"] = cause.type;
      if (!cause.message.empty()) c["message"] = cause.message;
      if (!cause.field.empty()) c["field"] = cause.field;
      details["causes"].push_back(std::move(c));
    }
  }
  if (status.retry_after_seconds > 0) details["retryAfterSeconds"] = status.retry_after_seconds;
  if (!details.empty()) out["details"] = std::move(details);
  return out;
}

}  // namespace

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
    if (step.status) s["status"] = status_json(*step.status);
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
