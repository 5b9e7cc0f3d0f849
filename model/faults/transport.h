// Transport: the network between the actors and the apiserver, where the
// scenario format's partitions and delays (§7) act. It is the simulator's
// LinkPolicy, so it sees every message on its way and decides its fate
// there, and no actor has to ask whether it is cut off.
//
//   partition  a partitioned client's requests to the apiserver are lost,
//              and so are the apiserver's answers and watch events to it;
//              `apiserver` partitions every client (the apiserver's own
//              watch of its storage included, as before).
//   delay      each request of the client takes `extra` longer on its way
//              to the apiserver, drawn per request; `apiserver` delays
//              every client.
// Token reviews count as requests: the kubelet's pods' processes present
// their tokens over their node's network, so a partitioned kubelet's
// reviews time out like its other requests.
//
// Messages of the API protocol only: a watch's close (which the client
// must see to re-list) and the harness's own commands pass untouched.
// Draws come from the transport's own stream, forked from the run's seed.
#pragma once

#include <cstdint>
#include <map>

#include "sim/distribution.h"
#include "sim/ids.h"
#include "sim/link_policy.h"
#include "sim/prng.h"

namespace sasim::model::faults {

class Transport final : public sim::LinkPolicy {
 public:
  using Id = std::uint64_t;

  Transport(sim::Prng prng, sim::ActorId apiserver) : prng_(prng), apiserver_(apiserver) {}

  // `client`: ActorId::none() strikes every client.
  Id partition(sim::ActorId client);
  Id delay(sim::ActorId client, sim::DurationDistribution extra);
  // Ends a fault; false if it is not (or no longer) active.
  bool remove(Id id);
  bool active(Id id) const { return faults_.count(id) != 0; }

  bool partitioned(sim::ActorId client) const;

  sim::LinkVerdict on_send(const sim::SendInfo& send) override;

 private:
  struct Fault {
    sim::ActorId client{};
    bool partition = false;
    sim::DurationDistribution extra{};  // delays
  };
  static bool strikes(const Fault& fault, sim::ActorId client) {
    return !fault.client.valid() || fault.client == client;
  }

  sim::Prng prng_;
  sim::ActorId apiserver_;
  Id next_id_ = 1;
  std::map<Id, Fault> faults_;
};

}  // namespace sasim::model::faults
