// A small reference model of Kubernetes 1.20's end state after a settle,
// computed from the user's operations and which of them the apiserver
// accepted, and compared with the store:
// - namespaces: the cluster's and the world's, plus created, minus deleted
//   (a deleted namespace is gone after the settle, with everything in it);
// - ServiceAccounts: `default` in every namespace, plus the user's accounts
//   whose last accepted operation was not a delete;
// - Secrets: the user's Opaque Secrets likewise; a user's token Secret
//   survives when the account it names existed, as the same incarnation,
//   from when the Secret was written to the end, and is deleted when it
//   names a uid no account has, or an account that never existed while it
//   did (other histories race with the tokens controller: not judged);
//   a uid-less token Secret written after its account was deleted and
//   recreated races the old incarnation's cleanup (T2 deletes the old
//   uid's tokens and the uid-less ones; T6 binds the Secret to the new
//   uid), so it may be gone, but if it survived it is bound to the live
//   account; every other Secret must be a token of a live account (same uid);
// - pods: the user's, likewise, and a pod that brought its own
//   imagePullSecrets keeps them; where the release mounts the projected
//   kube-api-access volume (1.21+), no pod has a Secret volume but the
//   user's own (`creds`).
// Each disagreement comes with a scenario condition that fails on it, so
// that a counterexample can show it as an ordinary `check` step.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/object.h"
#include "model/objects/token_request.h"
#include "scenarios/scenario.h"
#include "tools/fuzz/fuzz_case.h"

namespace sasim::tools::fuzz {

struct Disagreement {
  std::string message{};
  std::string object{};     // "secret/ns/name", as violations name objects
  std::string namespace_{};  // for the condition's step
  scenarios::Condition condition{};
  // A disagreement about a step's answer (a TokenRequest's) is shown by
  // that step expecting what the release answers: its index in
  // to_scenario(case) and the expectation, instead of a `check` condition.
  std::optional<std::size_t> step{};
  std::optional<scenarios::Expect> expect{};
};

// One TokenRequest the case sent, in order, with the answer.
struct TokenRequestExchange {
  std::shared_ptr<const model::TokenRequest> request{};   // as sent
  std::shared_ptr<const model::TokenRequest> response{};  // null: refused
  int code = 0;                                           // the refusal's HTTP code
};

// `accepted[i]`: whether step i of to_scenario(fuzz_case) succeeded
// (missing entries: the step did not run). `end_state`: every object in the
// store after the final settle.
std::vector<Disagreement> compare_with_reference(const FuzzCase& fuzz_case, const std::vector<bool>& accepted,
                                                 const std::vector<model::ObjectPtr>& end_state);

// The release's TokenRequest answers (the rules of B7, B8 and B10, read
// from the version table): an expirationSeconds under 600 is refused (422)
// and any other accepted; an accepted token's status.expirationTimestamp is
// its iat plus the requested lifetime, capped by maxTokenExpiration; its
// exp is that too, except for a pod-bound request of exactly 3607 s with
// extendTokenExpiration (from 1.24 only for the apiserver's own
// audiences), which lives for the extension (a year). `exchanges[k]` is the
// answer to the case's k-th kTokenRequest op; `epoch_unix_seconds` the
// cluster's wall clock at time 0.
std::vector<Disagreement> compare_token_requests(const FuzzCase& fuzz_case,
                                                 const std::vector<TokenRequestExchange>& exchanges,
                                                 std::int64_t epoch_unix_seconds);

}  // namespace sasim::tools::fuzz
