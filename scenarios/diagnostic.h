// Diagnostic: what is wrong with a scenario, and where. Every error of the
// scenario layer is one of these, so that `sasim run` and `sasim check` print
// `FILE:LINE:COL: error: MESSAGE` as the format's contract (§9) requires.
#pragma once

#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace sasim::scenarios {

struct Diagnostic {
  Location location{};
  std::string message{};
  // The file's further problems, in the order of the file: the parser reads
  // on past an error where it can (the next step, object or section), so
  // that one run of `sasim check` shows them all.
  std::vector<Diagnostic> more{};

  // Every problem, one `FILE:LINE:COL: error: MESSAGE` line each.
  std::string render() const {
    std::string out = location.describe() + ": error: " + message;
    for (const Diagnostic& next : more) out += "\n" + next.render();
    return out;
  }
  bool operator==(const Diagnostic&) const = default;
};

}  // namespace sasim::scenarios
