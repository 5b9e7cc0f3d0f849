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

// An API answer that was an error, as the apiserver reported it (a
// metav1.Status, or a transport error shown as one), field by field, so that
// nothing downstream parses codes and reasons back out of a message.
struct StatusRecord {
  struct Cause {
    std::string type{};  // "FieldValueInvalid", "NamespaceTerminating", ...
    std::string message{};
    std::string field{};
  };
  int code = 0;
  std::string reason{};  // "NotFound", "ServerTimeout", ...
  std::string message{};
  // details
  std::string name{};
  std::string group{};
  std::string kind{};
  std::vector<Cause> causes{};
  int retry_after_seconds = 0;
};

struct StepRecord {
  std::size_t index = 0;
  std::string name{};
  std::string action{};  // "create", "await", ...
  sim::Time start{};
  sim::Time end{};
  bool ok = true;
  std::string message{};  // why it failed: the expectation and what was found
  std::string output{};   // what `print:` showed
  // API actions: the error the (last) response carried, whether or not the
  // step expected it; none for a success or a step that sends no request.
  std::optional<StatusRecord> status{};
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
  // How often the run took each marked path: hit counts indexed by the
  // model's probe ids (model/coverage/probes.h), possibly shorter than the
  // probe table (the rest are 0). Plain counts: runs add up by addition.
  std::vector<std::uint64_t> coverage{};
  std::optional<nlohmann::json> state{};  // --dump-state: every object at the end
  std::string replay_command{};           // the command that replays this run
  std::optional<RecordedTrace> trace{};   // RunOptions::record_trace: every entry, for --trace and reports
};

}  // namespace sasim::reports
