// LegacyToken: a legacy ServiceAccount token as a LazyValue, signed the first
// time something reads it (see model/objects/lazy_value.h for why).
//
// An ES256 signature needs a random nonce (go-jose draws one from
// crypto/rand for every signing). It is drawn from a stream seeded by
// `nonce_seed`, a value the signer fixed when it created the token, so that
// the bytes do not depend on when, or whether, anything reads them: a run's
// digest stays independent of what was observed. RS256 ignores the seed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "model/auth/legacy_claims.h"
#include "model/auth/signing_key.h"
#include "model/objects/lazy_value.h"

namespace sasim::model::auth {

class LegacyToken final : public LazyValue {
 public:
  LegacyToken(std::shared_ptr<const SigningKey> key, LegacyClaims claims, std::uint64_t nonce_seed);

  // sign_jwt(key, to_json(claims), Prng(nonce_seed)), computed once.
  const std::string& bytes() const override;
  bool computed() const override { return signed_; }
  // "jwt(RS256 kid=<kid> sub=system:serviceaccount:<ns>:<sa> uid=<uid>
  // secret=<ns>/<name>)", with " nonce=<seed in hex>" before the ")" for
  // ES256: everything the bytes depend on, so that two descriptions are
  // equal exactly when the tokens are. Never signs.
  std::string describe() const override;

  const LegacyClaims& claims() const { return claims_; }
  const SigningKey& key() const { return *key_; }

 private:
  std::shared_ptr<const SigningKey> key_;
  LegacyClaims claims_;
  std::uint64_t nonce_seed_;
  // The cache is the object's own, not shared state: observing a token does
  // not change what it is, only whether it has been computed yet.
  mutable std::string token_;
  mutable bool signed_ = false;
};

std::shared_ptr<const LegacyToken> make_legacy_token(std::shared_ptr<const SigningKey> key, std::string_view ns,
                                                     std::string_view sa_name, std::string_view sa_uid,
                                                     std::string_view secret_name, std::uint64_t nonce_seed);

}  // namespace sasim::model::auth
