// J4: the claims of a legacy (Secret-based) ServiceAccount token, as
// upstream's serviceaccount.LegacyClaims builds them. Nothing else: no exp,
// iat, nbf, aud or jti, so legacy tokens never expire.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/result.h"

namespace sasim::model::auth {

inline constexpr std::string_view kNamespaceClaim = "kubernetes.io/serviceaccount/namespace";
inline constexpr std::string_view kSecretNameClaim = "kubernetes.io/serviceaccount/secret.name";
inline constexpr std::string_view kServiceAccountNameClaim = "kubernetes.io/serviceaccount/service-account.name";
inline constexpr std::string_view kServiceAccountUidClaim = "kubernetes.io/serviceaccount/service-account.uid";

struct LegacyClaims {
  std::string issuer;
  std::string subject;
  std::string ns;
  std::string secret_name;
  std::string service_account_name;
  std::string service_account_uid;

  friend bool operator==(const LegacyClaims&, const LegacyClaims&) = default;
};

// iss kubernetes/serviceaccount, sub system:serviceaccount:<ns>:<sa>, and
// the four private claims.
LegacyClaims make_legacy_claims(std::string_view ns, std::string_view sa_name, std::string_view sa_uid,
                                std::string_view secret_name);

// The JWT payload: the six claims, all strings.
nlohmann::json to_json(const LegacyClaims& claims);

// Reads the claims of a verified payload the way go-jose unmarshals them
// into jwt.Claims and the legacy private claims: a missing or null claim is
// "", a claim of the wrong JSON type is an error (so are ill-typed aud, exp,
// nbf, iat and jti, which go-jose decodes too). Keys match exactly (go-jose's
// JSON decoder is case-sensitive). `audiences` receives aud (a string or an
// array of strings) when it is non-null.
sim::Result<LegacyClaims> legacy_claims_from_json(const nlohmann::json& payload, std::vector<std::string>* audiences = nullptr);

}  // namespace sasim::model::auth
