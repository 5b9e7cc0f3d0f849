#include "model/auth/bound_claims.h"

#include <cmath>
#include <utility>

#include "model/auth/identity.h"

namespace sasim::model::auth {
namespace {

sim::Error type_error(std::string_view key, std::string_view want) {
  return sim::Error{"json: cannot unmarshal claim \"" + std::string(key) + "\": not " + std::string(want)};
}

nlohmann::json ref_json(const ClaimRef& ref) {
  nlohmann::json out = nlohmann::json::object();
  if (!ref.name.empty()) out["name"] = ref.name;
  if (!ref.uid.empty()) out["uid"] = ref.uid;
  return out;
}

// A string member of `object`, if present and not null.
sim::Result<std::string> string_member(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return sim::unexpected(type_error(key, "a string"));
  return it->get<std::string>();
}

// go-jose's NumericDate: any JSON number, as float64, then int64.
sim::Result<std::optional<std::int64_t>> date_member(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::int64_t>();
  if (it->is_number_integer()) return std::optional<std::int64_t>(it->get<std::int64_t>());
  if (!it->is_number()) return sim::unexpected(type_error(key, "a number"));
  const double value = it->get<double>();
  if (!std::isfinite(value) || std::fabs(value) > 9.2e18) return sim::unexpected(type_error(key, "a NumericDate"));
  return std::optional<std::int64_t>(static_cast<std::int64_t>(value));
}

sim::Result<std::optional<ClaimRef>> ref_member(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<ClaimRef>();
  if (!it->is_object()) return sim::unexpected(type_error(key, "an object"));
  auto name = string_member(*it, "name");
  if (!name) return sim::unexpected(name.error());
  auto uid = string_member(*it, "uid");
  if (!uid) return sim::unexpected(uid.error());
  return std::optional<ClaimRef>(ClaimRef{std::move(name).value(), std::move(uid).value()});
}

}  // namespace

sim::Result<BoundClaims> make_bound_claims(std::string_view issuer, std::string_view ns, const ClaimRef& service_account,
                                           const BoundObjects& bound, std::int64_t expiration_seconds,
                                           std::int64_t warn_after_seconds, const std::vector<std::string>& audiences,
                                           std::int64_t now_unix_seconds, const ClaimsOptions& options,
                                           std::string_view jti) {
  if (options.reject_pod_and_secret && bound.secret && (bound.pod || bound.node)) {
    return sim::unexpected(sim::Error{"internal error, token can only be bound to one object type"});
  }
  BoundClaims claims;
  claims.issuer = std::string(issuer);
  claims.subject = service_account_username(ns, service_account.name);
  claims.audiences = audiences;
  claims.issued_at = now_unix_seconds;
  claims.not_before = now_unix_seconds;
  claims.expiry = now_unix_seconds + expiration_seconds;
  if (options.jti) claims.jti = std::string(jti);
  claims.ns = std::string(ns);
  claims.service_account = service_account;
  if (bound.pod) {
    claims.pod = bound.pod;
    // A pod-bound token may name its node too (1.29+ ServiceAccountTokenPodNodeInfo).
    claims.node = bound.node;
  } else if (bound.secret) {
    claims.secret = bound.secret;
  } else if (bound.node) {
    claims.node = bound.node;
  }
  if (warn_after_seconds != 0) claims.warn_after = now_unix_seconds + warn_after_seconds;
  return claims;
}

nlohmann::json to_json(const BoundClaims& claims) {
  nlohmann::json out = nlohmann::json::object();
  if (!claims.issuer.empty()) out["iss"] = claims.issuer;
  if (!claims.subject.empty()) out["sub"] = claims.subject;
  if (!claims.audiences.empty()) out["aud"] = claims.audiences;
  if (claims.expiry) out["exp"] = *claims.expiry;
  if (claims.not_before) out["nbf"] = *claims.not_before;
  if (claims.issued_at) out["iat"] = *claims.issued_at;
  if (!claims.jti.empty()) out["jti"] = claims.jti;
  nlohmann::json k8s = nlohmann::json::object();
  if (!claims.ns.empty()) k8s["namespace"] = claims.ns;
  k8s["serviceaccount"] = ref_json(claims.service_account);
  if (claims.pod) k8s["pod"] = ref_json(*claims.pod);
  if (claims.secret) k8s["secret"] = ref_json(*claims.secret);
  if (claims.node) k8s["node"] = ref_json(*claims.node);
  if (claims.warn_after != 0) k8s["warnafter"] = claims.warn_after;
  out[std::string(kPrivateClaimsKey)] = std::move(k8s);
  return out;
}

sim::Result<BoundClaims> bound_claims_from_json(const nlohmann::json& payload) {
  if (!payload.is_object()) return sim::unexpected(sim::Error{"json: cannot unmarshal the claims: not an object"});
  BoundClaims claims;
  const std::pair<std::string_view, std::string*> strings[] = {
      {"iss", &claims.issuer}, {"sub", &claims.subject}, {"jti", &claims.jti}};
  for (const auto& [key, target] : strings) {
    auto value = string_member(payload, key);
    if (!value) return sim::unexpected(value.error());
    *target = std::move(value).value();
  }
  const std::pair<std::string_view, std::optional<std::int64_t>*> dates[] = {
      {"exp", &claims.expiry}, {"nbf", &claims.not_before}, {"iat", &claims.issued_at}};
  for (const auto& [key, target] : dates) {
    auto value = date_member(payload, key);
    if (!value) return sim::unexpected(value.error());
    *target = value.value();
  }
  const auto aud = payload.find("aud");
  if (aud != payload.end() && !aud->is_null()) {
    if (aud->is_string()) {
      claims.audiences.push_back(aud->get<std::string>());
    } else if (aud->is_array()) {
      for (const auto& item : *aud) {
        if (!item.is_string()) return sim::unexpected(type_error("aud", "a string or an array of strings"));
        claims.audiences.push_back(item.get<std::string>());
      }
    } else {
      return sim::unexpected(type_error("aud", "a string or an array of strings"));
    }
  }
  const auto k8s = payload.find(kPrivateClaimsKey);
  if (k8s == payload.end() || k8s->is_null()) return claims;
  if (!k8s->is_object()) return sim::unexpected(type_error(kPrivateClaimsKey, "an object"));
  auto ns = string_member(*k8s, "namespace");
  if (!ns) return sim::unexpected(ns.error());
  claims.ns = std::move(ns).value();
  auto sa = ref_member(*k8s, "serviceaccount");
  if (!sa) return sim::unexpected(sa.error());
  if (sa.value()) claims.service_account = *sa.value();
  const std::pair<std::string_view, std::optional<ClaimRef>*> refs[] = {
      {"pod", &claims.pod}, {"secret", &claims.secret}, {"node", &claims.node}};
  for (const auto& [key, target] : refs) {
    auto value = ref_member(*k8s, key);
    if (!value) return sim::unexpected(value.error());
    *target = std::move(value).value();
  }
  auto warn_after = date_member(*k8s, "warnafter");
  if (!warn_after) return sim::unexpected(warn_after.error());
  claims.warn_after = warn_after.value().value_or(0);
  return claims;
}

}  // namespace sasim::model::auth
