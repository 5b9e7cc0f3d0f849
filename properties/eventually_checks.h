// The eventually-invariants, evaluated on the apiserver's store as it is
// now. They are meant for a quiescent control plane (settle, end of run);
// called mid-flight they report what the controllers have not done yet.
// Each looks at `scope` only: one namespace, or (null) the whole store;
// or at a ScopeView, whose listings the checker shares between the
// invariants judging one namespace (scope.h).
#pragma once

#include "model/cluster/cluster.h"
#include "properties/scope.h"
#include "properties/token_oracle.h"
#include "properties/violation.h"

namespace sasim::properties {

// Each Active namespace (no deletion timestamp) has a ServiceAccount
// `default`. One check per Active namespace.
CheckOutcome check_namespaces_have_default_serviceaccount(const model::Store& store, sim::Time now,
                                                          NamespaceScope scope = nullptr);
CheckOutcome check_namespaces_have_default_serviceaccount(const ScopeView& view, sim::Time now);

// Each ServiceAccount references (in `secrets`, by name in its own
// namespace) at least one Secret that is its token by upstream's
// IsServiceAccountToken and whose `token` authenticates as exactly that
// account (username and uid), as the token oracle judges it against
// storage (tokens it does not judge are put to the apiserver's
// authenticator, and the outcome is marked reads_beyond_store). A Secret
// of another type holding a copy of a valid JWT does not count: neither
// admission nor the tokens controller would treat it as the account's token.
// Accounts in a namespace that is not Active are skipped: the apiserver
// refuses to create their token there, and the namespace controller is
// removing them. Only versions that auto-generate tokens promise this
// (tokens_controller.auto_generate); otherwise nothing is checked.
// A legacy token nobody has read is judged without signing it
// (TokenOracle::verify(DataValue)).
CheckOutcome check_serviceaccounts_have_valid_token(model::Cluster& cluster, const TokenOracle& oracle, sim::Time now,
                                                    NamespaceScope scope = nullptr);
CheckOutcome check_serviceaccounts_have_valid_token(model::Cluster& cluster, const TokenOracle& oracle,
                                                    const ScopeView& view, sim::Time now);

// Every service-account-token Secret has a non-empty name annotation naming
// a stored ServiceAccount of its namespace, and a uid annotation that is
// empty (any incarnation, as IsServiceAccountToken) or that account's UID.
CheckOutcome check_token_secrets_belong_to_live_serviceaccounts(const model::Store& store, sim::Time now,
                                                                NamespaceScope scope = nullptr);
CheckOutcome check_token_secrets_belong_to_live_serviceaccounts(const ScopeView& view, sim::Time now);

// Every service-account-token Secret has non-empty `token` and `namespace`
// and, when `root_ca` is non-empty (the CA the tokens controller writes),
// a non-empty `ca.crt`. Presence only: a different CA is not "unpopulated".
CheckOutcome check_token_secrets_are_populated(const model::Store& store, const std::string& root_ca, sim::Time now,
                                               NamespaceScope scope = nullptr);
CheckOutcome check_token_secrets_are_populated(const ScopeView& view, const std::string& root_ca, sim::Time now);

}  // namespace sasim::properties
