#include "tools/runner/memory_limit.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

// AddressSanitizer, as gcc (__SANITIZE_ADDRESS__) and clang (__has_feature) say it.
#if defined(__SANITIZE_ADDRESS__)
#define SASIM_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SASIM_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef SASIM_ADDRESS_SANITIZER
#define SASIM_ADDRESS_SANITIZER 0
#endif

namespace sasim::tools {
namespace {

constexpr bool kAddressSanitizer = SASIM_ADDRESS_SANITIZER != 0;

// The new-handler's message, written before the limit is set: once memory
// has run out, nothing may be allocated to say so. Process-wide because
// std::set_new_handler takes a plain function.
std::array<char, 256> out_of_memory_message{};
std::size_t out_of_memory_length = 0;

std::atomic<bool> limit_applied{false};

[[noreturn]] void on_out_of_memory() {
  // write(2) and _exit: no stdio buffers, no destructors, no allocation.
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, out_of_memory_message.data(), out_of_memory_length);
  ::_exit(2);
}

}  // namespace

sim::Result<std::uint64_t> parse_size(std::string_view text) {
  auto bad = [&] {
    return sim::unexpected(sim::Error{"expected a size such as 512MiB, 2GiB or 4G, got \"" + std::string(text) + "\""});
  };
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 19) return bad();
  std::uint64_t number = 0;
  for (std::size_t i = 0; i < digits; ++i) number = number * 10 + static_cast<std::uint64_t>(text[i] - '0');
  std::string_view unit = text.substr(digits);
  if (unit.size() > 1 && unit.back() == 'B') unit.remove_suffix(1);  // KiB, MB: the B says nothing more
  struct Unit {
    std::string_view name;
    std::uint64_t factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},           {"B", 1},
      {"Ki", 1ULL << 10}, {"Mi", 1ULL << 20}, {"Gi", 1ULL << 30}, {"Ti", 1ULL << 40},
      {"k", 1000},        {"K", 1000},        {"M", 1000'000},    {"G", 1000'000'000}, {"T", 1000'000'000'000},
  };
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (number > UINT64_MAX / u.factor) return bad();
    return number * u.factor;
  }
  return bad();
}

std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

bool address_space_is_reserved() { return kAddressSanitizer; }

std::optional<std::string> apply_memory_limit(std::uint64_t bytes, const std::string& flag_text) {
  if (kAddressSanitizer) {
    return flag_text + " is not applied: this is a sanitizer build, whose shadow memory reserves terabytes of "
                       "address space";
  }
  const int length = std::snprintf(out_of_memory_message.data(), out_of_memory_message.size(),
                                   "sasim: error: out of memory: the command needs more than %s; raise the limit\n",
                                   flag_text.c_str());
  out_of_memory_length = length < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(length), out_of_memory_message.size() - 1);
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0) return flag_text + " is not applied: getrlimit: " + std::strerror(errno);
  // Never above the hard limit (an unprivileged process cannot raise it).
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? bytes : std::min<rlim_t>(bytes, limit.rlim_max);
  if (::setrlimit(RLIMIT_AS, &limit) != 0) return flag_text + " is not applied: setrlimit: " + std::strerror(errno);
  std::set_new_handler(on_out_of_memory);
  limit_applied.store(true, std::memory_order_relaxed);
  return std::nullopt;
}

}  // namespace sasim::tools

// C libraries allocate with malloc, where a failure calls no new-handler:
// OpenSSL (which has allocated before main, so CRYPTO_set_mem_functions is
// too late) would answer a key that does not load, and the simulation a
// token it cannot sign, which would be silently wrong output. malloc,
// calloc and realloc are replaced by glibc's own (__libc_*) plus the same
// end as the new-handler once a limit is applied; before, nothing changes.
// The heap stays glibc's, so free and the aligned allocators stay too. Not
// under AddressSanitizer, which replaces malloc itself (and where no limit
// is applied).
#if !SASIM_ADDRESS_SANITIZER
extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* old, std::size_t size) noexcept;

void* malloc(std::size_t size) noexcept {
  void* p = __libc_malloc(size);
  if (p == nullptr && size != 0 && sasim::tools::limit_applied.load(std::memory_order_relaxed)) {
    sasim::tools::on_out_of_memory();
  }
  return p;
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  void* p = __libc_calloc(count, size);
  if (p == nullptr && count != 0 && size != 0 && sasim::tools::limit_applied.load(std::memory_order_relaxed)) {
    sasim::tools::on_out_of_memory();
  }
  return p;
}

void* realloc(void* old, std::size_t size) noexcept {
  void* p = __libc_realloc(old, size);
  if (p == nullptr && size != 0 && sasim::tools::limit_applied.load(std::memory_order_relaxed)) {
    sasim::tools::on_out_of_memory();
  }
  return p;
}
}  // extern "C"
#endif
