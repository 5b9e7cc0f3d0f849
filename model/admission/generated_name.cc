#include "model/admission/generated_name.h"

#include <cstdint>

namespace sasim::model::admission {

namespace {

constexpr int kIndexBits = 5;
constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << kIndexBits) - 1;
constexpr int kIndicesPerDraw = 63 / kIndexBits;

// Go's Int63: the generator's low bit is its weakest, so it is the one dropped.
std::uint64_t int63(sim::Prng& prng) { return prng.next_u64() >> 1; }

}  // namespace

std::string generate_name(std::string_view base, sim::Prng& prng) {
  std::string name(base.substr(0, kMaxGeneratedBaseLength));
  const std::size_t length = name.size() + kGeneratedSuffixLength;
  std::uint64_t bits = int63(prng);
  int remaining = kIndicesPerDraw;
  while (name.size() < length) {
    if (remaining == 0) {
      bits = int63(prng);
      remaining = kIndicesPerDraw;
    }
    const std::uint64_t index = bits & kIndexMask;
    if (index < kGeneratedNameAlphabet.size()) name.push_back(kGeneratedNameAlphabet[index]);
    bits >>= kIndexBits;
    --remaining;
  }
  return name;
}

}  // namespace sasim::model::admission
