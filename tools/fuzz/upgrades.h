// Upgrades in generated timelines (`sasim fuzz --version A..B`): the range
// of releases a campaign covers, and the release each `upgrade` op of a
// case resolves to.
//
// An op names only which components it upgrades; its version follows from
// the timeline before it: the apiserver goes one minor up (never past the
// range's end) when the skew policy lets the listed components follow,
// and otherwise every listed component catches up with the apiserver (or
// restarts at its release). So every timeline, and every one the shrinker
// makes by dropping ops, is one the policy allows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/versions/version_skew.h"
#include "tools/fuzz/fuzz_case.h"

namespace sasim::tools::fuzz {

struct VersionRange {
  model::versions::KubeVersion first{};
  model::versions::KubeVersion last{};
  // Every simulated release from first to last.
  std::vector<std::string> versions() const;
};

// "1.24" or "1.20..1.25" (both simulated, in order); nullopt otherwise.
std::optional<VersionRange> parse_version_range(const std::string& text);

// What each op of `c` runs at: the components' releases before it, and for
// an upgrade op the version it upgrades its components to; `end` after the
// last op.
struct UpgradeTimeline {
  std::vector<model::versions::ComponentVersions> before;  // one per op
  std::vector<std::string> targets;                        // one per op: "" for other ops
  model::versions::ComponentVersions end{model::versions::KubeVersion{}};
};
UpgradeTimeline upgrade_timeline(const FuzzCase& c);

// Every release some component of `c` runs at some moment: from
// cluster.version to the newest the apiserver reaches (components are never
// newer than it, and move one minor at a time). Empty for an unknown version.
std::vector<model::versions::KubeVersion> releases_reached(const FuzzCase& c);

// Whether c.cluster.feature_gates resolve in each release of
// releases_reached(c): gates carry over an upgrade, and the upgraded
// binary refuses a gate its release no longer has or has locked to the
// other value (docs/scenarios.md, "Upgrades"). The generator draws only
// such gates, and the shrinker tries only such cases.
bool feature_gates_hold(const FuzzCase& c);

}  // namespace sasim::tools::fuzz
