// forEach templates (scenario format §12): entries of `objects:` and
// `steps:` repeated for each value of a variable, with `${VAR}` substituted.
//
//   objects:
//     - forEach: {I: "1..300"}
//       objects:
//         - {apiVersion: v1, kind: Namespace, metadata: {name: "team-${I:03}"}}
//   steps:
//     - forEach: {NS: [a, b]}
//       steps:
//         - {namespace: "${NS}", await: {exists: serviceaccount/default}}
//
// A value is a range "A..B" of integers (both ends included) or a list of
// scalars. Several variables in one forEach give every combination, the
// first written outermost; templates nest, and an inner one sees the outer
// variables (in its own values too). `${VAR:0N}` pads an integer with zeros
// to N digits. Only the template's own variables are substituted: a
// `${NAME}` that a step captures is left for the runner.
//
// Expansion works on the YAML tree, before the schema is read: copies keep
// the template's locations, so an error in an expanded entry points at the
// template's line, and the entry carries its binding ("I=7") for the message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/yaml_tree.h"

namespace sasim::scenarios {

// One entry after expansion, and the forEach values that made it ("" for an
// entry written as it is).
struct ExpandedEntry {
  YamlNode node;
  std::string binding;
};

// Expands the forEach entries of `entries`, the items of the top-level
// sequence `items_key` ("objects" or "steps"). Problems with a forEach
// itself (a malformed range, an unknown key, a padding of a non-integer) go
// to `problems`, and its entries are left out.
std::vector<ExpandedEntry> expand_templates(const std::vector<YamlNode>& entries, std::string_view items_key,
                                            std::vector<Diagnostic>& problems);

// Most entries all templates of a file may expand to.
inline constexpr std::size_t kMaxExpandedEntries = 100'000;

// A `${NAME}` or `${NAME:FORMAT}` reference in a string.
struct VariableReference {
  std::string name;
  std::string format;  // after the colon; empty without one
  std::size_t offset = 0;  // of the `$`
};
// Every reference in `text`, in order; an unclosed `${` is reported with an
// empty name.
std::vector<VariableReference> variable_references(std::string_view text);

}  // namespace sasim::scenarios
