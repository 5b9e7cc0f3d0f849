// TokenREST: POST /api/v1/namespaces/NS/serviceaccounts/NAME/token, as
// kube-apiserver answers it (supplement §2, rules B1-B10), in the order of
// steps of the release (Behaviour::token_request_order: B2 up to 1.23, B3
// from 1.24).
//
// A synchronous registry operation: the account, pod and Secret are read
// from storage (etcd), not from a cache. The token is signed by the
// apiserver's key (--service-account-signing-key-file) with the first
// --service-account-issuer, lazily (auth::BoundToken).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/api/status.h"
#include "model/apiserver/store.h"
#include "model/auth/signing_key.h"
#include "model/objects/token_request.h"
#include "model/versions/behaviour.h"
#include "sim/time.h"

namespace sasim::model {

// kube-apiserver's flags for TokenREST.
struct TokenIssuerConfig {
  // --service-account-issuer: the first one is written into tokens.
  std::vector<std::string> issuers{"https://kubernetes.default.svc.cluster.local"};
  // --api-audiences: the default audiences of a request and of the authenticator.
  std::vector<std::string> api_audiences{"https://kubernetes.default.svc.cluster.local"};
  // --service-account-max-token-expiration in seconds; 0: no cap.
  std::int64_t max_expiration_seconds = 0;
  // --service-account-extend-token-expiration.
  bool extend_expiration = true;
  // --service-account-signing-key-file. Null: TokenRequest is not served.
  std::shared_ptr<const auth::SigningKey> key;
  // Deliberately broken variants (model/cluster/broken_variants.h).
  struct Broken {
    // Every token lives the default hour: expirationSeconds, the cap (B7)
    // and the extension (B8) are ignored once the request is validated.
    bool ignore_expiration = false;
  } broken{};
};

struct TokenRequestOutcome {
  std::optional<ApiStatus> error;
  std::shared_ptr<const TokenRequest> response;  // when no error
  // Warning headers (1.24+: a capped expiration).
  std::vector<std::string> warnings;
  // Audit annotations (1.29+ with JTI: authentication.kubernetes.io/issued-credential-id).
  std::map<std::string, std::string> audit_annotations;
};

// What TokenREST needs of the moment: the wall clock, and the seed of the
// ES256 signature's nonce (go-jose draws a fresh one for every signing;
// auth::BoundToken signs lazily, so the seed is fixed here, when the token
// is made). RS256 ignores it.
struct TokenRequestContext {
  sim::Time now{};
  std::int64_t epoch_unix_seconds = 0;
  std::uint64_t nonce_seed = 0;
  // The token's jti (a random UUID the apiserver drew), used where
  // ServiceAccountTokenJTI is on.
  std::string jti{};
};

// `ns` and `name` come from the URL; `body` is the decoded request (its
// expirationSeconds already defaulted when absent).
TokenRequestOutcome create_token(const versions::Behaviour& behaviour, const TokenIssuerConfig& config,
                                 const Store& store, const std::string& ns, const std::string& name,
                                 const TokenRequest& body, const TokenRequestContext& context);

// "TokenRequest.authentication.k8s.io": the qualified kind of its errors.
inline constexpr std::string_view kTokenRequestQualifiedKind = "TokenRequest.authentication.k8s.io";

}  // namespace sasim::model
