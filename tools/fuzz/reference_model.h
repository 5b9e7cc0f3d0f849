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
//   imagePullSecrets keeps them.
// Each disagreement comes with a scenario condition that fails on it, so
// that a counterexample can show it as an ordinary `check` step.
#pragma once

#include <string>
#include <vector>

#include "model/objects/object.h"
#include "scenarios/scenario.h"
#include "tools/fuzz/fuzz_case.h"

namespace sasim::tools::fuzz {

struct Disagreement {
  std::string message{};
  std::string object{};     // "secret/ns/name", as violations name objects
  std::string namespace_{};  // for the condition's step
  scenarios::Condition condition{};
};

// `accepted[i]`: whether step i of to_scenario(fuzz_case) succeeded
// (missing entries: the step did not run). `end_state`: every object in the
// store after the final settle.
std::vector<Disagreement> compare_with_reference(const FuzzCase& fuzz_case, const std::vector<bool>& accepted,
                                                 const std::vector<model::ObjectPtr>& end_state);

}  // namespace sasim::tools::fuzz
