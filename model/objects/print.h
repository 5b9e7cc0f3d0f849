// kubectl 1.20's renderings of objects: `get -o yaml`, `get -o json`,
// `describe`, and the `get` tables. They take the API's JSON (encode_object)
// or the objects themselves; reading a Secret's data signs its lazy token,
// which is intended: printing is observing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/object.h"
#include "sim/time.h"

namespace sasim::model {

// `kubectl get -o yaml`: keys sorted (go-yaml's order: digit runs compare as
// numbers), two-space indentation, sequences under a key at the key's
// indentation (`secrets:\n- name: x`), strings quoted only when they would
// read back as something else, multi-line strings as `|` blocks, long lines
// folded at 80 columns as kubectl 1.20's go-yaml does. Ends with a newline.
std::string to_yaml(const nlohmann::json& value);

// `kubectl get -o json`: Go's json.MarshalIndent with four spaces, keys in
// byte order, <, > and & escaped as \u003c..., a final newline.
std::string to_json_text(const nlohmann::json& value);

// What `kubectl describe` needs besides the object.
struct DescribeContext {
  sim::Time now;  // for "Terminating (lasts 5s)"
  // The Secrets of the object's namespace, when listed: describe of a
  // ServiceAccount shows its tokens and marks referenced Secrets that do not
  // exist "(not found)", as kubectl does with its own Secret list. Without
  // it, Tokens shows <none> and nothing is marked, as when kubectl's list fails.
  std::optional<std::vector<ObjectPtr>> secrets;
};

// `kubectl describe`, laid out by kubectl's tabwriter (padding 2). Secret,
// ServiceAccount and Namespace as kubectl 1.20 prints them (no events are
// simulated: `Events: <none>`); Pod and Node as subsets of kubectl's layout
// (describe_pod.cc and describe_node.cc say what is left out). A
// service-account-token Secret's token is printed in full, other data as
// `N bytes`.
std::string describe(const Object& object, const EncodeOptions& options = {}, const DescribeContext& context = {});

// `kubectl get KIND` in one namespace: ServiceAccounts `NAME SECRETS AGE`,
// Secrets `NAME TYPE DATA AGE`, Namespaces `NAME STATUS AGE`, Pods `NAME READY
// STATUS RESTARTS AGE`, Nodes `NAME STATUS ROLES AGE VERSION`, in the given
// order, through kubectl's tabwriter (minimum width 6, padding 3). An empty
// list prints kubectl's "No resources found in NAMESPACE namespace." (or "No
// resources found" for cluster-scoped kinds).
std::string print_table(Kind kind, const std::vector<ObjectPtr>& objects, sim::Time now,
                        std::string_view namespace_ = "default");

// One cell of a `kubectl get` table as the server-side Table carries it: a
// string, or an integer (SECRETS, DATA, RESTARTS).
using TableCell = std::variant<std::string, std::int64_t>;

// The cells of `object`'s row as 1.20's printers compute them at `now`, in
// column order: NAME, the kind's own columns, AGE (what print_table shows);
// then, for pods, the -o wide columns IP, NODE, NOMINATED NODE and
// READINESS GATES; for nodes, VERSION and the -o wide columns INTERNAL-IP,
// EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION and CONTAINER-RUNTIME.
std::vector<TableCell> table_cells(const Object& object, sim::Time now);

// printNode's ROLES (and describe's Roles): the node-role.kubernetes.io/ROLE
// labels and kubernetes.io/role, sorted and comma-joined, or "<none>".
std::string node_roles(const Node& node);

// apimachinery's duration.HumanDuration, as the AGE column shows it:
// "45s", "5m30s", "3h", "2d5h", "3y12d", "<invalid>" for the future beyond 1s.
std::string human_duration(sim::Duration d);

}  // namespace sasim::model
