// Scenario files (docs: /work/shared/spec/scenario-format.md) to Scenario
// values, with every problem reported as FILE:LINE:COL and a message that
// says what was expected: unknown keys with the key probably meant, wrong
// types, durations without units, unknown kinds, actors, invariants, faults
// and distributions, manifests that do not decode (at the manifest field's
// line), missing files, unsupported versions and algorithms, steps that go
// back in time, steps with no or two actions. No input crashes the parser:
// YAML syntax errors, alias bombs, invalid UTF-8, binary garbage and huge
// files are diagnostics like any other. The first problem found is reported.
#pragma once

#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"
#include "sim/result.h"

namespace sasim::scenarios {

// Reads and parses the file at `path`. Locations show `path` as given;
// files the scenario names are found relative to its directory.
sim::Result<Scenario, Diagnostic> parse_scenario_file(const std::string& path);

// Parses `text` as if read from `path` (which relative paths in it are
// resolved against, and which locations show).
sim::Result<Scenario, Diagnostic> parse_scenario_text(std::string_view text, const std::string& path);

}  // namespace sasim::scenarios
