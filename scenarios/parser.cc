#include "scenarios/parser.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "scenarios/files.h"
#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"
#include "scenarios/templates.h"
#include "scenarios/yaml_tree.h"
#include "model/versions/feature_gates.h"
#include "model/versions/version_skew.h"

namespace sasim::scenarios {

namespace {

constexpr std::string_view kTopKeys[] = {"name",    "description", "seed",       "cluster", "actors",
                                         "objects", "steps",       "invariants", "limits"};

// More than this many problems in one file are counted, not listed.
constexpr std::size_t kMaxDiagnostics = 100;

// "dir/token-rotation.yaml" -> "token-rotation".
std::string default_name(const std::string& path) {
  const std::filesystem::path file(path);
  const std::string extension = file.extension().string();
  if (extension == ".yaml" || extension == ".yml") return file.stem().string();
  return file.filename().string();
}

// Every problem of a file. A part of the schema that fails is abandoned at
// its first problem (a section, an object, a step), and reading goes on
// with the next. Entries of one template report one problem per location:
// three hundred copies of one typo are one typo.
class Problems {
 public:
  // Runs `read`; a problem it throws is kept, with the forEach values of
  // the entry it was found in. False if there was one.
  template <class Read>
  bool attempt(Read&& read, const std::string& binding = "") {
    try {
      read();
      return true;
    } catch (const parse::Failure& failure) {
      add(failure.diagnostic, binding);
      return false;
    }
  }
  void add(Diagnostic diagnostic, const std::string& binding = "") {
    if (!binding.empty()) {
      if (!template_locations_.insert(diagnostic.location.describe()).second) return;
      diagnostic.message += " (in forEach " + binding + ")";
    }
    list_.push_back(std::move(diagnostic));
  }
  bool empty() const { return list_.empty(); }

  // The first problem in file order, with the others after it.
  Diagnostic collect(const std::string& path) && {
    std::stable_sort(list_.begin(), list_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      auto key = [&](const Diagnostic& d) {
        return std::make_tuple(d.location.file != path, d.location.line, d.location.column);
      };
      return key(a) < key(b);
    });
    if (list_.size() > kMaxDiagnostics) {
      const std::size_t hidden = list_.size() - kMaxDiagnostics;
      Diagnostic last{list_[kMaxDiagnostics].location, fmt::format("... and {} more errors", hidden)};
      list_.resize(kMaxDiagnostics);
      list_.push_back(std::move(last));
    }
    Diagnostic first = std::move(list_.front());
    first.more.assign(std::make_move_iterator(list_.begin() + 1), std::make_move_iterator(list_.end()));
    return first;
  }

