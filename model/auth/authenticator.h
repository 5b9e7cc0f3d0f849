// The apiserver's authenticator for legacy ServiceAccount tokens, as
// Kubernetes 1.20 builds it (serviceaccount.JWTTokenAuthenticator with the
// legacy validator): V1–V6 of the behaviour reference, section 5.2, then the
// legacy validator (legacy_validator.h).
//
// Keys are a plain list, as in 1.20: every key is tried in order, the header
// `kid` is ignored, and the first key that verifies wins (key rotation). With
// no keys at all, nothing is tried and the empty aggregate of errors is nil,
// so the token is not handled, without an error; the `invalid signature, no
// keys found` error of 1.32+ does not exist yet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/auth/auth_result.h"
#include "model/auth/identity.h"
#include "model/auth/public_key.h"
#include "model/auth/token_lookup.h"

namespace sasim::model::auth {

struct AuthenticatorConfig {
  // --service-account-key-file: any key that verifies the token wins.
  std::vector<PublicKey> keys;
  // Issuers whose tokens this authenticator takes; others pass untouched.
  std::vector<std::string> issuers{std::string(kLegacyIssuer)};
  // --api-audiences: the audiences legacy tokens (which have no `aud`) are
  // taken to have, and the default requested audiences.
  std::vector<std::string> implicit_audiences;
  // --service-account-lookup.
  bool lookup = true;
  // Deliberately broken variants (model/cluster/broken_variants.h).
  struct Broken {
    bool accept_missing_secrets = false;  // a token whose Secret is gone passes the lookup
  } broken{};
};

class ServiceAccountTokenAuthenticator {
 public:
  // `lookup` must outlive the authenticator; it may be null only when
  // config.lookup is false.
  ServiceAccountTokenAuthenticator(AuthenticatorConfig config, TokenLookup* lookup);

  // With the implicit audiences as the requested ones.
  AuthResult authenticate(std::string_view token) const;
  AuthResult authenticate(std::string_view token, const std::vector<std::string>& requested_audiences) const;

  const AuthenticatorConfig& config() const { return config_; }

 private:
  AuthResult run(std::string_view token, const std::vector<std::string>& requested_audiences) const;
  bool accepts_issuer(const std::string& issuer) const;

  AuthenticatorConfig config_;
  TokenLookup* lookup_;
};

}  // namespace sasim::model::auth
