// Coverage: how often the simulated processes took each marked path, as
// FoundationDB's code probes (TEST() macros) count them.
//
// The engine knows nothing of what a path means: a probe is a small integer
// that the layer above assigns (model/coverage/probes.h names Kubernetes'
// rules). One Coverage belongs to one Simulator (no global state); actors
// reach it through their Context, as they reach the trace. Unlike the trace
// it never enters the digest and schedules nothing: counting a path cannot
// change what the run does, only what a report can say about it.
//
// Counts are plain per-probe integers so that several runs (the cases of a
// campaign, the shards of a campaign) add up by addition.
#pragma once

#include <cstdint>
#include <vector>

namespace sasim::sim {

class Coverage {
 public:
  // One more pass through `probe`. Grows the table on a probe's first hit,
  // so an engine that nobody marks costs nothing.
  void hit(std::uint32_t probe) {
    if (probe >= counts_.size()) counts_.resize(probe + 1, 0);
    ++counts_[probe];
  }
  // The count of `probe` (0 if never hit).
  std::uint64_t count(std::uint32_t probe) const { return probe < counts_.size() ? counts_[probe] : 0; }
  // Counts indexed by probe; shorter than the probe table when the last
  // probes were never hit.
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  // Adds another run's counts to these.
  void add(const std::vector<std::uint64_t>& other) {
    if (other.size() > counts_.size()) counts_.resize(other.size(), 0);
    for (std::size_t i = 0; i < other.size(); ++i) counts_[i] += other[i];
  }

 private:
  std::vector<std::uint64_t> counts_;
};

}  // namespace sasim::sim
