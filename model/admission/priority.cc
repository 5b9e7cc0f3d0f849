#include "model/admission/priority.h"

#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/admission/errors.h"

namespace sasim::model::admission {
namespace {

using nlohmann::json;

constexpr std::int64_t kSystemCriticalPriority = 2'000'000'000;
constexpr std::string_view kPreemptLowerPriority = "PreemptLowerPriority";

// The PriorityClasses of a fresh cluster (scheduling.SystemPriorityClasses).
std::optional<std::int64_t> class_value(const std::string& name) {
  if (name == "system-node-critical") return kSystemCriticalPriority + 1000;
  if (name == "system-cluster-critical") return kSystemCriticalPriority;
  return std::nullopt;
}

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

std::optional<ApiStatus> admit_priority(const Attributes& attributes, Pod& pod, const Pod* old_pod) {
  if (attributes.resource != kPodsResource || !attributes.subresource.empty()) return std::nullopt;
  json spec = pod.spec.extra ? *pod.spec.extra : json::object();
  if (attributes.operation == Operation::kUpdate) {
    if (old_pod == nullptr || !old_pod->spec.extra) return std::nullopt;
    bool changed = false;
    for (const char* key : {"priority", "preemptionPolicy"}) {
      auto before = old_pod->spec.extra->find(key);
      if ((!spec.contains(key) || spec[key].is_null()) && before != old_pod->spec.extra->end()) {
        spec[key] = *before;
        changed = true;
      }
    }
    if (changed) pod.spec.extra = std::make_shared<const json>(std::move(spec));
    return std::nullopt;
  }
  if (attributes.operation != Operation::kCreate) return std::nullopt;

  const std::string class_name = spec.contains("priorityClassName") ? text_of(spec["priorityClassName"]) : "";
  std::int64_t priority = 0;
  if (!class_name.empty()) {
    auto value = class_value(class_name);
    if (!value) return forbidden(attributes, &pod, fmt::format("no PriorityClass with name {} was found", class_name));
    priority = *value;
  }
  if (auto given = spec.find("priority"); given != spec.end() && !given->is_null()) {
    if (!given->is_number_integer() || given->get<std::int64_t>() != priority) {
      return forbidden(attributes, &pod,
                       fmt::format("the integer value of priority ({}) must not be provided in pod spec; priority "
                                   "admission controller computed {} from the given PriorityClass name",
                                   text_of(*given), priority));
    }
  }
  spec["priority"] = priority;
  if (auto given = spec.find("preemptionPolicy"); given != spec.end() && !given->is_null()) {
    if (text_of(*given) != kPreemptLowerPriority) {
      return forbidden(attributes, &pod,
                       fmt::format("the string value of PreemptionPolicy ({}) must not be provided in pod spec; "
                                   "priority admission controller computed {} from the given PriorityClass name",
                                   text_of(*given), kPreemptLowerPriority));
    }
  }
  spec["preemptionPolicy"] = kPreemptLowerPriority;
  pod.spec.extra = std::make_shared<const json>(std::move(spec));
  return std::nullopt;
}

}  // namespace sasim::model::admission
