// libFuzzer's entry point for one target, chosen when the binary is built
// (SASIM_FUZZ_FUNCTION, see CMakeLists.txt): libFuzzer allows one entry
// point per binary, and each binary links only what its surface needs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/fuzz_inputs/targets.h"

// Targets build what they share (keys, a signed token, a cluster) once, on
// their first input. Built here instead, before libFuzzer starts its 1 s
// per-input clock: on a loaded machine, loading and signing under the
// sanitizers can take longer than that, and the first input (the empty one)
// was reported as a timeout that no input causes.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sasim::tools::fuzz_inputs::SASIM_FUZZ_FUNCTION(std::string_view());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sasim::tools::fuzz_inputs::SASIM_FUZZ_FUNCTION(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
