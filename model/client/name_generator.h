// Kubernetes' generated names: a base plus five random characters
// (apiserver storage/names SimpleNameGenerator over apimachinery util/rand).
//
// The alphabet, the length, the truncation and the way characters are drawn
// match upstream: each call takes a fresh 63-bit value and spends it 5 bits at
// a time, rejecting indices >= 27 (so every character is uniform over the
// alphabet), drawing another 63-bit value after 12 slots. The bits come from a
// sim::Prng instead of Go's math/rand, whose stream we do not reproduce, so
// the names differ from those in upstream's seeded tests (`default-token-xn8fg`
// for utilrand.Seed(1)) while having the same alphabet and distribution.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/prng.h"

namespace sasim::model::client {

// Vowels are left out so that no words appear; 0, 1 and 3 too (look-alikes).
inline constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
inline constexpr std::size_t kMaxNameLength = 63;
inline constexpr std::size_t kRandomSuffixLength = 5;
inline constexpr std::size_t kMaxGeneratedNameLength = kMaxNameLength - kRandomSuffixLength;

// utilrand.String(n): n characters of kNameAlphabet (n >= 0).
std::string random_suffix(sim::Prng& prng, int n);

// SimpleNameGenerator.GenerateName(base): base cut to 58 bytes, then 5
// random characters.
std::string generate_name(std::string_view base, sim::Prng& prng);

// The tokens controller's Secret name: generate_name("<sa>-token-").
std::string token_secret_name(std::string_view sa_name, sim::Prng& prng);

}  // namespace sasim::model::client
