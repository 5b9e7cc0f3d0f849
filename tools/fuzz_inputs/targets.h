// The fuzz targets of sasim's input surfaces: every way bytes from outside
// (a scenario file, a manifest, a key file, a bearer token, a patch, a
// JSONPath template, a duration, an HTTP request to `sasim serve`) enter the
// program. Each target takes one input and must return normally whatever
// the bytes: an error is a value, never an exception, a crash, a hang or an
// unbounded allocation. Where a surface has a property that holds for every
// input (a duration prints back to itself, a decoded manifest encodes and
// decodes to the same object), the target checks it and aborts when it
// fails, so that the fuzzer reports it like a crash.
//
// The same functions run under libFuzzer (libfuzzer_entry.cc, clang builds
// with SASIM_FUZZ_INPUTS=ON) and in the plain replay driver (replay_main.cc)
// that ctest runs over the seeds and the regression corpus in every build.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sasim::tools::fuzz_inputs {

// The jwt target's bound tokens: their issuer, and the instant (Unix
// seconds) the seeds are issued at and every bound token is judged at.
inline constexpr std::string_view kBoundIssuer = "https://kubernetes.default.svc.cluster.local";
inline constexpr std::int64_t kBoundTokenNowUnix = 1'600'000'000;

struct FuzzTarget {
  std::string_view name;         // "scenario", "jwt", ...: also the directory names of its corpora
  std::string_view description;  // what one input is, for --list
  void (*run)(std::string_view input);
};

std::span<const FuzzTarget> fuzz_targets();
const FuzzTarget* find_fuzz_target(std::string_view name);

// Aborts with `what` on stderr when `holds` is false: a property violation
// must look like a crash to libFuzzer, and must fail the replay.
void fuzz_check(bool holds, std::string_view what);

// One target per surface (targets_*.cc).
void fuzz_scenario(std::string_view input);
void fuzz_manifest(std::string_view input);
void fuzz_pem(std::string_view input);
void fuzz_jwt(std::string_view input);
void fuzz_patch(std::string_view input);
void fuzz_jsonpath(std::string_view input);
void fuzz_duration(std::string_view input);
void fuzz_serve(std::string_view input);

}  // namespace sasim::tools::fuzz_inputs
