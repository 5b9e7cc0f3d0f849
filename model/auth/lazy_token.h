// LegacyToken: a legacy ServiceAccount token as a LazyValue, signed the first
// time something reads it (see model/objects/lazy_value.h for why).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/auth/legacy_claims.h"
#include "model/auth/signing_key.h"
#include "model/objects/lazy_value.h"

namespace sasim::model::auth {

class LegacyToken final : public LazyValue {
 public:
  LegacyToken(std::shared_ptr<const SigningKey> key, LegacyClaims claims);

  // sign_jwt(key, to_json(claims)), computed once.
  const std::string& bytes() const override;
  bool computed() const override { return signed_; }
  // "jwt(RS256 kid=<kid> sub=system:serviceaccount:<ns>:<sa> uid=<uid>
  // secret=<ns>/<name>)": everything the bytes depend on, so that two
  // descriptions are equal exactly when the tokens are. Never signs.
  std::string describe() const override;

  const LegacyClaims& claims() const { return claims_; }
  const SigningKey& key() const { return *key_; }

 private:
  std::shared_ptr<const SigningKey> key_;
  LegacyClaims claims_;
  // The cache is the object's own, not shared state: observing a token does
  // not change what it is, only whether it has been computed yet.
  mutable std::string token_;
  mutable bool signed_ = false;
};

std::shared_ptr<const LegacyToken> make_legacy_token(std::shared_ptr<const SigningKey> key, std::string_view ns,
                                                     std::string_view sa_name, std::string_view sa_uid,
                                                     std::string_view secret_name);

}  // namespace sasim::model::auth
