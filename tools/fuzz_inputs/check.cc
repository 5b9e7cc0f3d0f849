#include <cstdio>
#include <cstdlib>

#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

void fuzz_check(bool holds, std::string_view what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property violated: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace sasim::tools::fuzz_inputs
