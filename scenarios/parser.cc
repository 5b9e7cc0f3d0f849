#include "scenarios/parser.h"

#include <filesystem>

#include <fmt/format.h>

#include "scenarios/files.h"
#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/yaml_tree.h"

namespace sasim::scenarios {

namespace {

constexpr std::string_view kTopKeys[] = {"name",    "description", "seed",       "cluster", "actors",
                                         "objects", "steps",       "invariants", "limits"};

// "dir/token-rotation.yaml" -> "token-rotation".
std::string default_name(const std::string& path) {
  const std::filesystem::path file(path);
  const std::string extension = file.extension().string();
  if (extension == ".yaml" || extension == ".yml") return file.stem().string();
  return file.filename().string();
}

Scenario parse_document(const YamlNode& root, const std::string& path) {
  using namespace parse;
  if (!root.is_map()) {
    fail(root.location, fmt::format("expected a scenario (a map with keys such as name, cluster and steps), got {}",
                                    describe(root)));
  }
  check_map(root, "a scenario", kTopKeys);
  Context context{.file = path};
  Scenario scenario;
  scenario.file = path;
  scenario.name = default_name(path);
  if (const YamlNode* v = root.find("name"); given(v)) scenario.name = read_name(*v, "the scenario name");
  if (const YamlNode* v = root.find("description"); given(v)) scenario.description = read_string(*v);
  if (const YamlNode* v = root.find("seed"); given(v)) scenario.seed = read_uint64(*v);
  if (const YamlNode* v = root.find("cluster"); given(v)) scenario.cluster = parse_cluster(*v, context);
  context.epoch_unix_seconds = scenario.cluster.start_time_unix_seconds;
  if (const YamlNode* v = root.find("actors"); given(v)) scenario.actors = parse_actors(*v);
  if (const YamlNode* v = root.find("objects"); given(v)) {
    for (const YamlNode& entry : read_sequence(*v, "a sequence of manifests or {file: PATH}")) {
      for (Manifest& manifest : parse_manifests(entry, context, false, nullptr)) {
        scenario.objects.push_back(std::move(manifest));
      }
    }
  }
  if (const YamlNode* v = root.find("steps"); given(v)) {
    TimelineState state;
    const std::vector<YamlNode>& steps = read_sequence(*v, "a sequence of steps");
    for (std::size_t i = 0; i < steps.size(); ++i) scenario.steps.push_back(parse_step(steps[i], context, i, state));
  }
  if (const YamlNode* v = root.find("invariants"); given(v)) scenario.invariants = parse_invariants(*v);
  if (const YamlNode* v = root.find("limits"); given(v)) scenario.limits = parse_limits(*v);
  return scenario;
}

}  // namespace

sim::Result<Scenario, Diagnostic> parse_scenario_text(std::string_view text, const std::string& path) {
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
    return parse_document(roots[0], path);
  } catch (const parse::Failure& failure) {
    return sim::unexpected(failure.diagnostic);
  } catch (const std::exception& error) {
    // A bug, not bad input; reported rather than crashing the command.
    return sim::unexpected(Diagnostic{Location{path, 1, 1}, fmt::format("internal error: {}", error.what())});
  }
}

sim::Result<Scenario, Diagnostic> parse_scenario_file(const std::string& path) {
  sim::Result<std::string, std::string> text = read_file(path);
  if (!text) return sim::unexpected(Diagnostic{Location{path, 1, 1}, fmt::format("cannot read \"{}\": {}", path, text.error())});
  return parse_scenario_text(text.value(), path);
}

}  // namespace sasim::scenarios