 private:
  std::vector<Diagnostic> list_;
  std::set<std::string> template_locations_;
};

// The `${NAME}` references of every scalar under `node` (keys too), with
// the scalar each is in.
void references(const YamlNode& node, std::vector<std::pair<const YamlNode*, VariableReference>>& out) {
  if (node.is_scalar()) {
    for (VariableReference& ref : variable_references(node.text)) out.emplace_back(&node, std::move(ref));
  }
  for (const YamlNode& child : node.children) references(child, out);
}

// A step may use `${NAME}` only for a variable an earlier step captures
// (forEach variables are substituted by then). `where` says what uses it.
void check_variables(const YamlNode& node, const std::set<std::string>& captured, std::string_view where,
                     const std::string& binding, Problems& problems) {
  std::vector<std::pair<const YamlNode*, VariableReference>> refs;
  references(node, refs);
  for (const auto& [scalar, ref] : refs) {
    if (ref.name.empty()) {
      problems.add(Diagnostic{scalar->location, fmt::format("unclosed ${{ in \"{}\"", scalar->text)}, binding);
      continue;
    }
    if (captured.count(ref.name) != 0) {
      if (!ref.format.empty()) {
        problems.add(Diagnostic{scalar->location, fmt::format("${{{}:{}}}: formats apply to forEach variables; {} is "
                                                              "captured by a step",
                                                              ref.name, ref.format, ref.name)},
                     binding);
      }
      continue;
    }
    std::string message = fmt::format("${{{}}} is not captured by an earlier step", ref.name);
    std::vector<std::string_view> names(captured.begin(), captured.end());
    if (std::optional<std::string> near = suggest(ref.name, names)) {
      message += fmt::format(" (did you mean ${{{}}}?)", *near);
    } else if (names.empty()) {
      message += where == "objects" ? " (objects are created before the first step, when nothing is captured yet)"
                                    : " (no step before this one captures anything)";
    } else {
      message += fmt::format(" (captured before it: {})", quoted_list(names, ", "));
    }
    problems.add(Diagnostic{scalar->location, std::move(message)}, binding);
  }
}

// The upgrade steps against the version-skew policy, in timeline order,
// from the cluster's version (every component starts there), and the
// feature gates each upgraded component restarts with against its new
// release: both known before the run starts.
void check_upgrades(const Scenario& scenario, Problems& problems) {
  namespace v = model::versions;
  const std::optional<v::KubeVersion> start = v::KubeVersion::parse(scenario.cluster.version);
  if (!start) return;  // reported with the cluster
  v::ComponentVersions versions(*start);
  std::array<std::map<std::string, bool>, v::kComponentCount> gates;
  gates.fill(scenario.cluster.feature_gates);
  for (const Step& step : scenario.steps) {
    const auto* upgrade = std::get_if<UpgradeAction>(&step.action);
    if (upgrade == nullptr) continue;
    const std::optional<v::KubeVersion> to = v::KubeVersion::parse(upgrade->version);
    if (!to) continue;  // reported by the step
    for (v::Component component : upgrade->components) {
      if (auto violation = v::upgrade_component(versions, component, *to)) {
        problems.add(Diagnostic{upgrade->version_location,
                                fmt::format("upgrade of {} to {}: {} (version-skew policy: {})",
                                            v::component_name(component), upgrade->version, violation->message,
                                            violation->rule)});
        return;  // the versions after it are unknown
      }
      std::map<std::string, bool>& settings = gates[static_cast<std::size_t>(component)];
      if (upgrade->feature_gates) settings = *upgrade->feature_gates;
      auto resolved = v::resolve_feature_gates(*to, settings);
      if (!resolved) {
        problems.add(Diagnostic{upgrade->feature_gates_location,
                                fmt::format("upgrade of {} to {}: {} ({})", v::component_name(component),
                                            upgrade->version, resolved.error(),
                                            upgrade->feature_gates
                                                ? "the step's featureGates"
                                                : "the gates it ran with carry over; give the step featureGates to "
                                                  "change them")});
        return;
      }
    }
  }
}

Scenario parse_document(const YamlNode& root, const std::string& path, Problems& problems) {
  using namespace parse;
  if (!root.is_map()) {
    fail(root.location, fmt::format("expected a scenario (a map with keys such as name, cluster and steps), got {}",
                                    describe(root)));
  }
  for (std::size_t i = 0; i < root.entries(); ++i) {
    const YamlNode& key = root.key(i);
    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), key.text) != std::end(kTopKeys)) continue;
    // check_map on a map of this key alone: its message, for this key.
    YamlNode alone;
    alone.type = YamlNode::Type::kMap;
    alone.location = root.location;
    alone.children = {key, root.value(i)};
    problems.attempt([&] { check_map(alone, "a scenario", kTopKeys); });
  }
  Context context{.file = path};
  Scenario scenario;
  scenario.file = path;
  scenario.name = default_name(path);
  problems.attempt([&] {
    if (const YamlNode* v = root.find("name"); given(v)) scenario.name = read_name(*v, "the scenario name");
  });
  problems.attempt([&] {
    if (const YamlNode* v = root.find("description"); given(v)) scenario.description = read_string(*v);
  });
  problems.attempt([&] {
    if (const YamlNode* v = root.find("seed"); given(v)) scenario.seed = read_uint64(*v);
  });
  problems.attempt([&] {
    if (const YamlNode* v = root.find("cluster"); given(v)) scenario.cluster = parse_cluster(*v, context);
  });
  context.epoch_unix_seconds = scenario.cluster.start_time_unix_seconds;
  problems.attempt([&] {
    if (const YamlNode* v = root.find("actors"); given(v)) scenario.actors = parse_actors(*v);
  });
  if (const YamlNode* v = root.find("objects"); given(v)) {
    const std::vector<YamlNode>* entries = nullptr;
    problems.attempt([&] { entries = &read_sequence(*v, "a sequence of manifests or {file: PATH}"); });
    std::vector<Diagnostic> template_problems;
    const std::vector<ExpandedEntry> expanded =
        entries != nullptr ? expand_templates(*entries, "objects", template_problems) : std::vector<ExpandedEntry>{};
    for (Diagnostic& d : template_problems) problems.add(std::move(d));
    for (const ExpandedEntry& entry : expanded) {
      problems.attempt(
          [&] {
            for (Manifest& manifest : parse_manifests(entry.node, context, false, nullptr)) {
              scenario.objects.push_back(std::move(manifest));
            }
          },
          entry.binding);
      check_variables(entry.node, {}, "objects", entry.binding, problems);
    }
  }
  if (const YamlNode* v = root.find("steps"); given(v)) {
    const std::vector<YamlNode>* entries = nullptr;
    problems.attempt([&] { entries = &read_sequence(*v, "a sequence of steps"); });
    std::vector<Diagnostic> template_problems;
    const std::vector<ExpandedEntry> expanded =
        entries != nullptr ? expand_templates(*entries, "steps", template_problems) : std::vector<ExpandedEntry>{};
    for (Diagnostic& d : template_problems) problems.add(std::move(d));
    TimelineState state;
    std::set<std::string> captured;
    for (std::size_t i = 0; i < expanded.size(); ++i) {
      const ExpandedEntry& entry = expanded[i];
      problems.attempt([&] { scenario.steps.push_back(parse_step(entry.node, context, i, state)); }, entry.binding);
      check_variables(entry.node, captured, "steps", entry.binding, problems);
      // What this step captures is there for the steps after it.
      if (const YamlNode* capture = entry.node.find("capture"); capture != nullptr && capture->is_map()) {
        for (std::size_t c = 0; c < capture->entries(); ++c) captured.insert(capture->key(c).text);
      }
    }
  }
  check_upgrades(scenario, problems);
  problems.attempt([&] {
    if (const YamlNode* v = root.find("invariants"); given(v)) scenario.invariants = parse_invariants(*v);
  });
  problems.attempt([&] {
    if (const YamlNode* v = root.find("limits"); given(v)) scenario.limits = parse_limits(*v);
  });
  return scenario;
}

