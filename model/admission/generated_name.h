// Generated names (apiserver storage/names SimpleNameGenerator).
//
// model/client has the same generator; admission keeps its own copy because
// it must build without the client part. Both draw identically: 63-bit
// values spent 5 bits per character, rejecting indices >= 27.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/prng.h"

namespace sasim::model::admission {

// No vowels (no words) and no 0, 1 or 3 (look-alikes).
inline constexpr std::string_view kGeneratedNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
inline constexpr std::size_t kGeneratedSuffixLength = 5;
inline constexpr std::size_t kMaxGeneratedBaseLength = 63 - kGeneratedSuffixLength;

// base cut to 58 bytes, then 5 characters of kGeneratedNameAlphabet.
std::string generate_name(std::string_view base, sim::Prng& prng);

}  // namespace sasim::model::admission
