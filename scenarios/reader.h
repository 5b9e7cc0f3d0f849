// The schema reader's building blocks: typed reads of YAML nodes with the
// format's error messages, and the check of a map's keys against the ones
// a place allows. Internal to the parser.
//
// A read that fails throws Failure, caught once in parse_scenario_text:
// the scenario schema is deep, and every level would otherwise have to test
// and forward a Result, burying the schema logic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/yaml_tree.h"
#include "sim/distribution.h"
#include "sim/time.h"

namespace sasim::scenarios::parse {

struct Failure {
  Diagnostic diagnostic;
};

[[noreturn]] void fail(const Location& at, std::string message);

// "a map", "a sequence", "null", "the number 5", "the boolean true", "the string \"x\"".
std::string describe(const YamlNode& node);

// A value that is given and not null (`key:` with nothing after it counts
// as absent, as it does in Kubernetes manifests).
inline bool given(const YamlNode* node) { return node != nullptr && !node->is_null(); }

// Fails unless `node` is a map ("expected WHAT, got ...") whose keys are all
// in `keys`; an unknown key is reported at the key with the nearest valid
// one, or the list of valid ones. `noun` names the keys in that message
// where they are more than keys: `unknown actor "x"`.
void check_map(const YamlNode& node, std::string_view what, std::span<const std::string_view> keys,
               std::string_view noun = "key");

// The key node of `key` in a map (for locations); the map itself if absent.
const YamlNode& key_node(const YamlNode& map, std::string_view key);

// Scalars of any style, as written (`${VAR}` kept raw).
std::string read_string(const YamlNode& node);
// Non-empty strings.
std::string read_name(const YamlNode& node, std::string_view what);
bool read_bool(const YamlNode& node);
std::int64_t read_int(const YamlNode& node, std::int64_t min, std::int64_t max);
std::uint64_t read_uint64(const YamlNode& node);
// A duration string with a unit ("250ms"); a bare number or a negative one is an error.
sim::Duration read_duration(const YamlNode& node);
// A constant duration, or {uniform: [LOW, HIGH]}, {exponential: MEAN}, {lognormal: {median: M, p99: P}}.
sim::DurationDistribution read_distribution(const YamlNode& node);
// A sequence: its items.
const std::vector<YamlNode>& read_sequence(const YamlNode& node, std::string_view what);
std::vector<std::string> read_string_list(const YamlNode& node, std::string_view what);

// One of `choices`, with a did-you-mean; `what` names the list in the
// message: unknown WHAT "x" (did you mean "y"?) / (WHATs: "a", "b").
std::string read_choice(const YamlNode& node, std::string_view what, std::span<const std::string_view> choices);

}  // namespace sasim::scenarios::parse
