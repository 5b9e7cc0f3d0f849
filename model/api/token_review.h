// TokenReview (authentication.k8s.io/v1): a bearer token presented to the
// apiserver's authenticator, and what it answered. A pod's process that
// calls the API with its mounted token is modelled as one such review.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/actor.h"

namespace sasim::model {

inline constexpr std::uint64_t kTagTokenReview = 0x4150'4910;        // client -> apiserver
inline constexpr std::uint64_t kTagTokenReviewResult = 0x4150'4911;  // apiserver -> client

struct TokenReview final : sim::Payload {
  std::uint64_t id = 0;
  std::string token;
  // spec.audiences; empty: the apiserver's own (--api-audiences).
  std::vector<std::string> audiences;
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;  // "TokenReview"
};

struct TokenReviewResult final : sim::Payload {
  std::uint64_t id = 0;
  bool authenticated = false;
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  // user.extra: a pod-bound token's pod name and uid.
  std::map<std::string, std::vector<std::string>> extra;
  // Audit annotations the authentication added (authentication.k8s.io/stale-token).
  std::map<std::string, std::string> audit_annotations;
  // Warning headers the client got (an auto-generated legacy token, 1.26+).
  std::vector<std::string> warnings;
  // Why it was rejected, as the scenario format reports it: the validator's
  // upstream message, or "invalid bearer token" when no authenticator
  // handled the token.
  std::string error;
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;  // "TokenReview authenticated" or "TokenReview rejected"
};

}  // namespace sasim::model
