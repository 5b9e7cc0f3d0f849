// The faults of the scenario format (§7) as the model takes them: plain
// data with model types. The scenario runner converts its parsed faults to
// these; property tests and fuzzers may build them directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/api/request.h"
#include "model/objects/object.h"
#include "sim/distribution.h"
#include "sim/ratio.h"
#include "sim/time.h"

namespace sasim::model::faults {

// Actor names as the scenario format uses them. "apiserver" in delay and
// errors means every client; "admission" in stale and dropEvents means the
// apiserver's own informers (admission's and the authenticator's caches).
inline constexpr const char* kEveryClient = "apiserver";
inline constexpr const char* kAdmission = "admission";

struct CrashSpec {
  std::string actor{};
  std::optional<sim::Duration> restart_after{};  // nullopt: the actor's restartDelay
};
struct CrashAfterSpec {
  std::string actor{};
  Verb verb = Verb::kCreate;
  Kind resource = Kind::kSecret;
};
struct PartitionSpec {
  std::string actor{};
};
struct DelaySpec {
  std::string actor{};
  sim::DurationDistribution extra{};
};
struct ErrorsSpec {
  std::string actor{};
  std::vector<Verb> verbs{};      // empty: every verb
  std::vector<Kind> resources{};  // empty: every resource
  std::optional<sim::Ratio> rate{};
  std::optional<std::int64_t> count{};  // with neither rate nor count, every matching request fails
  int code = 500;
  bool after_commit = false;  // phase: after
};
struct StaleSpec {
  std::string actor{};
  sim::Duration lag{};
};
struct DropEventsSpec {
  std::string actor{};
  std::vector<Kind> resources{};  // empty: every resource
  std::int64_t count = 1;
};
struct ApiserverRestartSpec {};

using FaultSpec = std::variant<CrashSpec, CrashAfterSpec, PartitionSpec, DelaySpec, ErrorsSpec, StaleSpec,
                               DropEventsSpec, ApiserverRestartSpec>;

// "crash tokens-controller", "errors tokens-controller 500": for trace notes.
std::string describe(const FaultSpec& spec);

}  // namespace sasim::model::faults
