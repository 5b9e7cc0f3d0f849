// ECDSA on P-256 with SHA-256, with the nonce drawn from a seeded stream.
//
// go-jose signs ES256 with ecdsa.Sign(rand.Reader, ...): every signature of
// the same message is new, so a token regenerated for the same Secret differs
// from the old one. The simulator has no ambient randomness, so the nonce
// comes from a sim::Prng the caller owns instead: fresh per signature, and
// repeatable with the run's seed. (OpenSSL 3.0 cannot be handed a nonce, hence
// the arithmetic here.)
//
// This is a simulator's signer for test keys: it makes no attempt at
// constant-time arithmetic.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "sim/prng.h"

namespace sasim::model::auth {

using P256Scalar = std::array<std::uint8_t, 32>;  // big-endian, left-padded
using Sha256Digest = std::array<std::uint8_t, 32>;
using P256Signature = std::array<std::uint8_t, 64>;  // r || s, each half left-padded

// The signature of `digest` with the nonce `k` (in [1, n-1]); nullopt when r
// or s comes out zero, and the signer must draw another nonce. No low-s
// normalization: Go and OpenSSL do not normalize either.
std::optional<P256Signature> ecdsa_p256_sign_with_nonce(const P256Scalar& private_key, const Sha256Digest& digest,
                                                        const P256Scalar& k);

// A nonce uniform in [1, n-1]: four draws make a 256-bit candidate, taken
// unless it is zero or not below the group order (rejection, so no bias).
P256Scalar draw_p256_nonce(sim::Prng& entropy);

// The signature of `digest` with nonces drawn from `entropy` until one gives
// a valid signature.
P256Signature ecdsa_p256_sign(const P256Scalar& private_key, const Sha256Digest& digest, sim::Prng& entropy);

}  // namespace sasim::model::auth
