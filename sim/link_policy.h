// LinkPolicy: the fault hook on every message the simulator carries.
//
// The simulator asks the policy about each send, before scheduling delivery;
// the policy may drop the message or make it slower. Network faults
// (partitions, slow links, loss) are policies; link_faults.h has the standard
// one. A policy must decide from its arguments, its own state and its own
// Prng only, so that runs stay deterministic.
#pragma once

#include "sim/ids.h"
#include "sim/time.h"

namespace sasim::sim {

struct LinkVerdict {
  bool deliver = true;
  Duration extra_delay{};  // added to the sender's delay

  static LinkVerdict drop() { return LinkVerdict{false, Duration::zero()}; }
};

class LinkPolicy {
 public:
  virtual ~LinkPolicy() = default;
  virtual LinkVerdict on_send(ActorId from, ActorId to, Time now) = 0;
};

}  // namespace sasim::sim
