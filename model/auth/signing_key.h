// SigningKey: the private key kube-controller-manager signs ServiceAccount
// tokens with (--service-account-private-key-file).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/auth/public_key.h"
#include "sim/prng.h"
#include "sim/result.h"

namespace sasim::model::auth {

class SigningKey {
 public:
  // The first private key in a PEM text ("RSA PRIVATE KEY", "EC PRIVATE
  // KEY" or "PRIVATE KEY" blocks; other blocks are skipped, as upstream's
  // keyutil.ParsePrivateKeyPEM skips them). RSA keys sign RS256 and P-256
  // keys ES256; any other key is an error that names what is supported.
  // Encrypted keys are not supported (upstream cannot read them either).
  static sim::Result<SigningKey> from_pem(std::string_view text);

  // "RS256" or "ES256".
  const std::string& algorithm() const;
  // J2: the key id of the public half.
  const std::string& kid() const { return public_key().kid(); }
  const PublicKey& public_key() const;
  const std::string& public_key_der() const { return public_key().der(); }
  std::string public_key_pem() const { return public_key().pem(); }

  // The JWS signature of `signing_input`: RSASSA-PKCS1-v1_5 with SHA-256
  // for RS256, deterministic as upstream's (the same input always gives the
  // same bytes, and `entropy` is not drawn from); r||s for ES256, with a
  // nonce drawn from `entropy`, so that, as with go-jose's
  // ecdsa.Sign(rand.Reader, ...), two signatures of one input differ.
  std::string sign(std::string_view signing_input, sim::Prng& entropy) const;
  // Whether sign() draws from its entropy (ES256).
  bool randomized() const;

 private:
  struct Impl;
  explicit SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sasim::model::auth
