// `kubectl get KIND`: the server-side table columns of pkg/printers/
// internalversion for the four kinds, printed by kubectl's tabwriter.
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
void pod_cells(const Pod& pod, std::vector<TableCell>& cells) {
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

std::string_view header(Kind kind) {
  switch (kind) {
    case Kind::kNamespace: return "NAME\tSTATUS\tAGE";
    case Kind::kServiceAccount: return "NAME\tSECRETS\tAGE";
    case Kind::kSecret: return "NAME\tTYPE\tDATA\tAGE";
    case Kind::kPod: return "NAME\tREADY\tSTATUS\tRESTARTS\tAGE";
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
  const std::size_t shown = kind_of(object) == Kind::kPod ? 5 : cells.size();
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += '\t';
    out += cell_text(cells[i]);
  }
  return out;
}

}  // namespace

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
        } else {
          pod_cells(o, cells);
        }
        cells.emplace_back(age(o.metadata, now));
        if constexpr (std::is_same_v<T, Pod>) pod_wide_cells(o, cells);
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
