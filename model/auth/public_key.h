// PublicKey: an RSA or ECDSA public key that verifies JWS signatures, as the
// apiserver holds them from --service-account-key-file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/result.h"

namespace sasim::model::auth {

class PublicKey {
 public:
  // A DER SubjectPublicKeyInfo (PKIX) holding an RSA key or an ECDSA key on
  // P-224, P-256, P-384 or P-521 (the keys Go's x509 package parses).
  static sim::Result<PublicKey> from_der(std::string_view der);
  // The first key of parse_public_keys_pem(text).
  static sim::Result<PublicKey> from_pem(std::string_view text);

  // PKIX DER as Go's x509.MarshalPKIXPublicKey writes it (EC points
  // uncompressed, curves by name): the bytes the key id is computed from.
  const std::string& der() const;
  std::string pem() const;
  // J2: base64url, no padding, of SHA-256 of der().
  const std::string& kid() const;
  // "RSA 2048", "ECDSA P-256": for messages.
  const std::string& description() const;

  // Whether `signature` is a valid JWS signature over `signing_input` with
  // this key under `alg`, as go-jose v2 checks it: RS256/384/512 and
  // PS256/384/512 with RSA keys; ES256/384/512 with ECDSA keys, the
  // signature being r||s of exactly 2×32, 2×48 or 2×66 bytes. Any valid
  // signature verifies, deterministic or not. An algorithm the key cannot
  // check is a failure, never an error.
  bool verify(std::string_view alg, std::string_view signing_input, std::string_view signature) const;

  friend bool operator==(const PublicKey& a, const PublicKey& b) { return a.der() == b.der(); }

 private:
  struct Impl;
  explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Every RSA and ECDSA key in a PEM text, in order, like upstream's
// keyutil.ParsePublicKeysPEM: public key blocks (PKIX, or PKCS#1 for RSA)
// and private key blocks (PKCS#1, SEC 1, PKCS#8), whose public half is
// taken, so the signing key file itself works as a verification key file.
// Blocks of any other kind are skipped. No key at all is an error.
sim::Result<std::vector<PublicKey>> parse_public_keys_pem(std::string_view text);

}  // namespace sasim::model::auth
