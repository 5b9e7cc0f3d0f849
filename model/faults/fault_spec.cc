#include "model/faults/fault_spec.h"

namespace sasim::model::faults {

std::string describe(const FaultSpec& spec) {
  return std::visit(
      [](const auto& f) -> std::string {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, CrashSpec>) return "crash " + f.actor;
        if constexpr (std::is_same_v<T, CrashAfterSpec>) {
          return "crashAfter " + f.actor + " " + std::string(verb_name(f.verb)) + " " +
                 std::string(resource_name(f.resource));
        }
        if constexpr (std::is_same_v<T, PartitionSpec>) return "partition " + f.actor;
        if constexpr (std::is_same_v<T, DelaySpec>) return "delay " + f.actor;
        if constexpr (std::is_same_v<T, ErrorsSpec>) {
          return "errors " + f.actor + " " + std::to_string(f.code) + (f.after_commit ? " after" : "");
        }
        if constexpr (std::is_same_v<T, StaleSpec>) return "stale " + f.actor;
        if constexpr (std::is_same_v<T, DropEventsSpec>) return "dropEvents " + f.actor;
        return "apiserverRestart";
      },
      spec);
}

}  // namespace sasim::model::faults
