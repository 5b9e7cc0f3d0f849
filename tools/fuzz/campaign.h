// `sasim fuzz`: a campaign of generated cases (generator.h), each run with
// every invariant on a fresh cluster and judged by the invariants (known
// upstream weaknesses excepted), the final settle, and the reference model
// of the end state (reference_model.h). Step outcomes are not judged: a
// generated request that the apiserver rejects is part of the case.
//
// Case i is drawn from case_seed(seed, i) alone and belongs to shard
// i mod N, so shards are disjoint and together are the whole campaign. The
// first failure stops the campaign; it is shrunk (deterministically: the
// same failure gives the same counterexample) and written as an ordinary
// scenario that `sasim run` replays to the same failure.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/auth/signing_key.h"
#include "properties/token_oracle.h"
#include "reports/run_record.h"
#include "tools/fuzz/fuzz_case.h"
#include "tools/fuzz/generator.h"
#include "tools/fuzz/failure_cause.h"
#include "tools/fuzz/reference_model.h"
#include "tools/runner/wall_limit.h"

namespace sasim::tools::fuzz {

// How one case went.
struct CaseOutcome {
  bool failed = false;
  // --max-wall stopped the run: neither a pass nor a failure.
  bool stopped = false;
  // What failed: an invariant's name, "reference-model", "settle", or
  // "scenario-error" (the generator produced a scenario the runner refused).
  std::string kind{};
  std::string message{};  // the first violation or disagreement
  std::string object{};   // the first object it names ("secret/ns/name"), if any
  reports::RunRecord record{};
  std::vector<Disagreement> disagreements{};  // those not excused by a known weakness
  FailureCause cause() const { return FailureCause{kind, object, message}; }
};

// What every case of a campaign shares: the broken variants switched on,
// and the signing key, loaded once (loading costs more than a small run).
struct CaseSettings {
  std::vector<std::string> broken{};
  std::shared_ptr<const model::auth::SigningKey> key{};
  std::shared_ptr<const properties::VerifyingKey> verifying_key{};  // its public half, for the invariants
  const WallLimit* wall_limit = nullptr;  // --max-wall (not owned)
};
CaseSettings case_settings(const std::vector<std::string>& broken);

CaseOutcome run_case(const FuzzCase& fuzz_case, const CaseSettings& settings);

// Shrinking is deterministic as long as it stops on max_runs; the wall-time
// cap is a safety net for huge cases.
struct ShrinkLimits {
  int max_runs = 400;             // case runs spent shrinking
  double max_wall_seconds = 60;   // wall time spent shrinking
};

// Simplifies a failing case while it still fails for the same cause
// (failure_cause.h: the same invariant, object and message):
// removes steps (in halves, then quarters, ... then one by one), world
// objects and fault steps, drops waits, feature gates (all, then one at a
// time; only ever to a case whose gates every release it reaches accepts),
// and simplifies objects. Returns the
// smallest case found and its outcome; `runs` counts the attempts.
struct Shrunk {
  FuzzCase fuzz_case{};
  CaseOutcome outcome{};
  int runs = 0;
};
Shrunk shrink(const FuzzCase& failing, const CaseOutcome& outcome, const CaseSettings& settings,
              const ShrinkLimits& limits);

// The counterexample as a scenario: the shrunk case, with each API step
// expecting what the apiserver answered in the failing run (so that only
// the failure itself fails on replay) and, for a reference-model failure, a
// settle and a `check` per disagreement at the end.
scenarios::Scenario counterexample_scenario(const Shrunk& shrunk, const std::string& name);

struct CampaignOptions {
  std::uint64_t seed = 1;
  std::optional<std::uint64_t> cases{};     // --cases
  std::optional<double> wall_seconds{};     // --time; with neither, 1000 cases
  std::uint64_t shard_index = 0;            // --shard I/N
  std::uint64_t shard_count = 1;
  GeneratorOptions generator{};
  std::vector<std::string> broken{};        // --broken
  std::string out_dir = ".";                // --out
  ShrinkLimits shrink{};
  // Progress lines: nullptr for none. On a terminal the line is redrawn
  // in place; otherwise a line every few seconds.
  std::FILE* progress = nullptr;
  bool progress_is_tty = false;
  // --max-wall: a hard bound on the whole campaign, shrinking and replays
  // included (not owned; nullptr: none). Unlike --time, which ends a
  // campaign that then counts as complete, reaching it stops the campaign
  // unfinished (CampaignResult::stopped).
  const WallLimit* wall_limit = nullptr;
};

struct CampaignResult {
  std::uint64_t cases = 0;     // cases run (this shard)
  std::uint64_t failures = 0;  // 0 or 1: the campaign stops at the first
  double wall_seconds = 0;     // running cases, without shrinking
  double cases_per_second = 0;
  // Rule coverage: every case's probe hits added up (the cases run, not
  // the shrinker's), indexed by probe (tools/runner/coverage_report.h).
  std::vector<std::uint64_t> coverage{};
  // Set on failure.
  std::optional<std::uint64_t> failing_index{};
  std::string failure_kind{};
  std::string failure_message{};
  std::string failure_object{};
  std::size_t original_steps = 0;
  std::size_t shrunk_steps = 0;
  int shrink_runs = 0;
  std::string counterexample_path{};
  std::string replay_command{};
  bool replay_confirmed = false;  // the written file, parsed and run, fails for the same cause
  // With --broken: the written file run on the correct build fails for
  // the same cause too (a harness bug: the variant is not the cause).
  bool fails_on_correct_build = false;
  // The counterexample could not be written, does not replay to the same
  // cause, or fails on the correct build: it is not reported as one.
  std::string error{};
  // --max-wall stopped the campaign before its cases were run (or while a
  // failure was being shrunk and replayed): the message says so.
  std::string stopped{};
};

// The indexes a shard runs, in order, from `first` (for tests).
bool in_shard(std::uint64_t index, std::uint64_t shard_index, std::uint64_t shard_count);

CampaignResult run_campaign(const CampaignOptions& options);

// One line: how to run this campaign as shards on several machines and
// merge them (or, for a shard, how to merge it with the others).
std::string across_machines(const CampaignOptions& options);

// The summary block printed at the end of every campaign: rule coverage
// when it found nothing, the failure and its counterexample when it did.
std::string render_summary(const CampaignOptions& options, const CampaignResult& result);
// The same as one JSON document (sasim fuzz --json): the figures, the
// failure if any, and "coverage", every probe's hit count (zeros too), so
// that shards' documents merge by adding counts of equal keys.
nlohmann::json summary_json(const CampaignOptions& options, const CampaignResult& result);

}  // namespace sasim::tools::fuzz
