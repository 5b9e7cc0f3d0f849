// `kubectl get KIND`: the server-side table columns of pkg/printers/
// internalversion for the simulated kinds, printed by kubectl's tabwriter.
#include <set>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "model/objects/print.h"
#include "model/objects/tabwriter.h"

namespace sasim::model {
namespace {

using nlohmann::json;

std::string age(const ObjectMeta& meta, sim::Time now) {
  // The stored creationTimestamp has whole seconds; `now` does not.
  const std::int64_t created = meta.creation_timestamp.ns() / sim::Duration::kNsPerSecond * sim::Duration::kNsPerSecond;
  return human_duration(sim::Duration::nanoseconds(now.ns() - created));
}

// printPod's READY, STATUS and RESTARTS. Without reported container statuses
// (the simulated kubelet reports only the phase), a Running pod counts all its
// containers ready, as its kubelet would report once they started.
std::string pod_row(const Pod& pod) {
  const std::size_t total = pod.spec.containers.size();
  std::size_t ready = pod.status.phase == PodPhase::kRunning ? total : 0;
  std::int64_t restarts = 0;
  std::string reason(pod_phase_name(pod.status.phase));
  if (pod.status.extra) {
    const json statuses = pod.status.extra->value("containerStatuses", json());
    if (statuses.is_array()) {
      ready = 0;
      for (const json& s : statuses) {
        if (s.value("ready", false)) ++ready;
        const json count = s.value("restartCount", json(0));
        if (count.is_number_integer()) restarts += count.get<std::int64_t>();
      }
    }
    const json status_reason = pod.status.extra->value("reason", json(""));
    if (status_reason.is_string() && !status_reason.get<std::string>().empty()) reason = status_reason.get<std::string>();
  }
  if (pod.metadata.deletion_timestamp) reason = reason == "NodeLost" ? "Unknown" : "Terminating";
  return fmt::format("{}/{}\t{}\t{}", ready, total, reason, restarts);
}

// printNode's STATUS (Ready, NotReady or Unknown, then SchedulingDisabled)
// and ROLES (node-role.kubernetes.io/ROLE labels and kubernetes.io/role).
std::string node_status(const Node& node) {
  std::string status = "Unknown";
  for (const NodeCondition& c : node.status.conditions) {
    if (c.type == "Ready") status = c.status == "True" ? "Ready" : "NotReady";
  }
  if (node.spec.unschedulable) status += ",SchedulingDisabled";
  return status;
}

std::string node_roles(const Node& node) {
  constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
  std::set<std::string> roles;
  for (const auto& [key, value] : node.metadata.labels) {
    if (key.starts_with(kRolePrefix) && key.size() > kRolePrefix.size()) roles.insert(key.substr(kRolePrefix.size()));
    else if (key == "kubernetes.io/role" && !value.empty()) roles.insert(value);
  }
  std::string out;
  for (const std::string& role : roles) out += (out.empty() ? "" : ",") + role;
  return out.empty() ? "<none>" : out;
}

std::string kubelet_version(const Node& node) {
  if (!node.status.extra) return "";
  const json info = node.status.extra->value("nodeInfo", json::object());
  const json version = info.is_object() ? info.value("kubeletVersion", json("")) : json("");
  return version.is_string() ? version.get<std::string>() : "";
}

std::string_view header(Kind kind) {
  switch (kind) {
    case Kind::kNamespace: return "NAME\tSTATUS\tAGE";
    case Kind::kServiceAccount: return "NAME\tSECRETS\tAGE";
    case Kind::kSecret: return "NAME\tTYPE\tDATA\tAGE";
    case Kind::kPod: return "NAME\tREADY\tSTATUS\tRESTARTS\tAGE";
    case Kind::kNode: return "NAME\tSTATUS\tROLES\tAGE\tVERSION";
  }
  return "NAME";
}

std::string row(const Object& object, sim::Time now) {
  return std::visit(
      [&](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        std::string middle;
        if constexpr (std::is_same_v<T, Namespace>) {
          middle = o.phase == NamespacePhase::kActive ? "Active" : "Terminating";
        } else if constexpr (std::is_same_v<T, ServiceAccount>) {
          middle = std::to_string(o.secrets.size());
        } else if constexpr (std::is_same_v<T, Secret>) {
          middle = fmt::format("{}\t{}", o.type, o.data.size());
        } else if constexpr (std::is_same_v<T, Pod>) {
          middle = pod_row(o);
        } else {
          return fmt::format("{}\t{}\t{}\t{}\t{}", o.metadata.name, node_status(o), node_roles(o), age(o.metadata, now),
                             kubelet_version(o));
        }
        return fmt::format("{}\t{}\t{}", o.metadata.name, middle, age(o.metadata, now));
      },
      object);
}

}  // namespace

std::string human_duration(sim::Duration d) {
  const std::int64_t seconds = d.ns() / sim::Duration::kNsPerSecond;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return fmt::format("{}s", seconds);
  const std::int64_t minutes = seconds / 60;
  if (minutes < 10) {
    const std::int64_t s = seconds % 60;
    return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
  }
  if (minutes < 60 * 3) return fmt::format("{}m", minutes);
  const std::int64_t hours = seconds / 3600;
  if (hours < 8) {
    const std::int64_t m = minutes % 60;
    return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
  }
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) {
    const std::int64_t h = hours % 24;
    return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) {
    const std::int64_t dy = hours / 24 % 365;
    return dy == 0 ? fmt::format("{}y", hours / 24 / 365) : fmt::format("{}y{}d", hours / 24 / 365, dy);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

std::string print_table(Kind kind, const std::vector<ObjectPtr>& objects, sim::Time now, std::string_view namespace_) {
  if (objects.empty()) {
    return is_namespaced(kind) ? fmt::format("No resources found in {} namespace.\n", namespace_)
                               : std::string("No resources found\n");
  }
  std::string text = std::string(header(kind)) + "\n";
  for (const ObjectPtr& object : objects) {
    if (object && kind_of(*object) == kind) text += row(*object, now) + "\n";
  }
  return tabwrite(text, kTableTabs);
}

}  // namespace sasim::model
