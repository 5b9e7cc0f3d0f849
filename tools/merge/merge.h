// `sasim merge --out DIR SHARD_DIR...`: joins the outputs of the N shards of
// one campaign (`sasim fuzz --shard I/N --out SHARD_DIR`, or `sasim report
// --shard I/N --out SHARD_DIR`) into exactly the files one machine writes
// for the whole campaign, and prints what that machine would have printed.
//
// Only the wall-clock figures cannot be the same: a merged fuzz campaign
// reports the shards' wall seconds added up (the time one core would have
// taken) and a merged report the longest shard's (the shards ran side by
// side) with the jobs of all shards. Everything else is byte for byte.
//
// The shards must be the same campaign (the same flags, scenario and seeds,
// written by the same build of sasim) and must cover 0..N-1 once each;
// anything else, or a file that is not a shard's, is refused before
// anything is written.
#pragma once

#include <string>
#include <vector>

#include "sim/result.h"

namespace sasim::tools {

struct MergeOptions {
  std::string out_dir{};
  std::vector<std::string> shard_dirs{};
  // --junit FILE (fuzz only): the JUnit XML `sasim fuzz --junit` writes for
  // the whole campaign (without failure-database replays, which are each
  // machine's own).
  std::string junit_file{};
  // This build's "0.1.0 (commit ...)": a report is merged by replaying its
  // slowest seeds, which only the build that measured them replays the same.
  std::string sasim{};
};

struct MergeOutcome {
  std::string printed{};  // what the campaign prints at its end (stdout)
  int exit_code = 0;      // the campaign's: 0 passed, 1 failed, 3 internal error
};

// An error (the caller prints it and exits 2) when the shards do not make
// one campaign or the output cannot be written.
sim::Result<MergeOutcome> merge_shards(const MergeOptions& options);

}  // namespace sasim::tools
