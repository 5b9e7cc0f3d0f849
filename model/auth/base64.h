// Base64 as Go's encoding/base64 does it: StdEncoding (padded) for Secret
// data, RawURLEncoding (URL alphabet, no padding) for JWT segments.
//
// Decoding is strict about the alphabet, the padding and the length, and
// returns nullopt on any violation, but, like Go's non-Strict() decoders, it
// accepts non-zero bits in the unused tail of the last character ("QR==" reads
// as "QQ=="): upstream decodes tokens and Secret data that way, so a token
// Kubernetes accepts must decode here too. Go also skips '\r' and '\n'
// anywhere in the input; base64url_decode_go does that, for the places where
// upstream decodes text as it came (a token presented in a TokenReview can
// hold a newline).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sasim::model::auth {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
// Go's base64.RawURLEncoding.DecodeString, newlines skipped.
std::optional<std::string> base64url_decode_go(std::string_view text);

}  // namespace sasim::model::auth
