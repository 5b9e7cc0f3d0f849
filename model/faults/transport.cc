#include "model/faults/transport.h"

#include "model/api/request.h"
#include "model/api/token_review.h"

namespace sasim::model::faults {

Transport::Id Transport::partition(sim::ActorId client) {
  const Id id = next_id_++;
  faults_.emplace(id, Fault{.client = client, .partition = true});
  return id;
}

Transport::Id Transport::delay(sim::ActorId client, sim::DurationDistribution extra) {
  const Id id = next_id_++;
  faults_.emplace(id, Fault{.client = client, .extra = std::move(extra)});
  return id;
}

bool Transport::remove(Id id) { return faults_.erase(id) != 0; }

bool Transport::partitioned(sim::ActorId client) const {
  for (const auto& [id, fault] : faults_) {
    if (fault.partition && strikes(fault, client)) return true;
  }
  return false;
}

sim::LinkVerdict Transport::on_send(const sim::SendInfo& send) {
  sim::LinkVerdict verdict;
  if (faults_.empty()) return verdict;
  // A token review is a request like any other: a pod's process calls the
  // apiserver over the same network as its node's kubelet.
  const bool request = send.to == apiserver_ && (send.tag == kTagApiRequest || send.tag == kTagTokenReview);
  const bool answer = send.from == apiserver_ && (send.tag == kTagApiResponse || send.tag == kTagWatchEvent ||
                                                  send.tag == kTagTokenReviewResult);
  if (!request && !answer) return verdict;
  const sim::ActorId client = request ? send.from : send.to;
  if (partitioned(client)) return sim::LinkVerdict::drop();
  if (!request) return verdict;
  // Faults in the order they started: a fixed order of draws.
  for (const auto& [id, fault] : faults_) {
    if (!fault.partition && strikes(fault, client)) verdict.extra_delay += fault.extra.sample(prng_);
  }
  return verdict;
}

}  // namespace sasim::model::faults
