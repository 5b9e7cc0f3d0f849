// BoundToken: a bound ServiceAccount token (TokenRequest) as a LazyValue,
// signed the first time something reads its bytes (lazy_value.h says why:
// a kubelet refreshing 10,000 pods' tokens every hour must not pay an RSA
// signature for each one nobody presents). Its claims can be read without
// signing, by the kubelet and by invariants.
//
// An ES256 signature's nonce is drawn from a stream seeded by `nonce_seed`,
// fixed when the token was made, as LegacyToken does: the bytes do not
// depend on when, or whether, anything reads them. RS256 ignores the seed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/auth/bound_claims.h"
#include "model/auth/signing_key.h"
#include "model/objects/lazy_value.h"

namespace sasim::model::auth {

class BoundToken final : public LazyValue {
 public:
  BoundToken(std::shared_ptr<const SigningKey> key, BoundClaims claims, std::uint64_t nonce_seed);

  // sign_jwt(key, to_json(claims), Prng(nonce_seed)), computed once.
  const std::string& bytes() const override;
  bool computed() const override { return signed_; }
  // "jwt(RS256 kid=<kid> sub=<sub> iat=<iat> exp=<exp> pod=<name>/<uid>)":
  // what the bytes depend on, without signing.
  std::string describe() const override;

  const BoundClaims& claims() const { return claims_; }
  const SigningKey& key() const { return *key_; }

 private:
  std::shared_ptr<const SigningKey> key_;
  BoundClaims claims_;
  std::uint64_t nonce_seed_;
  mutable std::string token_;
  mutable bool signed_ = false;
};

}  // namespace sasim::model::auth
