// LinkPolicy: the fault hook on every message the simulator carries.
//
// The simulator asks the policy about each send, before scheduling delivery;
// the policy may drop the message or make it slower. Network faults
// (partitions, slow links, loss) are policies; link_faults.h has the standard
// one. A policy sees the message's tag and payload too, so that faults aimed
// at some requests only (one verb, one resource) can be policies as well. It
// must decide from the SendInfo, its own state and its own Prng only, so that
// runs stay deterministic.
#pragma once

#include <cstdint>

#include "sim/ids.h"
#include "sim/time.h"

namespace sasim::sim {

class Payload;

struct SendInfo {
  ActorId from;  // ActorId::none() when the harness sends
  ActorId to;
  std::uint64_t tag = 0;
  const Payload* payload = nullptr;  // may be null; valid only during on_send
  Time now;
};

struct LinkVerdict {
  bool deliver = true;
  Duration extra_delay{};  // added to the sender's delay

  static LinkVerdict drop() { return LinkVerdict{false, Duration::zero()}; }
};

class LinkPolicy {
 public:
  virtual ~LinkPolicy() = default;
  virtual LinkVerdict on_send(const SendInfo& send) = 0;
};

}  // namespace sasim::sim
