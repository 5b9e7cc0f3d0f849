// Gossip: a randomized, Kubernetes-free workload for exercising the engine.
//
// Peers wake on timers, send rumors to random peers over a lossy, slow
// network, and acknowledge what they hear; a fault schedule drawn from the
// seed crashes and restarts peers along the way. It touches every engine
// feature (messages, replies, timers, crashes, link faults, per-actor
// streams), so determinism tests, the demo and benchmarks share it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/distribution.h"
#include "sim/ratio.h"
#include "sim/simulator.h"

namespace sasim::sim::testing {

struct GossipOptions {
  int peers = 5;
  Duration think_time = Duration::milliseconds(100);  // mean time between a peer's rumors
  DurationDistribution latency =
      DurationDistribution::lognormal(Duration::milliseconds(2), Duration::milliseconds(20)).value();
  Duration horizon = Duration::seconds(10);  // peers stop starting rumors after this
  int crashes = 3;                           // drawn at random over the horizon
  Duration restart_after = Duration::milliseconds(500);
  Ratio loss{1, 20};  // applied on one random peer's link
};

struct GossipStats {
  std::uint64_t rumors_sent = 0;
  std::uint64_t rumors_heard = 0;
  std::uint64_t acks_heard = 0;
};

// Owns what the peers share and the link policy it installs: keep it alive
// while `sim` runs.
class Gossip {
 public:
  // Adds the peers to `sim` and schedules the faults; the caller runs `sim`.
  Gossip(Simulator& sim, const GossipOptions& options);
  ~Gossip();
  Gossip(const Gossip&) = delete;
  Gossip& operator=(const Gossip&) = delete;

  GossipStats stats() const;

 private:
  class Peer;
  class Network;
  Simulator& sim_;
  GossipOptions options_;
  std::vector<ActorId> ids_;
  std::unique_ptr<Network> network_;
  std::vector<const Peer*> peers_;
};

}  // namespace sasim::sim::testing
