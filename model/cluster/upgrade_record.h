// What an in-place upgrade changed (Cluster::upgrade), as a typed record
// for whoever judges or measures by the release in force: invariants whose
// rules follow a release (a cleaner that did not run before, the
// authenticator's messages) and the span collector.
#pragma once

#include <string>
#include <vector>

#include "model/versions/kube_version.h"
#include "model/versions/version_skew.h"
#include "sim/time.h"

namespace sasim::model {

struct UpgradeRecord {
  versions::Component component{};
  versions::KubeVersion from{};
  versions::KubeVersion to{};
  // When the component came back at `to` (its actors restarted, the ones
  // the new release adds started).
  sim::Time serving{};
  // The actors the component runs now, and those of them the old release
  // did not run (the legacy-token cleaner from 1.28 or 1.29, say).
  std::vector<std::string> running{};
  std::vector<std::string> started{};
};

class UpgradeObserver {
 public:
  virtual ~UpgradeObserver() = default;
  // Called once the component serves at its new release, before anything
  // else happens at that instant; Cluster::release() already says `to`.
  virtual void on_upgrade(const UpgradeRecord& record) = 0;
};

}  // namespace sasim::model
