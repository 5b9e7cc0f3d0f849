// Scenario files (the format: docs/scenarios.md) to Scenario
// values, with every problem reported as FILE:LINE:COL and a message that
// says what was expected: unknown keys with the key probably meant, wrong
// types, durations without units, unknown kinds, actors, invariants, faults
// and distributions, manifests that do not decode (at the manifest field's
// line), missing files, unsupported versions and algorithms, steps that go
// back in time, steps with no or two actions, `${VAR}` that no earlier step
// captures. forEach templates (templates.h) are expanded first. No input
// crashes the parser: YAML syntax errors, alias bombs, invalid UTF-8,
// binary garbage and huge files are diagnostics like any other. Every
// problem found is reported: the first in file order, the others in its
// `more` (a part of the schema is abandoned at its first problem and
// reading goes on with the next step, object or section).
#pragma once

#include <span>
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

// The same with command-line overrides (`sasim run --set`), each
// "ACTOR.KEY=VALUE" (an actor knob: `tokens-controller.qps=50`),
// "cluster.KEY=VALUE" (`cluster.version=1.20`, nested keys dotted:
// `cluster.admission.requireAPIToken=false`) or "limits.KEY=VALUE". VALUE
// is YAML, as it would be written in the file (`"{exponential: 5ms}"`).
// Each replaces or adds that key in the file's YAML before the schema is
// read, so it is checked like the file; its problems point at
// `--set SPEC:1:COL`.
sim::Result<Scenario, Diagnostic> parse_scenario_file(const std::string& path, std::span<const std::string> overrides);
sim::Result<Scenario, Diagnostic> parse_scenario_text(std::string_view text, const std::string& path,
                                                      std::span<const std::string> overrides);

}  // namespace sasim::scenarios
