#include "model/auth/lazy_token.h"

#include <fmt/format.h>

#include <utility>

#include "model/auth/jwt.h"
#include "sim/check.h"

namespace sasim::model::auth {

LegacyToken::LegacyToken(std::shared_ptr<const SigningKey> key, LegacyClaims claims, std::uint64_t nonce_seed)
    : key_(std::move(key)), claims_(std::move(claims)), nonce_seed_(nonce_seed) {
  SIM_CHECK(key_ != nullptr, "a legacy token needs a signing key");
}

const std::string& LegacyToken::bytes() const {
  if (!signed_) {
    sim::Prng entropy(nonce_seed_);
    token_ = sign_jwt(*key_, to_json(claims_), entropy);
    signed_ = true;
  }
  return token_;
}

std::string LegacyToken::describe() const {
  std::string out = "jwt(" + key_->algorithm() + " kid=" + key_->kid() + " sub=" + claims_.subject +
                    " uid=" + claims_.service_account_uid + " secret=" + claims_.ns + "/" + claims_.secret_name;
  if (key_->randomized()) out += fmt::format(" nonce={:016x}", nonce_seed_);
  return out + ")";
}

std::shared_ptr<const LegacyToken> make_legacy_token(std::shared_ptr<const SigningKey> key, std::string_view ns,
                                                     std::string_view sa_name, std::string_view sa_uid,
                                                     std::string_view secret_name, std::uint64_t nonce_seed) {
  return std::make_shared<const LegacyToken>(std::move(key), make_legacy_claims(ns, sa_name, sa_uid, secret_name),
                                             nonce_seed);
}

}  // namespace sasim::model::auth
