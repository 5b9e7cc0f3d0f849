// The eventually-invariants about what the tokens controller leaves behind,
// judged on the store after a settle with the audit of who changed what
// (audit.h) and an independent token check (token_oracle.h), never by
// asking the controller's own code:
//
// - token-secrets-hold-correct-data: every token Secret of a live account
//   (its name annotation names an account of its namespace, its uid
//   annotation is empty or that account's uid) holds in `namespace` its
//   own namespace, unless the last value a user (anyone but the tokens
//   controller) wrote there is non-empty: then that value (T6 fills in
//   only an empty one, and keeps a custom value); in `ca.crt` the
//   cluster's root CA (T6 replaces any other); and, when the tokens
//   controller wrote `token`, a JWT the cluster's key signed with the
//   legacy claims of this Secret and account (T3.4, T6.6). Missing values
//   are token-secrets-are-populated's to report; a token a user wrote is
//   never replaced upstream and is not judged.
// - controller-references-resolve: every reference the tokens controller
//   added to a live account, still there, names an existing Secret.
// - one-generated-token-per-account: a live account has at most one token
//   Secret the tokens controller created for it (its uid), and references
//   it. An unreferenced one whose reference a user's write removed is
//   upstream's #113532 (classified as the known weakness
//   orphaned-by-user-update).
// Accounts and Secrets of namespaces that are not Active are skipped.
#pragma once

#include "model/cluster/cluster.h"
#include "properties/audit.h"
#include "properties/scope.h"
#include "properties/token_oracle.h"
#include "properties/violation.h"

namespace sasim::properties {

CheckOutcome check_token_secrets_hold_correct_data(const model::Store& store, const std::string& root_ca,
                                                   const Audit& audit, const TokenOracle& oracle, sim::Time now,
                                                   NamespaceScope scope = nullptr);
CheckOutcome check_token_secrets_hold_correct_data(const ScopeView& view, const std::string& root_ca,
                                                   const Audit& audit, const TokenOracle& oracle, sim::Time now);

CheckOutcome check_controller_references_resolve(const model::Store& store, const Audit& audit, sim::Time now,
                                                 NamespaceScope scope = nullptr);
CheckOutcome check_controller_references_resolve(const ScopeView& view, const Audit& audit, sim::Time now);

CheckOutcome check_one_generated_token_per_account(const model::Store& store, const Audit& audit, sim::Time now,
                                                   NamespaceScope scope = nullptr);
CheckOutcome check_one_generated_token_per_account(const ScopeView& view, const Audit& audit, sim::Time now);

}  // namespace sasim::properties
