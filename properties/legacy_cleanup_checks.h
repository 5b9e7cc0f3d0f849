// The always-invariant cleaned-legacy-tokens-were-unused: the legacy-token
// cleaner labels (kubernetes.io/legacy-token-invalid-since) or deletes only
// auto-generated token Secrets that no pod mounts and that nobody used
// within the clean-up period.
//
// Judged from evidence the cleaner's code does not produce: the committed
// changes (who wrote the label, who deleted the Secret, with the Secret as
// it was just before), storage at that instant (the account's `secrets`,
// the pods of the namespace, the apiserver's tracking ConfigMap), every
// presentation of the Secret's token to the authenticator (its verified
// legacy claims name the Secret), and the last-used label as the apiserver
// or a user wrote it. The period and the cluster's epoch come from the
// cluster's configuration.
//
// Two tolerances keep a faithful cleaner, which acts on lagging caches,
// from being blamed for what it could not see yet: a pod counts as
// mounting the Secret once it has been stored for kMountSettled, and the
// account's `secrets` is read as storage held it at the commit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "model/apiserver/store.h"
#include "properties/token_oracle.h"
#include "properties/violation.h"

namespace sasim::properties {

struct LegacyCleanupRules {
  std::string cleaner_user = "legacy-token-cleaner";
  sim::Duration clean_up_period = sim::Duration::hours(8760);
  std::int64_t epoch_unix_seconds = 0;
};

class LegacyCleanupCheck {
 public:
  // A pod younger than this at the cleaner's write may not have reached its cache.
  static constexpr sim::Duration kMountSettled = sim::Duration::hours(1);

  explicit LegacyCleanupCheck(LegacyCleanupRules rules) : rules_(std::move(rules)) {}

  // A token presented to the authenticator: a legacy token the key verified
  // counts as a use of the Secret its claims name.
  void on_review(const model::DataValue& token, const TokenOracle& oracle, sim::Time now);
  // Judges the cleaner's label writes and deletions of Secrets.
  CheckOutcome on_commit(const model::StoreChange& change, const model::Store& store, sim::Time now) const;

 private:
  LegacyCleanupRules rules_;
  // (namespace, Secret name) -> its token's last presentation.
  std::map<std::pair<std::string, std::string>, sim::Time> last_presented_;
};

}  // namespace sasim::properties
