// LinkFaults: the standard LinkPolicy, holding the network faults in force.
//
// Faults attach to an actor and affect every message it sends or receives:
//   isolate  - a partition: all its messages are dropped;
//   slow     - every message takes extra time, drawn from a distribution;
//   lossy    - each message is dropped with a probability.
// Faults are keyed by actor id in ordered maps, and random draws come from
// the policy's own Prng (Simulator::fork_prng), so runs stay deterministic.
#pragma once

#include <map>

#include "sim/distribution.h"
#include "sim/link_policy.h"
#include "sim/prng.h"
#include "sim/ratio.h"

namespace sasim::sim {

class LinkFaults final : public LinkPolicy {
 public:
  explicit LinkFaults(Prng prng) : prng_(prng) {}

  void isolate(ActorId actor) { isolated_[actor] = true; }
  void slow(ActorId actor, DurationDistribution extra) { slow_.insert_or_assign(actor, extra); }
  void lossy(ActorId actor, Ratio drop) { lossy_[actor] = drop; }

  // Ends every fault on one actor, or on all of them.
  void heal(ActorId actor);
  void heal_all();

  bool isolated(ActorId actor) const { return isolated_.contains(actor); }

  LinkVerdict on_send(const SendInfo& send) override;

 private:
  Prng prng_;
  std::map<ActorId, bool> isolated_;
  std::map<ActorId, DurationDistribution> slow_;
  std::map<ActorId, Ratio> lossy_;
};

}  // namespace sasim::sim
