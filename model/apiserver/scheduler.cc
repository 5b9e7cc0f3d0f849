#include "model/apiserver/scheduler.h"

#include <map>

#include <nlohmann/json.hpp>

#include "model/objects/timestamp.h"

namespace sasim::model {
namespace {

using nlohmann::json;

bool selector_matches(const Pod& pod, const Node& node) {
  if (!pod.spec.extra) return true;
  auto it = pod.spec.extra->find("nodeSelector");
  if (it == pod.spec.extra->end() || !it->is_object()) return true;
  for (const auto& [key, value] : it->items()) {
    auto label = node.metadata.labels.find(key);
    if (label == node.metadata.labels.end() || !value.is_string() || label->second != value.get<std::string>()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> pick_node(const Store& store, const Pod& pod) {
  std::optional<std::string> best;
  std::size_t fewest = 0;
  for (const ObjectPtr& object : store.list(Kind::kNode)) {  // in name order: ties go to the first
    const auto& node = std::get<Node>(*object);
    if (!node_ready(node) || node.spec.unschedulable || node.metadata.deletion_timestamp) continue;
    if (!selector_matches(pod, node)) continue;
    const std::size_t count = store.pods_on_node(node.metadata.name);
    if (!best || count < fewest) {
      best = node.metadata.name;
      fewest = count;
    }
  }
  return best;
}

Pod bound_pod(const Pod& pod, const std::string& node, sim::Time now, std::int64_t epoch_unix_seconds) {
  Pod bound = pod;
  bound.spec.node_name = node;
  // podutil.UpdatePodCondition: the condition replaces one of its type.
  json status = bound.status.extra ? *bound.status.extra : json::object();
  json conditions = json::array();
  if (status.contains("conditions") && status["conditions"].is_array()) {
    for (const json& c : status["conditions"]) {
      if (!(c.is_object() && c.value("type", json()) == "PodScheduled")) conditions.push_back(c);
    }
  }
  conditions.push_back({{"type", "PodScheduled"},
                        {"status", "True"},
                        {"lastProbeTime", nullptr},
                        {"lastTransitionTime", format_rfc3339(wall_seconds(now, epoch_unix_seconds))}});
  status["conditions"] = std::move(conditions);
  bound.status.extra = std::make_shared<const json>(std::move(status));
  return bound;
}

}  // namespace sasim::model
