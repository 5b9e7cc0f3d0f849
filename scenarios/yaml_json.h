// A YAML tree to JSON as kubectl reads manifests (plain scalars typed by
// go-yaml v2's rules, quoted ones strings, map keys strings), keeping where
// every value was written: a JSON pointer maps to its location, so that an
// error found in the JSON (a manifest that does not decode, a pattern that
// does not match) points at the YAML line and column.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "scenarios/diagnostic.h"
#include "scenarios/yaml_tree.h"
#include "sim/result.h"

namespace sasim::scenarios {

struct LocatedJson {
  nlohmann::json json{};
  // JSON pointer -> location: a map member's key, a sequence item, "" the root.
  std::map<std::string, Location> locations{};
  bool has_variables = false;  // some string value or key contains "${"
};

// Fails on an explicit tag that does not fit its text (`!!int abc`).
sim::Result<LocatedJson, Diagnostic> to_json(const YamlNode& node);

// RFC 6901 escaping of one reference token: "~" -> "~0", "/" -> "~1".
std::string escape_pointer_token(std::string_view token);

}  // namespace sasim::scenarios
