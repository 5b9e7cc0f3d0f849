// The memory limit of `sasim fuzz` and `sasim report` (--max-memory SIZE):
// a command that would need more ends with a clear error and exit 2, not
// with the kernel's out-of-memory kill.
//
// How: the process's address space is capped (RLIMIT_AS), so an allocation
// past the limit fails instead of succeeding and being killed later, and a
// new-handler turns the failure into the error wherever it happens (any
// thread, inside a library, under a noexcept) without allocating; so do
// malloc, calloc and realloc, replaced here for the C libraries (OpenSSL). The cap
// counts address space, not resident memory: thread stacks and malloc's
// per-thread arenas reserve some that is never touched, which the limit
// has to leave room for (a few hundred MiB at most for report's threads).
//
// AddressSanitizer reserves terabytes of address space for its shadow
// memory, so a sanitizer build cannot cap it: there the limit is not set
// and apply_memory_limit says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/result.h"

namespace sasim::tools {

// "512MiB", "2GiB", "4G", "1500M", "65536": a byte count with an optional
// binary (Ki, Mi, Gi, Ti, also KiB...) or decimal (k, K, M, G, T, also
// KB...) multiplier, as Kubernetes quantities and most tools write them.
sim::Result<std::uint64_t> parse_size(std::string_view text);

// The machine's physical memory: the default limit, so that a command that
// runs away ends with the error before the machine runs out.
std::uint64_t physical_memory_bytes();

// Caps the process at `bytes` of address space and installs the
// new-handler whose message names `flag_text` ("--max-memory 512MiB").
// nullopt when set; otherwise why not (a sanitizer build, setrlimit
// refused), for a warning.
std::optional<std::string> apply_memory_limit(std::uint64_t bytes, const std::string& flag_text);

// True in a build with AddressSanitizer (where the limit is not applied).
bool address_space_is_reserved();

}  // namespace sasim::tools
