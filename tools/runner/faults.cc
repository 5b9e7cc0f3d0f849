#include "tools/runner/faults.h"

namespace sasim::tools {

namespace mf = model::faults;

model::faults::FaultSpec to_model_fault(const scenarios::Fault& fault) {
  return std::visit(
      [](const auto& f) -> mf::FaultSpec {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, scenarios::CrashFault>) {
          return mf::CrashSpec{.actor = f.actor, .restart_after = f.restart_after};
        } else if constexpr (std::is_same_v<T, scenarios::CrashAfterFault>) {
          return mf::CrashAfterSpec{.actor = f.actor, .verb = f.verb, .resource = f.resource};
        } else if constexpr (std::is_same_v<T, scenarios::PartitionFault>) {
          return mf::PartitionSpec{.actor = f.actor};
        } else if constexpr (std::is_same_v<T, scenarios::DelayFault>) {
          return mf::DelaySpec{.actor = f.actor, .extra = f.extra};
        } else if constexpr (std::is_same_v<T, scenarios::ErrorsFault>) {
          return mf::ErrorsSpec{.actor = f.actor,
                                .verbs = f.verbs,
                                .resources = f.resources,
                                .rate = f.rate,
                                .count = f.count,
                                .code = f.code,
                                .after_commit = f.phase == scenarios::ErrorsFault::Phase::kAfter};
        } else if constexpr (std::is_same_v<T, scenarios::StaleFault>) {
          return mf::StaleSpec{.actor = f.actor, .lag = f.lag};
        } else if constexpr (std::is_same_v<T, scenarios::DropEventsFault>) {
          return mf::DropEventsSpec{.actor = f.actor, .resources = f.resources, .count = f.count};
        } else {
          return mf::ApiserverRestartSpec{};
        }
      },
      fault.spec);
}

}  // namespace sasim::tools
