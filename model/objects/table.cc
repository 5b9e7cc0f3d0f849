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

// printPod's READY, STATUS and RESTARTS, from the container statuses the
// kubelet reports: a container counts as ready when it is ready and running;
// the status is the phase, overridden by the pod's reason, an init
// container still at work ("Init:0/1"), or a container's waiting or
// terminated reason ("ContainerCreating"), and "Terminating" once deleted.
void pod_cells(const Pod& pod, std::vector<TableCell>& cells) {
  const std::size_t total = pod.spec.containers.size();
  std::size_t ready = 0;
  std::int64_t restarts = 0;
  std::string reason(pod_phase_name(pod.status.phase));
  const json status = pod.status.extra ? *pod.status.extra : json::object();
  auto text_at = [](const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto count_of = [](const json& object, const char* key) -> std::int64_t {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
  };
  if (!text_at(status, "reason").empty()) reason = text_at(status, "reason");
  bool initializing = false;
  const json init = status.value("initContainerStatuses", json::array());
  for (std::size_t i = 0; init.is_array() && i < init.size(); ++i) {
    const json& c = init[i];
    if (!c.is_object()) continue;
    restarts += count_of(c, "restartCount");
    const json state = c.value("state", json::object());
    const json terminated = state.value("terminated", json());
    const json waiting = state.value("waiting", json());
    if (terminated.is_object() && count_of(terminated, "exitCode") == 0) continue;
    if (terminated.is_object()) {
      if (!text_at(terminated, "reason").empty()) reason = "Init:" + text_at(terminated, "reason");
      else if (count_of(terminated, "signal") != 0) reason = fmt::format("Init:Signal:{}", count_of(terminated, "signal"));
      else reason = fmt::format("Init:ExitCode:{}", count_of(terminated, "exitCode"));
    } else if (waiting.is_object() && !text_at(waiting, "reason").empty() && text_at(waiting, "reason") != "PodInitializing") {
      reason = "Init:" + text_at(waiting, "reason");
    } else {
      reason = fmt::format("Init:{}/{}", i, pod.spec.init_containers.size());
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    restarts = 0;
    bool has_running = false;
    const json containers = status.value("containerStatuses", json::array());
    for (std::size_t n = containers.is_array() ? containers.size() : 0; n > 0; --n) {
      const json& c = containers[n - 1];
      if (!c.is_object()) continue;
      restarts += count_of(c, "restartCount");
      const json state = c.value("state", json::object());
      const json terminated = state.value("terminated", json());
      const json waiting = state.value("waiting", json());
      if (waiting.is_object() && !text_at(waiting, "reason").empty()) {
        reason = text_at(waiting, "reason");
      } else if (terminated.is_object() && !text_at(terminated, "reason").empty()) {
        reason = text_at(terminated, "reason");
      } else if (terminated.is_object()) {
        reason = count_of(terminated, "signal") != 0 ? fmt::format("Signal:{}", count_of(terminated, "signal"))
                                                     : fmt::format("ExitCode:{}", count_of(terminated, "exitCode"));
      } else if (c.value("ready", false) == true && state.value("running", json()).is_object()) {
        has_running = true;
        ++ready;
      }
    }
    if (reason == "Completed" && has_running) reason = "Running";
  }
  if (pod.metadata.deletion_timestamp) reason = text_at(status, "reason") == "NodeLost" ? "Unknown" : "Terminating";
  cells.emplace_back(fmt::format("{}/{}", ready, total));
  cells.emplace_back(reason);
  cells.emplace_back(restarts);
}

// printPod's -o wide columns: IP, NODE, NOMINATED NODE, READINESS GATES.
void pod_wide_cells(const Pod& pod, std::vector<TableCell>& cells) {
  auto status_text = [&](const char* key) {
    if (!pod.status.extra) return std::string("<none>");
    const json value = pod.status.extra->value(key, json(""));
    return value.is_string() && !value.get<std::string>().empty() ? value.get<std::string>() : std::string("<none>");
  };
  cells.emplace_back(status_text("podIP"));
  cells.emplace_back(pod.spec.node_name.empty() ? std::string("<none>") : pod.spec.node_name);
  cells.emplace_back(status_text("nominatedNodeName"));
  // "<ready>/<gates>" when the spec has readiness gates: a gate is ready when
  // a status condition of its type is True.
  std::string gates = "<none>";
  const json spec_gates = pod.spec.extra ? pod.spec.extra->value("readinessGates", json()) : json();
  if (spec_gates.is_array() && !spec_gates.empty()) {
    std::size_t ready = 0;
    const json conditions = pod.status.extra ? pod.status.extra->value("conditions", json()) : json();
    for (const json& gate : spec_gates) {
      for (const json& c : conditions.is_array() ? conditions : json::array()) {
        if (c.value("type", "") == gate.value("conditionType", "") && c.value("status", "") == "True") ++ready;
      }
    }
    gates = fmt::format("{}/{}", ready, spec_gates.size());
  }
  cells.emplace_back(gates);
}

// printNode's STATUS (Ready, NotReady or Unknown, then SchedulingDisabled).
std::string node_status(const Node& node) {
  std::string status = "Unknown";
  for (const NodeCondition& c : node.status.conditions) {
    if (c.type == "Ready") status = c.status == "True" ? "Ready" : "NotReady";
  }
  if (node.spec.unschedulable) status += ",SchedulingDisabled";
  return status;
}

std::string node_info(const Node& node, const char* key) {
  if (!node.status.extra) return "";
  const json info = node.status.extra->value("nodeInfo", json::object());
  const json value = info.is_object() ? info.value(key, json("")) : json("");
  return value.is_string() ? value.get<std::string>() : "";
}

// printNode's -o wide cells: the first InternalIP and ExternalIP address
// ("<none>" without one), then the OS image, kernel and container runtime
// ("<unknown>" when the kubelet has not reported them).
void node_wide_cells(const Node& node, std::vector<TableCell>& cells) {
  auto address = [&](std::string_view type) -> std::string {
    if (!node.status.extra) return "<none>";
    const json addresses = node.status.extra->value("addresses", json::array());
    if (!addresses.is_array()) return "<none>";
    for (const json& a : addresses) {
      if (a.is_object() && a.value("type", "") == type && a.value("address", json()).is_string()) {
        return a["address"].get<std::string>();
      }
    }
    return "<none>";
  };
  auto known = [](std::string value) { return value.empty() ? std::string("<unknown>") : value; };
  cells.emplace_back(address("InternalIP"));
  cells.emplace_back(address("ExternalIP"));
  cells.emplace_back(known(node_info(node, "osImage")));
  cells.emplace_back(known(node_info(node, "kernelVersion")));
  cells.emplace_back(known(node_info(node, "containerRuntimeVersion")));
}

std::string_view header(Kind kind) {
  switch (kind) {
    case Kind::kNamespace: return "NAME\tSTATUS\tAGE";
    case Kind::kServiceAccount: return "NAME\tSECRETS\tAGE";
    case Kind::kSecret: return "NAME\tTYPE\tDATA\tAGE";
    case Kind::kPod: return "NAME\tREADY\tSTATUS\tRESTARTS\tAGE";
    case Kind::kNode: return "NAME\tSTATUS\tROLES\tAGE\tVERSION";
    case Kind::kConfigMap: return "NAME\tDATA\tAGE";
  }
  return "NAME";
}

std::string cell_text(const TableCell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  return std::to_string(std::get<std::int64_t>(cell));
}

// The priority-0 columns, tab-separated: NAME .. AGE.
std::string row(const Object& object, sim::Time now) {
  const std::vector<TableCell> cells = table_cells(object, now);
  const Kind kind = kind_of(object);
  const std::size_t shown = kind == Kind::kPod || kind == Kind::kNode ? 5 : cells.size();
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += '\t';
    out += cell_text(cells[i]);
  }
  return out;
}

}  // namespace

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

