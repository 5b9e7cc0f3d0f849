#include "sim/link_faults.h"

namespace sasim::sim {

void LinkFaults::heal(ActorId actor) {
  isolated_.erase(actor);
  slow_.erase(actor);
  lossy_.erase(actor);
}

void LinkFaults::heal_all() {
  isolated_.clear();
  slow_.clear();
  lossy_.clear();
}

LinkVerdict LinkFaults::on_send(const SendInfo& send) {
  if (isolated(send.from) || isolated(send.to)) return LinkVerdict::drop();
  LinkVerdict verdict;
  // Sender's side first, then the receiver's: a fixed order of draws.
  for (const ActorId end : {send.from, send.to}) {
    if (const auto it = lossy_.find(end); it != lossy_.end() && prng_.chance(it->second)) {
      return LinkVerdict::drop();
    }
    if (const auto it = slow_.find(end); it != slow_.end()) verdict.extra_delay += it->second.sample(prng_);
  }
  return verdict;
}

}  // namespace sasim::sim
