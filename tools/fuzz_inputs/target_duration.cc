// Durations as scenarios and the command line write them.
#include <string>

#include "sim/duration_text.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

void fuzz_duration(std::string_view input) {
  auto parsed = sim::parse_duration(input);
  if (!parsed.ok()) return;
  const std::string printed = sim::format_duration(parsed.value());
  auto again = sim::parse_duration(printed);
  fuzz_check(again.ok() && again.value() == parsed.value(),
             "format_duration(" + std::string(input) + ") = " + printed + " does not parse back to the same value");
}

}  // namespace sasim::tools::fuzz_inputs
