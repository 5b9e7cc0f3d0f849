// authentication.k8s.io/v1 TokenRequest: what a client POSTs to
// serviceaccounts/NAME/token and what the apiserver answers. It is not
// stored, so it is not one of the Object kinds: requests and responses
// carry it beside them (ApiRequest::token_request).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/objects/codec.h"
#include "model/objects/data_value.h"
#include "model/objects/object_meta.h"
#include "sim/time.h"

namespace sasim::model {

// spec.boundObjectRef: the object the token is bound to.
struct BoundObjectReference {
  std::string kind;
  std::string api_version;
  std::string name;
  std::string uid;
  bool operator==(const BoundObjectReference&) const = default;
};

struct TokenRequest {
  // Only name and namespace are read; creationTimestamp is written (1.24+).
  ObjectMeta metadata;
  bool has_creation_timestamp = false;
  std::vector<std::string> audiences;
  // v1 defaulting sets 3600 when the field is absent; an explicit 0 stays 0
  // and fails validation.
  std::optional<std::int64_t> expiration_seconds;
  std::optional<BoundObjectReference> bound_object_ref;
  // status: the token (a JWT signed when first read) and when the client
  // should consider it expired.
  std::optional<DataValue> token;
  std::optional<sim::Time> expiration_timestamp;
};

// SetDefaults_TokenRequestSpec.
inline constexpr std::int64_t kDefaultTokenRequestExpirationSeconds = 3600;

// The TokenRequest as the API returns it and `kubectl ... -o yaml` shows it
// (apiVersion authentication.k8s.io/v1, kind TokenRequest). Reading the
// token signs it.
nlohmann::json encode_token_request(const TokenRequest& request, const EncodeOptions& options = {});

}  // namespace sasim::model
