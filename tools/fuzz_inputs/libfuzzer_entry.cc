// libFuzzer's entry point for one target, chosen when the binary is built
// (SASIM_FUZZ_FUNCTION, see CMakeLists.txt): libFuzzer allows one entry
// point per binary, and each binary links only what its surface needs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/fuzz_inputs/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sasim::tools::fuzz_inputs::SASIM_FUZZ_FUNCTION(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