// The map under `key` in `map`, made if it is missing or null. A value of
// another kind is an error at the override.
YamlNode& child_map(YamlNode& map, const std::string& key, const Location& at) {
  for (std::size_t i = 0; i < map.entries(); ++i) {
    if (map.children[2 * i].text != key) continue;
    YamlNode& value = map.children[2 * i + 1];
    if (value.is_null()) {
      value.type = YamlNode::Type::kMap;
      value.location = at;
    }
    if (!value.is_map()) {
      throw parse::Failure{Diagnostic{at, fmt::format("cannot set a key inside \"{}\": in the file it is {}", key,
                                                      parse::describe(value))}};
    }
    return value;
  }
  YamlNode name;
  name.type = YamlNode::Type::kScalar;
  name.plain = true;
  name.text = key;
  name.location = at;
  YamlNode value;
  value.type = YamlNode::Type::kMap;
  value.location = at;
  map.children.push_back(std::move(name));
  map.children.push_back(std::move(value));
  return map.children.back();
}

// Applies one `--set PATH=VALUE` to the document's tree.
void apply_override(YamlNode& root, const std::string& spec) {
  const std::string file = "--set " + spec;
  const Location at{file, 1, 1};
  const std::size_t equals = spec.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw parse::Failure{Diagnostic{at, "expected ACTOR.KEY=VALUE or cluster.KEY=VALUE"}};
  }
  std::vector<std::string> path;
  for (std::size_t start = 0; start <= equals;) {
    const std::size_t dot = std::min(spec.find('.', start), equals);
    path.push_back(spec.substr(start, dot - start));
    start = dot + 1;
  }
  for (const std::string& part : path) {
    if (part.empty()) throw parse::Failure{Diagnostic{at, "an empty key in \"" + spec.substr(0, equals) + "\""}};
  }
  if (path.size() < 2) {
    throw parse::Failure{Diagnostic{at, fmt::format("\"{}\" names no knob: write ACTOR.KEY (tokens-controller.qps) "
                                                    "or cluster.KEY (cluster.version)",
                                                    path[0])}};
  }
  // The value, as YAML, located in the override's own text.
  sim::Result<std::vector<YamlNode>, Diagnostic> value = load_yaml(spec.substr(equals + 1), file);
  if (!value) {
    Diagnostic d = value.error();
    d.location.column += static_cast<int>(equals) + 1;
    throw parse::Failure{std::move(d)};
  }
  YamlNode leaf = value.value().empty() ? YamlNode{} : value.value().front();
  auto shift = [&](auto& self, YamlNode& node) -> void {
    node.location.column += static_cast<int>(equals) + 1;
    for (YamlNode& child : node.children) self(self, child);
  };
  shift(shift, leaf);
  if (leaf.is_null()) leaf.location = Location{file, 1, static_cast<int>(equals) + 2};
  // cluster.* and limits.* are top-level sections; anything else is an actor.
  YamlNode* map = &root;
  std::size_t first = 0;
  if (path[0] != "cluster" && path[0] != "limits") map = &child_map(root, "actors", at);
  else map = &child_map(root, path[first++], at);
  for (std::size_t i = first; i + 1 < path.size(); ++i) map = &child_map(*map, path[i], at);
  const std::string& key = path.back();
  for (std::size_t i = 0; i < map->entries(); ++i) {
    if (map->children[2 * i].text == key) {
      map->children[2 * i + 1] = std::move(leaf);
      return;
    }
  }
  YamlNode name;
  name.type = YamlNode::Type::kScalar;
  name.plain = true;
  name.text = key;
  name.location = Location{file, 1, static_cast<int>(spec.rfind('.', equals)) + 2};
  map->children.push_back(std::move(name));
  map->children.push_back(std::move(leaf));
}

}  // namespace

