// TokenReview (authentication.k8s.io/v1): a bearer token presented to the
// apiserver's authenticator, and what it answered. A pod's process that
// calls the API with its mounted token is modelled as one such review.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/data_value.h"
#include "sim/actor.h"
#include "sim/distribution.h"
#include "sim/time.h"

namespace sasim::model {

inline constexpr std::uint64_t kTagTokenReview = 0x4150'4910;        // client -> apiserver
inline constexpr std::uint64_t kTagTokenReviewResult = 0x4150'4911;  // apiserver -> client

struct TokenReview final : sim::Payload {
  std::uint64_t id = 0;
  // The bearer token. A pod's process presents what its token file holds,
  // which may be a bound token nobody has read yet (a lazy value): the
  // authenticator and the invariants judge such a token by its claims and
  // its signing key, without signing it (model/auth/authenticator.h).
  // Traces show its length and tail, which signs it.
  DataValue token;
  // spec.audiences; empty: the apiserver's own (--api-audiences).
  std::vector<std::string> audiences;
  // A workload's recurring presentation (the kubelet's pod processes): its
  // messages and the apiserver's work on it are periodic work, like a
  // resync, so they never hold a `settle`, and the apiserver's latency for
  // it is drawn from `draw_key` (review_latency) instead of the apiserver's
  // own stream, so that how many presentations ran never shifts anyone
  // else's draws. 0: an ordinary review.
  std::uint64_t draw_key = 0;
  // With a draw key: the latency's bound (0: none). The kubelet bounds it
  // below half its presentation period and request timeout, so that every
  // presentation is answered before the next tick, never times out on a
  // slow draw, and a run of presentations can be accounted for in one step.
  sim::Duration latency_cap{};
  // With a draw key: when the workload sent it, if earlier than its arrival
  // (a presentation an idle run had accounted for up to its tick and that
  // was still on its way when the run closed; kubelet.h): the apiserver
  // answers at sent_at + its latency, as it would have.
  std::optional<sim::Time> sent_at{};
  std::string describe() const override;
  sim::TraceLabel trace_label() const override;  // "TokenReview"
};

// The apiserver's latency for a presentation with this draw key: a
// counter-based draw (the key names the presentation: seed, pod, tick), so
// it is known without simulating the presentations before it.
// `cap` bounds it (0: no bound).
sim::Duration review_latency(const sim::DurationDistribution& latency, std::uint64_t draw_key, sim::Duration cap);

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
