// SIM_CHECK: the engine's guard for broken invariants (programmer errors).
//
// A failed check means sasim itself is wrong, never that a scenario is: it
// prints where and why, then aborts so that the failure cannot be mistaken for
// a simulated outcome. Recoverable errors (bad input, simulated API errors) are
// values instead; see result.h.
#pragma once

#include <string_view>

namespace sasim::sim {

[[noreturn]] void check_failed(std::string_view condition, std::string_view message,
                               const char* file, int line);

}  // namespace sasim::sim

#define SIM_CHECK(condition, message)                                                  \
  do {                                                                                 \
    if (!(condition)) [[unlikely]] {                                                   \
      ::sasim::sim::check_failed(#condition, (message), __FILE__, __LINE__);           \
    }                                                                                  \
  } while (false)