sim::Result<Scenario, Diagnostic> parse_scenario_text(std::string_view text, const std::string& path) {
  return parse_scenario_text(text, path, {});
}

sim::Result<Scenario, Diagnostic> parse_scenario_text(std::string_view text, const std::string& path,
                                                      std::span<const std::string> overrides) {
  try {
    sim::Result<std::vector<YamlNode>, Diagnostic> documents = load_yaml(text, path);
    if (!documents) return sim::unexpected(documents.error());
    const std::vector<YamlNode>& roots = documents.value();
    if (roots.empty() || (roots.size() == 1 && roots[0].is_null())) {
      return sim::unexpected(Diagnostic{Location{path, 1, 1}, "empty scenario: expected a map with keys such as "
                                                              "name, cluster and steps"});
    }
    if (roots.size() > 1) {
      return sim::unexpected(Diagnostic{roots[1].location, "a scenario file holds one YAML document; this is a second"});
    }
    YamlNode root = roots[0];
    if (!overrides.empty() && !root.is_map()) return sim::unexpected(Diagnostic{root.location, "expected a scenario map"});
    for (const std::string& spec : overrides) apply_override(root, spec);
    Problems problems;
    Scenario scenario = parse_document(root, path, problems);
    scenario.overrides.assign(overrides.begin(), overrides.end());
    if (!problems.empty()) return sim::unexpected(std::move(problems).collect(path));
    return scenario;
  } catch (const parse::Failure& failure) {
    return sim::unexpected(failure.diagnostic);
  } catch (const std::exception& error) {
    // A bug, not bad input; reported rather than crashing the command.
    return sim::unexpected(Diagnostic{Location{path, 1, 1}, fmt::format("internal error: {}", error.what())});
  }
}

sim::Result<Scenario, Diagnostic> parse_scenario_file(const std::string& path) { return parse_scenario_file(path, {}); }

sim::Result<Scenario, Diagnostic> parse_scenario_file(const std::string& path, std::span<const std::string> overrides) {
  sim::Result<std::string, std::string> text = read_file(path);
  if (!text) return sim::unexpected(Diagnostic{Location{path, 1, 1}, fmt::format("cannot read \"{}\": {}", path, text.error())});
  return parse_scenario_text(text.value(), path, overrides);
}

}  // namespace sasim::scenarios
