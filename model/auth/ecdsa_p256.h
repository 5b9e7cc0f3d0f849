// Deterministic ECDSA on P-256 with SHA-256 (RFC 6979).
//
// OpenSSL 3.0 draws ECDSA nonces at random, so the same token would get a
// different signature each time it is signed. Tokens are signed lazily, only
// when something observes them, so a random nonce would make a run's output
// depend on what was observed and when. RFC 6979 derives the nonce from the
// private key and the message hash instead: same key and message, same
// signature, and still a valid ECDSA signature for any verifier.
//
// This is a simulator's signer for test keys: it makes no attempt at
// constant-time arithmetic.
#pragma once

#include <array>
#include <cstdint>

namespace sasim::model::auth {

using P256Scalar = std::array<std::uint8_t, 32>;  // big-endian, left-padded
using Sha256Digest = std::array<std::uint8_t, 32>;
using P256Signature = std::array<std::uint8_t, 64>;  // r || s, each half left-padded

// The first nonce RFC 6979 section 3.2 derives for this key and digest
// (HMAC-SHA256 DRBG seeded with int2octets(x) || bits2octets(h1)).
P256Scalar rfc6979_nonce(const P256Scalar& private_key, const Sha256Digest& digest);

// The ECDSA signature of `digest` with the RFC 6979 nonce (the next nonce of
// the same DRBG if r or s comes out zero). No low-s normalization: Go and
// OpenSSL do not normalize either.
P256Signature ecdsa_p256_sign(const P256Scalar& private_key, const Sha256Digest& digest);

}  // namespace sasim::model::auth
