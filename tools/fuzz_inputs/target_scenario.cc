// Scenario files: YAML to a checked scenario, as `sasim check` reads them.
#include <string>

#include "scenarios/parser.h"
#include "scenarios/writer.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

void fuzz_scenario(std::string_view input) {
  // A path under a directory that does not exist: files the scenario names
  // (keys, manifests) are looked up there and are missing, a diagnostic.
  auto parsed = scenarios::parse_scenario_text(input, "fuzz-inputs-missing-dir/input.yaml");
  if (!parsed.ok()) {
    fuzz_check(!parsed.error().render().empty(), "a scenario diagnostic without text");
    return;
  }
  // A checked scenario can be written back out (sasim fuzz writes its
  // counterexamples this way); the text must not crash the parser either.
  const std::string written = scenarios::write_scenario(parsed.value());
  (void)scenarios::parse_scenario_text(written, "fuzz-inputs-missing-dir/written.yaml");
}

}  // namespace sasim::tools::fuzz_inputs
