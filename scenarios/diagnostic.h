// Diagnostic: what is wrong with a scenario, and where. Every error of the
// scenario layer is one of these, so that `sasim run` and `sasim check` print
// `FILE:LINE:COL: error: MESSAGE` as the format's contract (§9) requires.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace sasim::scenarios {

struct Diagnostic {
  Location location{};
  std::string message{};

  std::string render() const { return location.describe() + ": error: " + message; }
  bool operator==(const Diagnostic&) const = default;
};

}  // namespace sasim::scenarios
