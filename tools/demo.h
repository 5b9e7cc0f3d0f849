// The engine demonstration: the gossip workload run, traced and replayed.
//
// Until the scenario runner exists, this is sasim's main job: it shows what
// the engine does (messages, timers, crashes, lossy links) and proves the
// determinism promise on the spot by running the same seed twice.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/testing/gossip.h"
#include "sim/time.h"

namespace sasim::tools {

struct DemoOptions {
  std::uint64_t seed = 1;
  sim::testing::GossipOptions gossip;
  std::size_t trace_lines = 30;  // 0: the whole trace
};

struct DemoRun {
  std::string digest_hex;
  std::uint64_t events = 0;
  sim::Time end;
  sim::testing::GossipStats stats;
  std::map<std::string, std::uint64_t> entries_by_kind;  // ordered for stable output
  std::size_t trace_entries = 0;
  std::string trace_text;  // rendered, cut to trace_lines
  double wall_seconds = 0;
};

DemoRun run_demo(const DemoOptions& options, bool record_trace);

// The whole report: description, trace excerpt, summary, replay verdict.
// Returns false (and says so in the text) if the replay diverged.
bool render_demo(const DemoOptions& options, const DemoRun& first, const DemoRun& replay, std::string& out);

}  // namespace sasim::tools
