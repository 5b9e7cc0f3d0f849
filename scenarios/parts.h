// The parser's parts, one per section of the format; internal to the
// scenarios library. Each reads a YAML node and throws parse::Failure
// (reader.h) on the first error.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_tree.h"

namespace sasim::scenarios::parse {

// What the parts need to know beyond the node they read.
struct Context {
  std::string file{};  // the scenario file's path, as given
  std::int64_t epoch_unix_seconds = 1577836800;  // cluster.startTime, for manifest timestamps
};

// §3, §4, §8 and limits.
ClusterSpec parse_cluster(const YamlNode& node, const Context& context);
Actors parse_actors(const YamlNode& node);
InvariantSelection parse_invariants(const YamlNode& node);
Limits parse_limits(const YamlNode& node);

// §5: an entry of `objects` or the value of `create`: an inline manifest (a
// v1 List gives each of its items) or {file: F}. `file_out` receives the
// resolved path of F. With `allow_variables`, a manifest holding `${VAR}`
// that does not decode as written is kept undecoded (for the runner).
std::vector<Manifest> parse_manifests(const YamlNode& node, const Context& context, bool allow_variables,
                                      std::string* file_out);

// §1 references and the values shared by actions, conditions and expect.
ObjectRef parse_object_ref(const YamlNode& node);
model::Kind parse_kind_name(const YamlNode& node);
TokenSource parse_token_source(const YamlNode& node);
Pattern parse_pattern(const YamlNode& node, std::string_view what);

Condition parse_condition(const YamlNode& node);
Fault parse_fault(const YamlNode& node);

// §6. `faults_started` holds the names of the faults that earlier steps
// started (for `heal: NAME`); `earliest` is the earliest instant at which
// the step can start, from the `at`, `after` and `wait` of the steps
// before; both are updated.
struct TimelineState {
  sim::Duration earliest{};
  std::set<std::string> faults_started{};

  // Saturating: durations near the int64 limit must not overflow the sum
  // (Duration's operator+ treats overflow as a bug and aborts).
  void advance(sim::Duration by) {
    earliest = by > sim::Duration::max() - earliest ? sim::Duration::max() : earliest + by;
  }
};
// The action of a step: `key` is its action key in `step`.
Action parse_action(const YamlNode& step, const YamlNode& key, const Context& context, TimelineState& state);
Step parse_step(const YamlNode& node, const Context& context, std::size_t index, TimelineState& state);

}  // namespace sasim::scenarios::parse
