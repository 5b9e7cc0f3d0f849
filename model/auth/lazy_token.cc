#include "model/auth/lazy_token.h"

#include <utility>

#include "model/auth/jwt.h"
#include "sim/check.h"

namespace sasim::model::auth {

LegacyToken::LegacyToken(std::shared_ptr<const SigningKey> key, LegacyClaims claims)
    : key_(std::move(key)), claims_(std::move(claims)) {
  SIM_CHECK(key_ != nullptr, "a legacy token needs a signing key");
}

const std::string& LegacyToken::bytes() const {
  if (!signed_) {
    token_ = sign_jwt(*key_, to_json(claims_));
    signed_ = true;
  }
  return token_;
}

std::string LegacyToken::describe() const {
  return "jwt(" + key_->algorithm() + " kid=" + key_->kid() + " sub=" + claims_.subject +
         " uid=" + claims_.service_account_uid + " secret=" + claims_.ns + "/" + claims_.secret_name + ")";
}

std::shared_ptr<const LegacyToken> make_legacy_token(std::shared_ptr<const SigningKey> key, std::string_view ns,
                                                     std::string_view sa_name, std::string_view sa_uid,
                                                     std::string_view secret_name) {
  return std::make_shared<const LegacyToken>(std::move(key), make_legacy_claims(ns, sa_name, sa_uid, secret_name));
}

}  // namespace sasim::model::auth
