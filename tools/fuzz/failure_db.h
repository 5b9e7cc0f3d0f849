// The fuzz failure database (`sasim fuzz --db DIR`, default .sasim-fuzz-db):
// every counterexample a campaign finds is kept there, and the next campaign
// replays the kept ones before it generates anything, as Hypothesis replays
// its example database. A CI job that caches the directory between runs
// re-checks yesterday's failure first, whatever today's seed; once a fix
// makes an entry pass, the entry is removed.
//
// An entry is the counterexample scenario, headed by one comment line that
// says what failed (the failure's cause: failure_cause.h) and with which
// broken variants:
//
//   # sasim-fuzz-db: kind=every-serviceaccount-has-valid-token broken=tokens-never-remove-references object=serviceaccount/ns-b/sa-2 message=serviceaccount/ns-b/sa-2 references no Secret
//
// An entry still fails when it fails for that cause; one without object
// or message (written by an older sasim) when it fails that kind at all.
// Only entries found with the same broken variants as the campaign's are
// replayed (a broken variant's failures say nothing about the faithful
// model). The file stays an ordinary scenario: `sasim run` replays it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/run_record.h"
#include "sim/result.h"
#include "tools/fuzz/failure_cause.h"

namespace sasim::tools::fuzz {

inline constexpr const char* kDefaultFailureDb = ".sasim-fuzz-db";

struct DbEntry {
  std::string path{};
  FailureCause cause{};               // what failed: an invariant, "reference-model", "settle"; object, message
  std::vector<std::string> broken{};  // the broken variants it was found with
};

// The entries of `dir` for these broken variants, in name order; none if
// the directory does not exist.
std::vector<DbEntry> db_entries(const std::string& dir, const std::vector<std::string>& broken);

struct Replay {
  DbEntry entry{};
  bool still_fails = false;
  std::string message{};  // what failed, or why the entry could not be run
  double wall_seconds = 0;
};

// Runs every entry; one that no longer fails the same way (or no longer
// parses or runs) is removed from the directory.
std::vector<Replay> replay_db(const std::string& dir, const std::vector<std::string>& broken);

// Keeps a counterexample file in the database; the entry's path, or why not.
sim::Result<std::string> save_to_db(const std::string& dir, const std::string& counterexample,
                                    const FailureCause& cause, const std::vector<std::string>& broken);

}  // namespace sasim::tools::fuzz
