#include "api/tables.h"

#include "model/objects/print.h"

namespace sasim::api {
namespace {

using nlohmann::json;

json column(const char* name, const char* type, const char* description, int priority = 0, const char* format = "") {
  json out{{"name", name}, {"type", type}, {"format", format}, {"description", description}, {"priority", priority}};
  return out;
}

json name_column() {
  return column("Name", "string",
                "Name must be unique within a namespace. Is required when creating resources, although some resources "
                "may allow a client to request the generation of an appropriate name automatically. Name is primarily "
                "intended for creation idempotence and configuration definition. Cannot be updated. More info: "
                "http://kubernetes.io/docs/user-guide/identifiers#names",
                0, "name");
}

json age_column() {
  return column("Age", "string",
                "CreationTimestamp is a timestamp representing the server time when this object was created. It is "
                "not guaranteed to be set in happens-before order across separate operations. Clients may not set this "
                "value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null "
                "for lists. More info: "
                "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
}

json cell_json(const model::TableCell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  return std::get<std::int64_t>(cell);
}

}  // namespace

json table_columns(const Resource& resource) {
  json columns = json::array({name_column()});
  if (resource.is_events()) {
    // printEvent's columns (Name moves to -o wide there; the list is always
    // empty here, so only the header matters).
    return json::array({column("Last Seen", "string", "The last time this event occurred."),
                        column("Type", "string", "Type of this event."),
                        column("Reason", "string", "The reason for this event."),
                        column("Object", "string", "The object this event is about."),
                        column("Message", "string", "A human-readable description of the event.")});
  }
  switch (*resource.kind) {
    case model::Kind::kNamespace:
      columns.push_back(column("Status", "string", "The status of the namespace"));
      break;
    case model::Kind::kServiceAccount:
      columns.push_back(column("Secrets", "string",
                               "Secrets is the list of secrets allowed to be used by pods running using this "
                               "ServiceAccount. More info: https://kubernetes.io/docs/concepts/configuration/secret"));
      break;
    case model::Kind::kSecret:
      columns.push_back(column("Type", "string", "Used to facilitate programmatic handling of secret data."));
      columns.push_back(column("Data", "string",
                               "Data contains the secret data. Each key must consist of alphanumeric characters, '-', "
                               "'_' or '.'. The serialized form of the secret data is a base64 encoded string, "
                               "representing the arbitrary (possibly non-string) data value here. Described in "
                               "https://tools.ietf.org/html/rfc4648#section-4"));
      break;
    case model::Kind::kPod:
      columns.push_back(column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."));
      columns.push_back(column("Status", "string", "The aggregate status of the containers in this pod."));
      columns.push_back(column("Restarts", "integer", "The number of times the containers in this pod have been restarted."));
      break;
    case model::Kind::kConfigMap:
      columns.push_back(column("Data", "string",
                               "Data contains the configuration data. Each key must consist of alphanumeric characters, "
                               "'-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The "
                               "keys stored in Data must not overlap with the keys in the BinaryData field, this is "
                               "enforced during validation process."));
      break;
    case model::Kind::kNode:
      columns.push_back(column("Status", "string", "The status of the node"));
      columns.push_back(column("Roles", "string", "The roles of the node"));
      break;
  }
  columns.push_back(age_column());
  if (resource.kind == model::Kind::kNode) {
    // printNode's columns after Age, with the API types' own field docs as
    // their descriptions, as the 1.20 apiserver sends them.
    constexpr const char* kAddresses =
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
        "https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the "
        "merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should "
        "instead use a full-replacement patch. See http://pr.k8s.io/79391 for an example.";
    columns.push_back(column("Version", "string", "Kubelet Version reported by the node."));
    columns.push_back(column("Internal-IP", "string", kAddresses, 1));
    columns.push_back(column("External-IP", "string", kAddresses, 1));
    columns.push_back(column("OS-Image", "string",
                             "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1));
    columns.push_back(column("Kernel-Version", "string",
                             "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1));
    columns.push_back(column("Container-Runtime", "string",
                             "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
                             "docker://1.5.0).",
                             1));
  }
  if (resource.kind == model::Kind::kPod) {
    columns.push_back(column("IP", "string",
                             "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
                             "allocated.",
                             1));
    columns.push_back(column("Node", "string",
                             "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the "
                             "scheduler simply schedules this pod onto that node, assuming that it fits resource "
                             "requirements.",
                             1));
    columns.push_back(column("Nominated Node", "string",
                             "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
                             "cannot be scheduled right away as preemption victims receive their graceful termination "
                             "periods.",
                             1));
    columns.push_back(column("Readiness Gates", "string",
                             "If specified, all readiness gates will be evaluated for pod readiness.", 1));
  }
  return columns;
}

json make_table(const Resource& resource, const std::vector<model::ObjectPtr>& objects, std::uint64_t resource_version,
                sim::Time now, const model::EncodeOptions& encode, const TableOptions& options) {
  json table{{"kind", "Table"}, {"apiVersion", options.version}};
  table["metadata"] = json{{"resourceVersion", std::to_string(resource_version)}};
  table["columnDefinitions"] = options.headers ? table_columns(resource) : json();
  json rows = json::array();
  for (const model::ObjectPtr& object : objects) {
    json cells = json::array();
    for (const model::TableCell& cell : model::table_cells(*object, now)) cells.push_back(cell_json(cell));
    json row{{"cells", std::move(cells)}};
    if (options.include == IncludeObject::kMetadata) {
      row["object"] = json{{"kind", "PartialObjectMetadata"},
                           {"apiVersion", options.version},
                           {"metadata", model::encode_metadata(model::meta(*object), encode)}};
    } else if (options.include == IncludeObject::kObject) {
      row["object"] = model::encode_object(*object, encode);
    }
    rows.push_back(std::move(row));
  }
  table["rows"] = std::move(rows);
  return table;
}

}  // namespace sasim::api
