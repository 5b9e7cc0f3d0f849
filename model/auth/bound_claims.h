// B9 / J5: the claims of a bound ServiceAccount token, as kube-apiserver's
// TokenRequest handler mints them (upstream serviceaccount.Claims) and as
// the bound-token authenticator reads them back.
//
// A bound token carries the public claims iss, sub, aud, exp, nbf, iat (and
// jti from 1.29 with ServiceAccountTokenJTI) and one private claim,
// `kubernetes.io`: {namespace, serviceaccount{name, uid}, pod{name, uid}?,
// secret{name, uid}?, node{name, uid}?, warnafter?}. go-jose merges the
// public and private claims into one map before serializing, so the payload's
// keys come out sorted (go_json_dump).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/result.h"

namespace sasim::model::auth {

// The lifetime admission asks for from 1.21 (60*60 + 7): a request of exactly
// this many seconds for a pod-bound token is what the apiserver extends (B8).
inline constexpr std::int64_t kWarnOnlyBoundTokenExpirationSeconds = 3607;
inline constexpr std::string_view kPrivateClaimsKey = "kubernetes.io";

// A reference in the private claims: {name, uid}, each omitted when empty.
struct ClaimRef {
  std::string name;
  std::string uid;
  friend bool operator==(const ClaimRef&, const ClaimRef&) = default;
};

struct BoundClaims {
  // Public claims. A NumericDate is whole seconds since the Unix epoch.
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;  // omitted when empty
  std::optional<std::int64_t> expiry;
  std::optional<std::int64_t> not_before;
  std::optional<std::int64_t> issued_at;
  std::string jti;  // omitted when empty
  // The private `kubernetes.io` claim.
  std::string ns;
  ClaimRef service_account;  // always written, even when empty
  std::optional<ClaimRef> pod;
  std::optional<ClaimRef> secret;
  std::optional<ClaimRef> node;
  std::int64_t warn_after = 0;  // omitted when 0
  friend bool operator==(const BoundClaims&, const BoundClaims&) = default;
};

// What the token is bound to, as the TokenRequest handler resolved it.
struct BoundObjects {
  std::optional<ClaimRef> pod;
  std::optional<ClaimRef> secret;
  std::optional<ClaimRef> node;
};

// The release-dependent parts of Claims().
struct ClaimsOptions {
  // CLM-30 (1.29+): a Secret together with a pod or node is an internal
  // error; before, a pod wins over a Secret (CLMT-28 case 0).
  bool reject_pod_and_secret = false;
  // ServiceAccountTokenJTI: a jti (the caller supplies it: upstream draws a
  // random UUID).
  bool jti = false;
};

// upstream Claims(sa, pod, secret, node, expirationSeconds, warnafter,
// audience): sub system:serviceaccount:NS:NAME, iat = nbf = now,
// exp = now + expiration_seconds, warnafter = now + warn_after_seconds when
// that is non-zero. The issuer is the caller's (the generator sets it).
// Errors use upstream's wording.
sim::Result<BoundClaims> make_bound_claims(std::string_view issuer, std::string_view ns, const ClaimRef& service_account,
                                           const BoundObjects& bound, std::int64_t expiration_seconds,
                                           std::int64_t warn_after_seconds, const std::vector<std::string>& audiences,
                                           std::int64_t now_unix_seconds, const ClaimsOptions& options,
                                           std::string_view jti = "");

// The JWT payload as go-jose writes it (keys sorted by go_json_dump).
nlohmann::json to_json(const BoundClaims& claims);

// Reads a verified payload as go-jose unmarshals jwt.Claims and the private
// claims: a missing or null claim stays unset; a claim of the wrong JSON type
// is an error; `aud` is a string or an array of strings; NumericDates are any
// JSON number, truncated to whole seconds.
sim::Result<BoundClaims> bound_claims_from_json(const nlohmann::json& payload);

}  // namespace sasim::model::auth
