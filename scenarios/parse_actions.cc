// §6 actions: the value of a step's action key and the options that go
// with it (merge/strategic, preconditions, gracePeriodSeconds and force,
// print, timeout).
#include <fmt/format.h>

#include <cstdint>
#include <limits>

#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"
#include "scenarios/yaml_json.h"
#include "model/versions/simulated.h"

namespace sasim::scenarios::parse {

namespace {

// A JSON patch's operations, kept as written (they are no pattern: "<any>"
// means nothing special in them).
Pattern json_operations(const YamlNode& node) {
  if (!node.is_sequence()) {
    fail(node.location, fmt::format("expected a JSON patch (a list of operations such as "
                                    "{{op: remove, path: /automountServiceAccountToken}}), got {}",
                                    describe(node)));
  }
  sim::Result<LocatedJson, Diagnostic> located = to_json(node);
  if (!located) throw Failure{located.error()};
  Pattern out;
  out.location = node.location;
  out.json = located.value().json;
  out.locations = located.value().locations;
  return out;
}

PatchAction patch(const YamlNode& step, const YamlNode& value) {
  PatchAction out{.object = parse_object_ref(value)};
  const char* given_type = nullptr;
  for (const char* type : {"merge", "strategic", "json"}) {
    if (step.find(type) == nullptr) continue;
    if (given_type != nullptr) {
      fail(key_node(step, type).location, fmt::format("patch takes one of merge, strategic and json; got \"{}\" and \"{}\"",
                                                      given_type, type));
    }
    given_type = type;
  }
  if (given_type == nullptr) fail(step.location, "patch needs merge: MAP, strategic: MAP or json: [OPERATIONS]");
  const std::string type = given_type;
  out.type = type == "merge" ? PatchAction::Type::kMerge
             : type == "strategic" ? PatchAction::Type::kStrategic
                                   : PatchAction::Type::kJson;
  out.patch = out.type == PatchAction::Type::kJson ? json_operations(*step.find(type))
                                                     : parse_pattern(*step.find(type), "a patch");
  return out;
}

DeleteAction delete_action(const YamlNode& step, const YamlNode& value) {
  DeleteAction out{.object = parse_object_ref(value)};
  // kubectl delete --grace-period=N (an int; -1, "the object's own", is
  // what leaving it out means here) and --force.
  if (const YamlNode* v = step.find("gracePeriodSeconds"); given(v)) out.grace_period_seconds = read_int(*v, 0, INT32_MAX);
  if (const YamlNode* v = step.find("force"); given(v)) out.force = read_bool(*v);
  const YamlNode* preconditions = step.find("preconditions");
  if (!given(preconditions)) return out;
  static constexpr std::string_view kKeys[] = {"uid", "resourceVersion"};
  check_map(*preconditions, "{uid: UID, resourceVersion: RV}", kKeys);
  if (const YamlNode* v = preconditions->find("uid"); given(v)) out.uid = read_name(*v, "the uid");
  if (const YamlNode* v = preconditions->find("resourceVersion"); given(v)) {
    out.resource_version = read_name(*v, "the resourceVersion");
  }
  return out;
}

PrintFormat print(const YamlNode& step, std::span<const std::string_view> formats) {
  const YamlNode* v = step.find("print");
  if (!given(v)) return PrintFormat::kNone;
  const std::string format = read_choice(*v, "print format", formats);
  if (format == "yaml") return PrintFormat::kYaml;
  if (format == "json") return PrintFormat::kJson;
  if (format == "describe") return PrintFormat::kDescribe;
  return PrintFormat::kTable;
}

HealAction heal(const YamlNode& value, const TimelineState& state) {
  const std::string name = read_name(value, "heal's fault name");
  if (name == "all") return HealAction{.all = true};
  // A name with a variable is only known at run time.
  if (name.find("${") == std::string::npos && state.faults_started.count(name) == 0) {
    std::vector<std::string_view> names(state.faults_started.begin(), state.faults_started.end());
    if (std::optional<std::string> near = suggest(name, names)) {
      fail(value.location, fmt::format("no fault named \"{}\" starts before this step (did you mean \"{}\"?)", name, *near));
    }
    fail(value.location, fmt::format("no fault named \"{}\" starts before this step (heal: all ends every fault)", name));
  }
  return HealAction{.all = false, .name = name};
}

// upgrade: {version: V, components: [...], featureGates: {...}}. The
// components must be listed in upstream's order (apiserver,
// controller-manager, kubelet): another order is an error rather than
// silently reordered, since a kubelet or controller-manager upgraded
// before its apiserver is what the skew policy forbids.
UpgradeAction upgrade(const YamlNode& value) {
  static constexpr std::string_view kKeys[] = {"version", "components", "featureGates"};
  check_map(value, "{version: \"1.24\", components: [apiserver, controller-manager, kubelet]}", kKeys);
  UpgradeAction out;
  const YamlNode* version = value.find("version");
  if (!given(version)) fail(value.location, "upgrade needs a version: upgrade: {version: \"1.24\"}");
  out.version = read_string(*version);
  out.version_location = version->location;
  out.feature_gates_location = version->location;
  const std::optional<model::versions::KubeVersion> parsed = model::versions::KubeVersion::parse(out.version);
  if (!parsed || !model::versions::is_simulated(*parsed)) {
    fail(version->location, fmt::format("unsupported Kubernetes version \"{}\" (supported: {})", out.version,
                                        model::versions::simulated_versions_text()));
  }
  if (const YamlNode* v = value.find("components"); given(v)) {
    static constexpr std::string_view kNames[] = {"apiserver", "controller-manager", "kubelet"};
    for (const YamlNode& item : read_sequence(*v, "a list of components (apiserver, controller-manager, kubelet)")) {
      const auto component = *model::versions::parse_component(read_choice(item, "component", kNames));
      for (model::versions::Component earlier : out.components) {
        if (earlier == component) {
          fail(item.location, fmt::format("{} is listed twice", model::versions::component_name(component)));
        }
        if (earlier > component) {
          fail(item.location, fmt::format("components are upgraded in upstream's order (apiserver, "
                                          "controller-manager, kubelet): {} cannot come after {}",
                                          model::versions::component_name(component),
                                          model::versions::component_name(earlier)));
        }
      }
      out.components.push_back(component);
    }
    if (out.components.empty()) fail(v->location, "components is empty: leave it out to upgrade every component");
  } else {
    out.components.assign(model::versions::kUpgradeOrder.begin(), model::versions::kUpgradeOrder.end());
  }
  if (const YamlNode* v = value.find("featureGates"); given(v)) {
    if (!v->is_map()) fail(v->location, "featureGates is a map of gate names to true or false");
    std::map<std::string, bool> gates;
    for (std::size_t i = 0; i < v->entries(); ++i) gates[v->key(i).text] = read_bool(v->value(i));
    out.feature_gates = std::move(gates);
    out.feature_gates_location = v->location;
  }
  return out;
}

// settle: and quiesce: take the same {timeout: DURATION}.
std::optional<sim::Duration> settle_timeout(const YamlNode& value, std::string_view action) {
  if (value.is_null()) return std::nullopt;
  static constexpr std::string_view kKeys[] = {"timeout"};
  check_map(value, "{timeout: DURATION}", kKeys);
  const YamlNode* v = value.find("timeout");
  if (!given(v)) return std::nullopt;
  const sim::Duration timeout = read_duration(*v);
  if (timeout <= sim::Duration::zero()) fail(v->location, fmt::format("the {} timeout must be positive", action));
  return timeout;
}

// §12: {serviceAccount: NAME, audiences: [..], expirationSeconds: N,
// boundObjectRef: {kind, name, uid, apiVersion}}. Values are checked by the
// apiserver, as kubectl leaves them to it: an expirationSeconds of 5 is a
// valid step whose request gets 422.
TokenRequestAction token_request(const YamlNode& value) {
  static constexpr std::string_view kKeys[] = {"serviceAccount", "audiences", "expirationSeconds", "boundObjectRef"};
  check_map(value, "{serviceAccount: NAME, audiences: [..], expirationSeconds: N, boundObjectRef: {kind, name, uid}}",
            kKeys);
  const YamlNode* sa = value.find("serviceAccount");
  if (!given(sa)) fail(value.location, "tokenRequest needs serviceAccount: NAME");
  TokenRequestAction out;
  out.service_account = read_name(*sa, "the ServiceAccount name");
  if (const YamlNode* v = value.find("audiences"); given(v)) out.audiences = read_string_list(*v, "a list of audiences");
  if (const YamlNode* v = value.find("expirationSeconds"); given(v)) {
    out.expiration_seconds = read_int(*v, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  }
  if (const YamlNode* v = value.find("boundObjectRef"); given(v)) {
    static constexpr std::string_view kRefKeys[] = {"kind", "apiVersion", "name", "uid"};
    check_map(*v, "{kind: Pod|Secret|Node, name: NAME, uid: UID}", kRefKeys);
    TokenRequestAction::BoundObject ref;
    // Any kind is sent as written: the apiserver answers the ones it cannot bind to.
    if (const YamlNode* k = v->find("kind"); given(k)) ref.kind = read_string(*k);
    if (const YamlNode* k = v->find("apiVersion"); k != nullptr) ref.api_version = k->is_null() ? "" : read_string(*k);
    if (const YamlNode* k = v->find("name"); given(k)) ref.name = read_string(*k);
    if (const YamlNode* k = v->find("uid"); given(k)) ref.uid = read_string(*k);
    if (ref.kind.empty()) fail(v->location, "boundObjectRef needs kind: Pod, Secret or Node");
    if (ref.name.empty()) fail(v->location, "boundObjectRef needs name: NAME");
    out.bound_object_ref = std::move(ref);
  }
  return out;
}

}  // namespace

Action parse_action(const YamlNode& step, const YamlNode& key, const Context& context, TimelineState& state) {
  const std::string& action = key.text;
  const YamlNode& value = *step.find(action);
  if (action == "create") {
    CreateAction out;
    out.objects = parse_manifests(value, context, true, &out.file);
    return out;
  }
  if (action == "replace") {
    if (value.find("file") != nullptr) fail(value.location, "replace takes one inline manifest, not a file");
    std::vector<Manifest> objects = parse_manifests(value, context, true, nullptr);
    if (objects.size() != 1) {
      fail(value.location, "replace takes one inline manifest (not a List or a file)");
    }
    return ReplaceAction{std::move(objects[0])};
  }
  if (action == "patch") return patch(step, value);
  if (action == "delete") return delete_action(step, value);
  if (action == "get") {
    static constexpr std::string_view kFormats[] = {"yaml", "json", "describe"};
    return GetAction{.object = parse_object_ref(value), .print = print(step, kFormats)};
  }
  if (action == "list") {
    static constexpr std::string_view kFormats[] = {"table"};
    ListAction out{.location = value.location, .kind = parse_kind_name(value), .print = print(step, kFormats)};
    if (const YamlNode* v = step.find("allNamespaces"); given(v)) {
      out.all_namespaces = read_bool(*v);
      if (out.all_namespaces && out.print == PrintFormat::kTable) {
        fail(key_node(step, "allNamespaces").location, "print: table shows one namespace; it does not go with allNamespaces");
      }
    }
    return out;
  }
  if (action == "wait") {
    WaitAction out{read_duration(value)};
    state.advance(out.duration);
    return out;
  }
  if (action == "await") {
    AwaitAction out{.condition = parse_condition(value)};
    if (const YamlNode* v = step.find("timeout"); given(v)) {
      out.timeout = read_duration(*v);
      if (out.timeout <= sim::Duration::zero()) fail(v->location, "the await timeout must be positive");
    }
    return out;
  }
  if (action == "check") return CheckAction{parse_condition(value)};
  if (action == "authenticate") return AuthenticateAction{parse_token_source(value)};
  if (action == "fault") {
    FaultAction out{parse_fault(value)};
    if (out.fault.name) state.faults_started.insert(*out.fault.name);
    return out;
  }
  if (action == "heal") return heal(value, state);
  if (action == "tokenRequest") return token_request(value);
  if (action == "upgrade") return upgrade(value);
  if (action == "quiesce") return QuiesceAction{settle_timeout(value, action)};
  return SettleAction{settle_timeout(value, action)};
}

}  // namespace sasim::scenarios::parse
