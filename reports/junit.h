// JUnit XML (`sasim run --junit FILE`, `sasim fuzz --junit FILE`): the test
// report format CI servers read (Jenkins' junit step, GitLab's test reports,
// GitHub actions that publish test results), in the shape Ant's JUnit task
// wrote and those readers expect:
//
//   <testsuites name tests failures errors skipped time>
//     <testsuite name tests failures errors skipped time file>
//       <properties><property name value/></properties>
//       <testcase name classname time>
//         <failure message type>details</failure>   (or <error>, <skipped>)
//         <system-out>...</system-out>
//       </testcase>
//     </testsuite>
//   </testsuites>
//
// For `sasim run` a scenario is a suite and each step and each invariant a
// test case (`junit_suite`). A case's `time` is the step's simulated
// duration in seconds (what the step waited for), a suite's the wall time
// of its run. Plain data in, text out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "reports/run_record.h"

namespace sasim::reports {

struct JUnitCase {
  enum class Outcome : std::uint8_t { kPassed, kFailed, kError, kSkipped };
  std::string name{};
  std::string classname{};
  double time = 0;
  Outcome outcome = Outcome::kPassed;
  std::string message{};  // the failure's, error's or skip's one-line message
  std::string details{};  // its body
  std::string system_out{};
};

struct JUnitSuite {
  std::string name{};
  std::string file{};
  double time = 0;
  std::vector<std::pair<std::string, std::string>> properties{};
  std::vector<JUnitCase> cases{};
};

std::string render_junit(const std::vector<JUnitSuite>& suites, const std::string& name);

// A scenario's run: a case per step ("step N: LABEL", as the text output
// numbers it) and per invariant ("invariant NAME"). A violation that is a
// known upstream weakness passes, with the weakness in system-out, unless
// `strict`.
JUnitSuite junit_suite(const RunRecord& record, bool strict);

// A scenario file that could not be run (exit 2): one case, errored, with
// every diagnostic.
JUnitSuite junit_error_suite(const std::string& file, const std::string& message);

// Text made safe for XML 1.0: markup escaped, characters XML cannot hold
// (control characters but tab and line breaks) replaced by U+FFFD.
std::string xml_escape(const std::string& text);

}  // namespace sasim::reports
