// Tokens a fuzz case presents that no controller issued: forged, tampered
// and foreign ones. They are made when the case is drawn and kept in it as
// plain values, so that a case (and its counterexample file) holds them as
// `authenticate: {value: ...}` and replays without this code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/auth/signing_key.h"

namespace sasim::tools::fuzz {

enum class Forgery : std::uint8_t {
  kAlgNone,          // {"alg":"none"} and no signature
  kForeignKey,       // signed by a key the cluster does not know
  kTamperedPayload,  // the cluster's signature over other claims
  kTruncated,        // the cluster's token with its signature cut short
  kClusterKeyClaims, // signed by the cluster's own key, with claims a controller never writes
};

// What a forged token claims: the namespace, account and Secret, and (for
// kClusterKeyClaims) which claim is spoiled: 0 none (a made-up uid), 1 the
// sub of another namespace, 2 no secret.name, 3 no service-account.uid,
// 4 another issuer.
struct ForgedClaims {
  std::string ns, account, secret;
  int spoil = 0;
};

class Forger {
 public:
  // The fuzz clusters' key (sasim's built-in ES256 test key) and a foreign one.
  Forger();
  std::string forge(Forgery kind, const ForgedClaims& claims) const;

 private:
  std::shared_ptr<const model::auth::SigningKey> cluster_;
  std::shared_ptr<const model::auth::SigningKey> foreign_;
};

}  // namespace sasim::tools::fuzz
