// Compact JWS tokens as kube-controller-manager 1.20 writes them
// (go-jose v2 via serviceaccount.JWTTokenGenerator) and as the apiserver
// reads them.
#pragma once

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

// A compact JWS taken apart, nothing verified.
struct ParsedJwt {
  nlohmann::json header;      // a JSON object
  nlohmann::json claims;      // a JSON object
  std::string alg;            // header "alg", "" when absent
  std::string kid;            // header "kid", "" when absent
  std::string signing_input;  // what the signature covers (see parse_jwt)
  std::string signature;      // raw signature bytes
};

// Three base64url segments (no padding) separated by dots; header and
// payload JSON objects; `alg` and `kid`, when present, strings. The error
// says what is wrong. As go-jose does, the signing input is rebuilt from the
// decoded segments, so a segment with stray bits in its last character still
// verifies against the signature over its canonical form. JSON-serialized
// JWS (`{...}`) is not accepted: upstream's authenticator turns it away
// before parsing (hasCorrectIssuer).
sim::Result<ParsedJwt> parse_jwt(std::string_view token);

// Whether the signature verifies with `key` under the header's alg. A
// non-empty `crit` header fails, as go-jose v2 refuses critical extensions.
bool verify_jwt_signature(const ParsedJwt& jwt, const PublicKey& key);

}  // namespace sasim::model::auth