std::vector<TableCell> table_cells(const Object& object, sim::Time now) {
  std::vector<TableCell> cells;
  std::visit(
      [&](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        cells.emplace_back(o.metadata.name);
        if constexpr (std::is_same_v<T, Namespace>) {
          cells.emplace_back(std::string(o.phase == NamespacePhase::kActive ? "Active" : "Terminating"));
        } else if constexpr (std::is_same_v<T, ServiceAccount>) {
          cells.emplace_back(static_cast<std::int64_t>(o.secrets.size()));
        } else if constexpr (std::is_same_v<T, Secret>) {
          cells.emplace_back(o.type);
          cells.emplace_back(static_cast<std::int64_t>(o.data.size()));
        } else if constexpr (std::is_same_v<T, Pod>) {
          pod_cells(o, cells);
        } else if constexpr (std::is_same_v<T, ConfigMap>) {
          // printConfigMap: data and binaryData keys together.
          cells.emplace_back(static_cast<std::int64_t>(o.data.size() + o.binary_data.size()));
        } else {
          cells.emplace_back(node_status(o));
          cells.emplace_back(node_roles(o));
        }
        cells.emplace_back(age(o.metadata, now));
        if constexpr (std::is_same_v<T, Pod>) pod_wide_cells(o, cells);
        if constexpr (std::is_same_v<T, Node>) {
          cells.emplace_back(node_info(o, "kubeletVersion"));
          node_wide_cells(o, cells);
        }
      },
      object);
  return cells;
}

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
