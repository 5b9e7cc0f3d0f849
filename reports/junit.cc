#include "reports/junit.h"

#include <fmt/format.h>

#include "reports/run_text.h"
#include "sim/duration_text.h"

namespace sasim::reports {
namespace {

std::string seconds(double s) { return fmt::format("{:.6f}", s < 0 ? 0.0 : s); }

double simulated_seconds(sim::Duration d) { return static_cast<double>(d.ns()) / 1e9; }

struct Counts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(const JUnitSuite& suite) {
    for (const JUnitCase& c : suite.cases) {
      ++tests;
      failures += c.outcome == JUnitCase::Outcome::kFailed;
      errors += c.outcome == JUnitCase::Outcome::kError;
      skipped += c.outcome == JUnitCase::Outcome::kSkipped;
    }
  }
  std::string attributes() const {
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"", tests, failures, errors, skipped);
  }
};

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot hold the character at all
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string render_junit(const std::vector<JUnitSuite>& suites, const std::string& name) {
  Counts all;
  double time = 0;
  for (const JUnitSuite& suite : suites) {
    all.add(suite);
    time += suite.time;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" {} time=\"{}\">\n", xml_escape(name), all.attributes(), seconds(time));
  for (const JUnitSuite& suite : suites) {
    Counts counts;
    counts.add(suite);
    out += fmt::format("  <testsuite name=\"{}\" {} time=\"{}\"{}>\n", xml_escape(suite.name), counts.attributes(),
                       seconds(suite.time), suite.file.empty() ? "" : " file=\"" + xml_escape(suite.file) + "\"");
    if (!suite.properties.empty()) {
      out += "    <properties>\n";
      for (const auto& [key, value] : suite.properties) {
        out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml_escape(key), xml_escape(value));
      }
      out += "    </properties>\n";
    }
    for (const JUnitCase& c : suite.cases) {
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escape(c.name),
                         xml_escape(c.classname), seconds(c.time));
      if (c.outcome == JUnitCase::Outcome::kPassed && c.system_out.empty()) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      const char* element = c.outcome == JUnitCase::Outcome::kFailed  ? "failure"
                            : c.outcome == JUnitCase::Outcome::kError ? "error"
                            : c.outcome == JUnitCase::Outcome::kSkipped ? "skipped"
                                                                        : nullptr;
      if (element != nullptr) {
        out += fmt::format("      <{} message=\"{}\"{}>{}</{}>\n", element, xml_escape(c.message),
                           c.outcome == JUnitCase::Outcome::kSkipped ? "" : " type=\"" + std::string(element) + "\"",
                           xml_escape(c.details), element);
      }
      if (!c.system_out.empty()) out += "      <system-out>" + xml_escape(c.system_out) + "</system-out>\n";
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

JUnitSuite junit_suite(const RunRecord& record, bool strict) {
  JUnitSuite suite;
  suite.name = record.scenario;
  suite.file = record.file;
  suite.time = record.wall_seconds;
  suite.properties = {{"seed", std::to_string(record.seed)},
                      {"version", record.version},
                      {"traceDigest", fmt::format("{:016x}", record.trace_digest)},
                      {"simulatedTime", sim::format_time(record.simulated_time)}};
  if (!record.passed) suite.properties.emplace_back("replay", record.replay_command);
  for (const StepRecord& step : record.steps) {
    JUnitCase c;
    c.name = fmt::format("step {}: {}", step.index, step_label(step));
    c.classname = record.scenario;
    c.time = simulated_seconds(step.end - step.start);
    if (!step.ok) {
      c.outcome = JUnitCase::Outcome::kFailed;
      c.message = step.message.substr(0, step.message.find('\n'));
      c.details = fmt::format("{}\nstarted at {}, ended at {} (simulated)\nreplay: {}", step.message,
                              sim::format_time(step.start), sim::format_time(step.end), record.replay_command);
    }
    if (!step.output.empty()) c.system_out = step.output;
    suite.cases.push_back(std::move(c));
  }
  for (const InvariantRecord& inv : record.invariants) {
    JUnitCase c;
    c.name = "invariant " + inv.name;
    c.classname = record.scenario;
    std::string failures;
    std::string known;
    for (const ViolationRecord& v : inv.violations) {
      const std::string line = fmt::format("{}: {}", sim::format_time(v.time), v.message);
      if (v.known_weakness && !strict) {
        known += fmt::format("{} (known upstream weakness {}, {})\n", line, *v.known_weakness,
                             v.known_upstream.value_or(""));
      } else {
        failures += line + (v.known_weakness ? " (known upstream weakness " + *v.known_weakness + ", --strict)" : "") +
                    "\n";
        if (c.message.empty()) c.message = v.message;
      }
    }
    if (!failures.empty()) {
      c.outcome = JUnitCase::Outcome::kFailed;
      c.details = failures + "replay: " + record.replay_command;
    }
    c.system_out = known;
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

JUnitSuite junit_error_suite(const std::string& file, const std::string& message) {
  JUnitSuite suite;
  suite.name = file;
  suite.file = file;
  JUnitCase c;
  c.name = "parse and validate";
  c.classname = file;
  c.outcome = JUnitCase::Outcome::kError;
  c.message = message.substr(0, message.find('\n'));
  c.details = message;
  suite.cases.push_back(std::move(c));
  return suite;
}

}  // namespace sasim::reports
