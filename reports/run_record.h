// RunRecord: what one scenario run produced, as plain data, so that the
// renderings (human text, the contract's JSON) need nothing of the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/recorded_trace.h"
#include "sim/time.h"

namespace sasim::reports {

struct StepRecord {
  std::size_t index = 0;
  std::string name{};
  std::string action{};  // "create", "await", ...
  sim::Time start{};
  sim::Time end{};
  bool ok = true;
  std::string message{};  // why it failed: the expectation and what was found
  std::string output{};   // what `print:` showed
};

struct ViolationRecord {
  sim::Time time{};
  std::string message{};
  std::vector<std::string> objects{};  // "secret/ns/name"
  std::optional<std::string> known_weakness{};
  std::optional<std::string> known_upstream{};
};

struct InvariantRecord {
  std::string name{};
  std::string kind{};  // "always" or "eventually"
  bool held = true;
  std::vector<ViolationRecord> violations{};
};

struct RunRecord {
  std::string scenario{};
  std::string file{};
  std::uint64_t seed = 1;
  std::string version{};
  bool passed = true;
  std::vector<StepRecord> steps{};
  std::vector<InvariantRecord> invariants{};
  std::uint64_t events = 0;
  sim::Time simulated_time{};
  double wall_seconds = 0;
  std::uint64_t trace_digest = 0;
  std::optional<nlohmann::json> state{};  // --dump-state: every object at the end
  std::string replay_command{};           // the command that replays this run
  std::optional<RecordedTrace> trace{};   // RunOptions::record_trace: every entry, for --trace and reports
};

}  // namespace sasim::reports
