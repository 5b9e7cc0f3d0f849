#include "model/client/name_generator.h"

#include <cstdint>

#include "sim/check.h"

namespace sasim::model::client {

namespace {

constexpr int kIndexBits = 5;
constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << kIndexBits) - 1;
constexpr int kIndicesPerDraw = 63 / kIndexBits;

// Go's Int63 is 63 random bits; xoshiro256**'s high bits are its best, so
// the low bit is the one dropped.
std::uint64_t int63(sim::Prng& prng) { return prng.next_u64() >> 1; }

}  // namespace

std::string random_suffix(sim::Prng& prng, int n) {
  SIM_CHECK(n >= 0, "random_suffix needs a non-negative length");
  std::string out;
  out.reserve(static_cast<std::size_t>(n));
  std::uint64_t bits = int63(prng);
  int remaining = kIndicesPerDraw;
  while (out.size() < static_cast<std::size_t>(n)) {
    if (remaining == 0) {
      bits = int63(prng);
      remaining = kIndicesPerDraw;
    }
    const std::uint64_t index = bits & kIndexMask;
    if (index < kNameAlphabet.size()) out.push_back(kNameAlphabet[index]);
    bits >>= kIndexBits;
    --remaining;
  }
  return out;
}

std::string generate_name(std::string_view base, sim::Prng& prng) {
  std::string name(base.substr(0, kMaxGeneratedNameLength));
  name += random_suffix(prng, static_cast<int>(kRandomSuffixLength));
  return name;
}

std::string token_secret_name(std::string_view sa_name, sim::Prng& prng) {
  std::string base(sa_name);
  base += "-token-";
  return generate_name(base, prng);
}

}  // namespace sasim::model::client
