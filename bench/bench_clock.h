// What every benchmark measures besides its own figures: wall time on a
// steady clock and the process's peak resident set. Benchmarks live in tools'
// layer, so they may read the clock; the simulation never does.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <chrono>

namespace sasim::bench {

using Clock = std::chrono::steady_clock;

inline double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time the process has used (every thread, user and system). On a
// shared machine the wall clock also counts other processes' turns; CPU
// time counts only this one's work, so ratios of it hold under load.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace sasim::bench
