// Scenario plain data back to a scenario file: the parser's inverse, used
// to write the fuzzer's counterexamples as ordinary scenarios. Parsing the
// text gives back an equal scenario (apart from locations); in particular
// writing, parsing and writing again gives the same text.
//
// The output is block YAML with every string double-quoted (JSON escapes,
// which YAML reads the same way), so that no value can change type on the
// way back. Knobs left at the format's default are not written. Manifests
// from `{file: F}` are written inline; signing.key and rootCA are written
// as the paths the parser resolved.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace sasim::scenarios {

std::string write_scenario(const Scenario& scenario);

}  // namespace sasim::scenarios
