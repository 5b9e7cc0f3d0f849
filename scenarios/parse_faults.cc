// §7 faults, parsed and validated into plain structs: which actors each
// fault can strike, verbs, resources, rates as exact ratios.
#include <fmt/format.h>

#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"

namespace sasim::scenarios::parse {

namespace {

constexpr std::string_view kKinds[] = {"crash",  "crashAfter", "partition",  "delay",
                                       "errors", "stale",      "dropEvents", "apiserverRestart"};
constexpr std::string_view kFaultKeys[] = {"crash",  "crashAfter", "partition",  "delay",            "errors", "stale",
                                      "dropEvents", "apiserverRestart", "name", "for", "restartAfter"};

// The actors that run as their own processes with a client of the
// apiserver: they crash, lose the network, and have informers.
constexpr std::string_view kClientActors[] = {"tokens-controller", "serviceaccounts-controller",
                                              "namespace-controller", "root-ca-cert-publisher", "kubelet",
                                              "legacy-token-cleaner"};
// Request faults: a client's requests, or with "apiserver" every request.
constexpr std::string_view kRequestActors[] = {"apiserver", "tokens-controller", "serviceaccounts-controller",
                                               "namespace-controller", "root-ca-cert-publisher", "kubelet",
                                              "legacy-token-cleaner"};
// Crashes: the client processes, and the apiserver itself (down for its
// restartAfter: requests meet a dead server, every watch breaks).
constexpr std::string_view kCrashActors[] = {"apiserver", "tokens-controller", "serviceaccounts-controller",
                                             "namespace-controller", "root-ca-cert-publisher", "kubelet",
                                              "legacy-token-cleaner"};
// Informer faults: admission's caches lag and miss events too.
constexpr std::string_view kWatchActors[] = {"admission", "tokens-controller", "serviceaccounts-controller",
                                             "namespace-controller", "root-ca-cert-publisher", "kubelet",
                                              "legacy-token-cleaner"};
constexpr std::string_view kVerbs[] = {"get", "list", "create", "update", "patch", "delete", "watch"};

std::string actor(const YamlNode& node, std::string_view fault, std::span<const std::string_view> allowed) {
  const std::string name = read_string(node);
  for (std::string_view candidate : allowed) {
    if (name == candidate) return name;
  }
  bool known = false;
  for (std::string_view candidate : kActorNames) known = known || name == candidate;
  if (known) {
    fail(node.location, fmt::format("{} cannot strike \"{}\" (it can strike: {})", fault, name, quoted_list(allowed, ", ")));
  }
  if (std::optional<std::string> near = suggest(name, allowed)) {
    fail(node.location, fmt::format("unknown actor \"{}\" (did you mean \"{}\"?)", name, *near));
  }
  fail(node.location, fmt::format("unknown actor \"{}\" (expected one of: {})", name, quoted_list(allowed, ", ")));
}

// The map of a fault's options, checked against `keys`; `actor` is required.
const YamlNode& options(const YamlNode& node, std::string_view fault, std::span<const std::string_view> keys) {
  check_map(node, fmt::format("a map of {} options", fault), keys);
  if (node.find("actor") == nullptr) fail(node.location, fmt::format("{} needs actor: NAME", fault));
  return node;
}

model::Verb verb(const YamlNode& node) {
  const std::string text = read_choice(node, "verb", kVerbs);
  return *model::parse_verb(text);
}

std::vector<model::Kind> resources(const YamlNode& node) {
  std::vector<model::Kind> out;
  for (const YamlNode& item : read_sequence(node, "a sequence of resources such as [secrets]")) {
    out.push_back(parse_kind_name(item));
  }
  return out;
}

// "0.5" -> 5/10, exactly: a rate decides which requests fail, and floating
// point would make that depend on rounding.
sim::Ratio rate(const YamlNode& node) {
  const std::string text = node.is_scalar() ? node.text : std::string();
  auto bad = [&] { fail(node.location, fmt::format("expected a rate from 0 to 1 such as 0.5, got {}", describe(node))); };
  if (text.empty()) bad();
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') bad();
    seen_digit = true;
    if (numerator > 100'000'000'000'000'000ULL || denominator > 100'000'000'000'000'000ULL) {
      fail(node.location, "a rate takes at most 17 digits");
    }
    numerator = numerator * 10 + static_cast<std::uint64_t>(c - '0');
    if (seen_point) denominator *= 10;
  }
  if (!seen_digit) bad();
  const sim::Ratio ratio{numerator, denominator};
  if (!ratio.valid()) fail(node.location, fmt::format("a rate cannot exceed 1, got {}", text));
  return ratio;
}

ErrorsFault errors(const YamlNode& node) {
  static constexpr std::string_view kOptions[] = {"actor", "verbs", "resources", "rate", "count", "code", "phase"};
  options(node, "errors", kOptions);
  ErrorsFault fault;
  fault.actor = actor(*node.find("actor"), "errors", kRequestActors);
  if (const YamlNode* v = node.find("verbs"); given(v)) {
    for (const YamlNode& item : read_sequence(*v, "a sequence of verbs such as [create, update]")) {
      fault.verbs.push_back(verb(item));
    }
  }
  if (const YamlNode* v = node.find("resources"); given(v)) fault.resources = resources(*v);
  const YamlNode* rate_node = node.find("rate");
  const YamlNode* count_node = node.find("count");
  if (given(rate_node) && given(count_node)) fail(key_node(node, "count").location, "errors takes rate or count, not both");
  if (given(rate_node)) fault.rate = rate(*rate_node);
  if (given(count_node)) fault.count = read_int(*count_node, 1, INT64_MAX);
  if (const YamlNode* v = node.find("code"); given(v)) fault.code = static_cast<int>(read_int(*v, 400, 599));
  if (const YamlNode* v = node.find("phase"); given(v)) {
    static constexpr std::string_view kPhases[] = {"before", "after"};
    fault.phase = read_choice(*v, "phase", kPhases) == "after" ? ErrorsFault::Phase::kAfter : ErrorsFault::Phase::kBefore;
  }
  return fault;
}

CrashAfterFault crash_after(const YamlNode& node) {
  static constexpr std::string_view kOptions[] = {"actor", "request"};
  options(node, "crashAfter", kOptions);
  CrashAfterFault fault;
  fault.actor = actor(*node.find("actor"), "crashAfter", kClientActors);
  const YamlNode* request = node.find("request");
  if (request == nullptr) fail(node.location, "crashAfter needs request: \"VERB RESOURCE\" such as \"create secrets\"");
  fault.request = read_string(*request);
  const std::size_t space = fault.request.find(' ');
  if (space == std::string::npos || fault.request.find_first_not_of(' ', space) == std::string::npos) {
    fail(request->location,
         fmt::format("expected a request \"VERB RESOURCE\" such as \"create secrets\", got \"{}\"", fault.request));
  }
  const std::string verb_text = fault.request.substr(0, space);
  const std::string resource_text = fault.request.substr(fault.request.find_first_not_of(' ', space));
  const std::optional<model::Verb> parsed_verb = model::parse_verb(verb_text);
  if (!parsed_verb) {
    fail(request->location, fmt::format("unknown verb \"{}\" in request \"{}\" (verbs: {})", verb_text, fault.request,
                                        quoted_list(kVerbs, ", ")));
  }
  const std::optional<model::Kind> kind = model::parse_kind(resource_text);
  if (!kind) {
    fail(request->location, fmt::format("unknown resource \"{}\" in request \"{}\" (resources: namespaces, "
                                        "serviceaccounts, secrets, pods, nodes, configmaps)",
                                        resource_text, fault.request));
  }
  fault.verb = *parsed_verb;
  fault.resource = *kind;
  return fault;
}

}  // namespace

