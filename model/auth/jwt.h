// Compact JWS tokens as kube-controller-manager 1.20 writes them
// (go-jose v2 via serviceaccount.JWTTokenGenerator) and as the apiserver
// reads them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/auth/public_key.h"
#include "model/auth/signing_key.h"
#include "sim/prng.h"
#include "sim/result.h"

namespace sasim::model::auth {

// header.payload.signature with header exactly {"alg":"RS256","kid":"..."}
// (go-jose sorts the header's keys, and Kubernetes sets no `typ`) and the
// claims as Go's json.Marshal writes them (go_text.h). RS256 tokens are the
// same for the same (key, claims); ES256 ones differ with each signing, their
// nonce drawn from `entropy` (SigningKey::sign).
std::string sign_jwt(const SigningKey& key, const nlohmann::json& claims, sim::Prng& entropy);

// A JWS taken apart, nothing verified.
struct ParsedJwt {
  nlohmann::json header;      // a JSON object (protected and unprotected headers merged)
  nlohmann::json claims;      // a JSON object
  std::string alg;            // header "alg", "" when absent
  std::string kid;            // header "kid", "" when absent
  std::string signing_input;  // what the signature covers (see parse_jwt)
  std::string signature;      // raw signature bytes (the first signature's)
  // The JSON serialization may carry several signatures; go-jose verifies
  // a token only if it has exactly one.
  std::size_t signature_count = 1;
};

// How bearer tokens are taken apart, which changed between releases; a
// per-era choice (the version table sets it), named after upstream's code.
enum class JwsParsing : std::uint8_t {
  // Kubernetes 1.20 (go-jose v2.2.2's jwt.ParseSigned): whitespace
  // ([\t\n\f\r ], Go's regexp \s) is removed from the whole input first,
  // and input that then starts with '{' is the JWS JSON serialization
  // (general or flattened; unknown members ignored).
  kGoJoseV2,
  // Later releases (kubernetes#123540): the compact serialization only,
  // taken as it is.
  kCompactOnly,
};

// The compact form: three base64url segments (no padding) separated by
// dots; header and payload JSON objects; `alg` and `kid`, when present,
// strings. The error says what is wrong. As go-jose does, the signing input
// is rebuilt from the decoded segments, so a segment with stray bits in its
// last character still verifies against the signature over its canonical
// form. With kGoJoseV2, also the JSON serialization: `payload` (required),
// and `protected`, `header` and `signature` at the top level or in each
// entry of `signatures`, the base64url members decoded likewise; a nonce in
// an unprotected header is refused, as go-jose refuses it.
sim::Result<ParsedJwt> parse_jwt(std::string_view token, JwsParsing parsing);

// Whether the signature verifies with `key` under the header's alg. A
// non-empty `crit` header fails, as go-jose v2 refuses critical extensions.
// A token with several signatures never verifies (see ParsedJwt).
bool verify_jwt_signature(const ParsedJwt& jwt, const PublicKey& key);

}  // namespace sasim::model::auth
