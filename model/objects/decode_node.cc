// Node decoding. The field lists are core/v1's as of 1.20, plus what later
// releases added, so that `kubectl get node -o yaml` of a newer cluster is
// accepted rather than rejected as a typo. Status is written by kubelets,
// not users: any key is kept there.
#include <fmt/format.h>

#include "model/objects/decode_kinds.h"
#include "model/objects/node_status_structs.h"

namespace sasim::model::decode {
namespace {

constexpr std::string_view kNodeSpecUnmodelled[] = {"providerID", "taints", "configSource", "externalID"};

constexpr Shape kNodeShape{"Node", "io.k8s.api.core.v1.Node", {}};
constexpr Shape kNodeSpecShape{"NodeSpec", "io.k8s.api.core.v1.NodeSpec", kNodeSpecUnmodelled};
constexpr Shape kNodeStatusShape{"NodeStatus", "io.k8s.api.core.v1.NodeStatus", {}, true};
constexpr Shape kNodeAddressShape{"NodeAddress", "io.k8s.api.core.v1.NodeAddress", {}};
constexpr Shape kNodeConditionShape{"NodeCondition", "io.k8s.api.core.v1.NodeCondition", {}};

NodeAddress decode_address(const json& value, const Site& site) {
  NodeAddress address;
  read_struct(value, site, "v1.NodeAddress", kNodeAddressShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (key == "type") address.type = read_string(field, where);
                else if (key == "address") address.address = read_string(field, where);
                else return false;
                return true;
              });
  return address;
}

NodeCondition decode_condition(const json& value, const Site& site, const EncodeOptions& options) {
  NodeCondition condition;
  read_struct(value, site, "v1.NodeCondition", kNodeConditionShape,
              [&](const std::string& key, const json& field, const Site& where) {
                if (key == "type") condition.type = read_string(field, where);
                else if (key == "status") condition.status = read_string(field, where);
                else if (key == "lastHeartbeatTime") condition.last_heartbeat_time = read_time(field, where, options);
                else if (key == "lastTransitionTime") condition.last_transition_time = read_time(field, where, options);
                else if (key == "reason") condition.reason = read_string(field, where);
                else if (key == "message") condition.message = read_string(field, where);
                else return false;
                return true;
              });
  return condition;
}

template <class T, class F>
std::vector<T> decode_items(const json& value, const Site& site, std::string_view go_type, F one) {
  std::vector<T> out;
  const auto* items = read_array(value, site, go_type);
  if (items == nullptr) return out;
  for (std::size_t i = 0; i < items->size(); ++i) out.push_back(one((*items)[i], index_site(site, i)));
  return out;
}

NodeSpec decode_node_spec(const json& value, const Site& site) {
  NodeSpec spec;
  spec.extra = read_struct(value, site, "v1.NodeSpec", kNodeSpecShape,
                           [&](const std::string& key, const json& field, const Site& where) {
                             if (key == "podCIDR") spec.pod_cidr = read_string(field, where);
                             else if (key == "podCIDRs") spec.pod_cidrs = read_string_list(field, where, "[]string");
                             else if (key == "unschedulable") spec.unschedulable = read_optional_bool(field, where).value_or(false);
                             else return false;
                             return true;
                           });
  return spec;
}

NodeStatus decode_node_status(const json& value, const Site& site, const EncodeOptions& options) {
  NodeStatus status;
  status.extra = read_struct(value, site, "v1.NodeStatus", kNodeStatusShape,
                             [&](const std::string& key, const json& field, const Site& where) {
                               if (key == "addresses") {
                                 status.addresses = decode_items<NodeAddress>(field, where, "[]v1.NodeAddress", decode_address);
                               } else if (key == "conditions") {
                                 status.conditions = decode_items<NodeCondition>(
                                     field, where, "[]v1.NodeCondition",
                                     [&](const json& v, const Site& s) { return decode_condition(v, s, options); });
                               } else {
                                 return false;
                               }
                               return true;
                             });
  return status;
}

}  // namespace

Node decode_node(const json& manifest, const Site& root, const EncodeOptions& options) {
  Node node;
  read_struct(manifest, root, "v1.Node", kNodeShape, [&](const std::string& key, const json& field, const Site& where) {
    if (key == "apiVersion" || key == "kind") return true;
    if (key == "metadata") node.metadata = decode_meta(field, where, options);
    else if (key == "spec") node.spec = decode_node_spec(field, where);
    else if (key == "status") node.status = decode_node_status(field, where, options);
    else return false;
    return true;
  });
  json extra = node.status.extra ? *node.status.extra : json::object();
  put_node_status_structs(extra);
  node.status.extra = std::make_shared<const json>(std::move(extra));
  return node;
}

}  // namespace sasim::model::decode
