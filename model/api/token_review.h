// TokenReview (authentication.k8s.io/v1): a bearer token presented to the
// apiserver's authenticator, and what it answered. A pod's process that
// calls the API with its mounted token is modelled as one such review.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/actor.h"

namespace sasim::model {

inline constexpr std::uint64_t kTagTokenReview = 0x4150'4910;        // client -> apiserver
inline constexpr std::uint64_t kTagTokenReviewResult = 0x4150'4911;  // apiserver -> client

struct TokenReview final : sim::Payload {
  std::uint64_t id = 0;
  std::string token;
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;  // "TokenReview"
};

struct TokenReviewResult final : sim::Payload {
  std::uint64_t id = 0;
  bool authenticated = false;
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  // Why it was rejected, as the scenario format reports it: the validator's
  // upstream message, or "invalid bearer token" when no authenticator
  // handled the token.
  std::string error;
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;  // "TokenReview authenticated" or "TokenReview rejected"
};

}  // namespace sasim::model