Fault parse_fault(const YamlNode& node) {
  check_map(node, "a fault such as {crash: tokens-controller}", kFaultKeys, "fault");
  const YamlNode* kind_key = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& key = node.key(i);
    bool is_kind = false;
    for (std::string_view kind : kKinds) is_kind = is_kind || key.text == kind;
    if (!is_kind) continue;
    if (kind_key != nullptr) {
      fail(key.location, fmt::format("two faults in one map: \"{}\" and \"{}\" (start each in its own step)",
                                     kind_key->text, key.text));
    }
    kind_key = &key;
  }
  if (kind_key == nullptr) fail(node.location, fmt::format("a fault needs one of: {}", quoted_list(kKinds, ", ")));
  const std::string& kind = kind_key->text;
  const YamlNode& value = *node.find(kind);
  Fault fault;
  fault.location = node.location;
  if (const YamlNode* v = node.find("name"); given(v)) {
    fault.name = read_name(*v, "a fault name");
    if (*fault.name == "all") fail(v->location, "a fault cannot be named \"all\" (heal: all ends every fault)");
  }
  if (const YamlNode* v = node.find("for"); given(v)) {
    fault.for_ = read_duration(*v);
    if (*fault.for_ <= sim::Duration::zero()) fail(v->location, "for must be a positive duration");
  }
  const YamlNode* restart_after = node.find("restartAfter");
  if (restart_after != nullptr && kind != "crash") {
    fail(key_node(node, "restartAfter").location, "restartAfter goes with crash only");
  }
  if (kind == "crash") {
    CrashFault crash{.actor = actor(value, "crash", kCrashActors)};
    if (given(restart_after)) crash.restart_after = read_duration(*restart_after);
    fault.spec = crash;
  } else if (kind == "crashAfter") {
    fault.spec = crash_after(value);
  } else if (kind == "partition") {
    fault.spec = PartitionFault{actor(value, "partition", kClientActors)};
  } else if (kind == "delay") {
    static constexpr std::string_view kOptions[] = {"actor", "extra"};
    options(value, "delay", kOptions);
    const YamlNode* extra = value.find("extra");
    if (extra == nullptr) fail(value.location, "delay needs extra: DURATION or DISTRIBUTION");
    fault.spec = DelayFault{actor(*value.find("actor"), "delay", kRequestActors), read_distribution(*extra)};
  } else if (kind == "errors") {
    fault.spec = errors(value);
  } else if (kind == "stale") {
    static constexpr std::string_view kOptions[] = {"actor", "lag"};
    options(value, "stale", kOptions);
    const YamlNode* lag = value.find("lag");
    if (lag == nullptr) fail(value.location, "stale needs lag: DURATION");
    fault.spec = StaleFault{actor(*value.find("actor"), "stale", kWatchActors), read_duration(*lag)};
  } else if (kind == "dropEvents") {
    static constexpr std::string_view kOptions[] = {"actor", "resources", "count"};
    options(value, "dropEvents", kOptions);
    DropEventsFault drop{.actor = actor(*value.find("actor"), "dropEvents", kWatchActors)};
    if (const YamlNode* v = value.find("resources"); given(v)) drop.resources = resources(*v);
    if (const YamlNode* v = value.find("count"); given(v)) drop.count = read_int(*v, 1, INT64_MAX);
    fault.spec = drop;
  } else {
    if (!value.is_null() && !(value.is_map() && value.entries() == 0)) {
      fail(value.location, fmt::format("apiserverRestart takes no options: write apiserverRestart: {{}}, got {}",
                                       describe(value)));
    }
    fault.spec = ApiserverRestartFault{};
  }
  return fault;
}

}  // namespace sasim::scenarios::parse
