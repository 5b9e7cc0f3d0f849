#include "model/auth/legacy_claims.h"

#include <utility>

#include "model/auth/identity.h"

namespace sasim::model::auth {
namespace {

sim::Error type_error(std::string_view key, std::string_view want) {
  return sim::Error{"json: cannot unmarshal claim \"" + std::string(key) + "\": not " + std::string(want)};
}

}  // namespace

LegacyClaims make_legacy_claims(std::string_view ns, std::string_view sa_name, std::string_view sa_uid,
                                std::string_view secret_name) {
  return LegacyClaims{std::string(kLegacyIssuer),   service_account_username(ns, sa_name), std::string(ns),
                      std::string(secret_name),     std::string(sa_name),                  std::string(sa_uid)};
}

nlohmann::json to_json(const LegacyClaims& claims) {
  nlohmann::json out = nlohmann::json::object();
  out["iss"] = claims.issuer;
  out["sub"] = claims.subject;
  out[std::string(kNamespaceClaim)] = claims.ns;
  out[std::string(kSecretNameClaim)] = claims.secret_name;
  out[std::string(kServiceAccountNameClaim)] = claims.service_account_name;
  out[std::string(kServiceAccountUidClaim)] = claims.service_account_uid;
  return out;
}

sim::Result<LegacyClaims> legacy_claims_from_json(const nlohmann::json& payload, std::vector<std::string>* audiences) {
  if (!payload.is_object()) return sim::unexpected(sim::Error{"json: cannot unmarshal the claims: not an object"});
  LegacyClaims claims;
  const std::pair<std::string_view, std::string*> strings[] = {
      {"iss", &claims.issuer},
      {"sub", &claims.subject},
      {"jti", nullptr},
      {kNamespaceClaim, &claims.ns},
      {kSecretNameClaim, &claims.secret_name},
      {kServiceAccountNameClaim, &claims.service_account_name},
      {kServiceAccountUidClaim, &claims.service_account_uid},
  };
  for (const auto& [key, target] : strings) {
    const auto it = payload.find(key);
    if (it == payload.end() || it->is_null()) continue;
    if (!it->is_string()) return sim::unexpected(type_error(key, "a string"));
    if (target != nullptr) *target = it->get<std::string>();
  }
  // go-jose's NumericDate parses any JSON number.
  for (std::string_view key : {"exp", "nbf", "iat"}) {
    const auto it = payload.find(key);
    if (it != payload.end() && !it->is_null() && !it->is_number()) return sim::unexpected(type_error(key, "a number"));
  }
  const auto aud = payload.find("aud");
  if (aud != payload.end() && !aud->is_null()) {
    std::vector<std::string> values;
    if (aud->is_string()) {
      values.push_back(aud->get<std::string>());
    } else if (aud->is_array()) {
      for (const auto& item : *aud) {
        if (!item.is_string()) return sim::unexpected(type_error("aud", "a string or an array of strings"));
        values.push_back(item.get<std::string>());
      }
    } else {
      return sim::unexpected(type_error("aud", "a string or an array of strings"));
    }
    if (audiences != nullptr) *audiences = std::move(values);
  }
  return claims;
}

}  // namespace sasim::model::auth
