#include "model/auth/bound_token.h"

#include <fmt/format.h>
#include <utility>

#include "model/auth/jwt.h"
#include "sim/check.h"
#include "sim/prng.h"

namespace sasim::model::auth {

BoundToken::BoundToken(std::shared_ptr<const SigningKey> key, BoundClaims claims, std::uint64_t nonce_seed)
    : key_(std::move(key)), claims_(std::move(claims)), nonce_seed_(nonce_seed) {
  SIM_CHECK(key_ != nullptr, "a bound token needs a signing key");
}

const std::string& BoundToken::bytes() const {
  if (!signed_) {
    sim::Prng entropy(nonce_seed_);
    token_ = sign_jwt(*key_, to_json(claims_), entropy);
    signed_ = true;
  }
  return token_;
}

std::string BoundToken::describe() const {
  std::string out = fmt::format("jwt({} kid={} iss={} sub={} uid={} aud={} iat={} exp={}", key_->algorithm(),
                                key_->kid(), claims_.issuer, claims_.subject, claims_.service_account.uid,
                                fmt::join(claims_.audiences, ","), claims_.issued_at.value_or(0),
                                claims_.expiry.value_or(0));
  if (claims_.pod) out += fmt::format(" pod={}/{}", claims_.pod->name, claims_.pod->uid);
  if (claims_.secret) out += fmt::format(" secret={}/{}", claims_.secret->name, claims_.secret->uid);
  if (claims_.warn_after != 0) out += fmt::format(" warnafter={}", claims_.warn_after);
  if (key_->randomized()) out += fmt::format(" nonce={:016x}", nonce_seed_);
  return out + ")";
}

}  // namespace sasim::model::auth
