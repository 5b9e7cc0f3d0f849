// InvariantChecker: the invariants of §8, checked on a running Cluster.
//
//   model::Cluster& cluster = ...;
//   properties::InvariantChecker checker(cluster);   // or a selection of names
//   checker.attach();                                // before running
//   ... run ...
//   checker.check_eventually(simulator.now());       // at each settle and at the end
//   for (const InvariantResult& r : checker.results()) ...
//
// Always-invariants are checked as the apiserver acts, through its observer
// hooks: every commit (resource-versions-increase, uids-are-unique; the
// deletions deleted-tokens-do-not-authenticate must remember), every pod
// admission (the three admission invariants, against the account as
// storage held it), every token review (deleted-tokens-do-not-authenticate).
// Eventually-invariants are evaluated on the store when asked: by default
// incrementally (each namespace's outcome is kept, and only the namespaces
// a commit touched since the last evaluation are judged again, see
// scope.h), or, as a debugging aid, over the whole store every time
// (EvaluationMode::kFull). Both give the same results; a test compares them
// over the scenario library and a fuzz campaign.
//
// Every violation found is passed through classify_known
// (known_weaknesses.h) at the moment it is found.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/audit.h"
#include "properties/commit_checks.h"
#include "properties/deleted_tokens.h"
#include "properties/invariant.h"
#include "properties/legacy_cleanup_checks.h"
#include "properties/scope.h"
#include "properties/token_oracle.h"
#include "properties/violation.h"

namespace sasim::properties {

struct BoundLookup;

// What one invariant came to over a run.
struct InvariantResult {
  InvariantInfo info{};
  std::uint64_t checks = 0;           // evaluations (objects, commits, admissions, reviews looked at)
  std::uint64_t violation_count = 0;  // every violation found, stored or not
  std::uint64_t known_count = 0;      // of which explained by a known weakness
  std::vector<Violation> violations{};  // the first InvariantChecker::kMaxStoredViolations, in order found

  bool held() const { return violation_count == 0; }
  // Known violations pass unless strict (--strict).
  bool passed(bool strict) const { return strict ? violation_count == 0 : violation_count == known_count; }
};

// How eventually-invariants (at settle, and for `{invariant: NAME}`
// conditions) are evaluated.
enum class EvaluationMode {
  kIncremental,  // only the namespaces changed since the last evaluation
  kFull,         // the whole store every time (--check-invariants full)
};

// What an eventually-invariant comes to now, without the list: enough for
// a condition's answer.
struct EvaluationSummary {
  std::size_t violation_count = 0;
  std::optional<Violation> first{};
};

class InvariantChecker final : public model::ApiServerObserver, public model::UpgradeObserver {
 public:
  // A run that breaks an always-invariant at every event must not exhaust
  // memory with identical records; the count stays exact.
  static constexpr std::size_t kMaxStoredViolations = 1000;

  // All the invariants.
  explicit InvariantChecker(model::Cluster& cluster);
  // The named ones, reported in registry order. A name that is not in
  // all_invariants() is a programming error (the scenario parser rejects
  // it first). Construct before the run starts: the storage checks start
  // from the store's contents at this point.
  // `key`: the cluster's public key as the token oracle reads it, parsed
  // once by a caller that runs many clusters with one key (the fuzzer);
  // null: parsed from the cluster's signing key.
  InvariantChecker(model::Cluster& cluster, const std::vector<std::string>& names,
                   std::shared_ptr<const VerifyingKey> key = nullptr,
                   EvaluationMode mode = EvaluationMode::kIncremental);

  // The apiserver keeps a pointer: the checker must outlive its activity.
  InvariantChecker(const InvariantChecker&) = delete;
  InvariantChecker& operator=(const InvariantChecker&) = delete;

  // cluster.apiserver().add_observer(this) and cluster.add_upgrade_observer(this).
  void attach();
  // UpgradeObserver: the rules follow the release the components run now
  // (the oracle's bound-token rules; the cleaner's invariant from the
  // upgrade that starts a cleaner).
  void on_upgrade(const model::UpgradeRecord& record) override;

  // ApiServerObserver.
  void on_commit(const model::StoreChange& change, sim::Time now) override;
  void on_pod_admitted(const model::Pod& pod, const model::PodAdmission& admission, sim::Time now) override;
  void on_pod_rejected(const model::Pod& pod, const model::ApiStatus& status, const model::PodAdmission& admission,
                       sim::Time now) override;
  void on_token_review(const model::DataValue& token, const model::TokenReviewResult& result, sim::Time now,
                       const std::vector<std::string>& audiences = {}) override;
  // Judged once, as of the last of them (nothing they read changed in
  // between), and recorded `count` times, each violation at its review's time.
  void on_token_reviews_repeated(const model::DataValue& token, const model::TokenReviewResult& result,
                                 std::uint64_t count, const std::function<sim::Time(std::uint64_t)>& time_of) override;

  // Evaluates the selected eventually-invariants now and records what
  // breaks. Returns the number of violations found by this call.
  std::size_t check_eventually(sim::Time now);

  // For the `{invariant: NAME}` condition: an eventually-invariant's
  // violations if it were evaluated now (selected or not; nothing is
  // recorded); an always-invariant's violations recorded so far. nullopt
  // for an unknown name or an always-invariant that is not selected (it
  // was not being watched).
  std::optional<std::vector<Violation>> evaluate_now(std::string_view name, sim::Time now);
  // The same, counted, with the first violation only: in incremental mode
  // this costs what changed since the last evaluation, not the world.
  std::optional<EvaluationSummary> summarize_now(std::string_view name, sim::Time now);

  EvaluationMode mode() const { return mode_; }

  bool selected(std::string_view name) const { return result(name) != nullptr; }
  // The selected invariants, in registry order.
  const std::vector<InvariantResult>& results() const { return results_; }
  const InvariantResult* result(std::string_view name) const;
  // Every selected invariant passed (see InvariantResult::passed).
  bool passed(bool strict) const;

 private:
  InvariantResult* slot(std::string_view name);
  // One eventually-invariant over `scope` (null: the whole store), or over a view of one.
  CheckOutcome evaluate_eventually(std::string_view name, sim::Time now, NamespaceScope scope = nullptr);
  CheckOutcome evaluate_eventually(std::string_view name, sim::Time now, const ScopeView& view);
  void record(InvariantResult* result, CheckOutcome outcome);
  struct BoundLookup bound_lookup() const;
  CheckOutcome check_running_pods(sim::Time now, const ScopeView& view) const;

  // An eventually-invariant's outcome kept per namespace (incremental mode).
  struct Incremental {
    std::string_view name{};
    std::map<std::string, CheckOutcome, std::less<>> by_namespace{};  // namespaces with checks or violations
    std::set<std::string, std::less<>> dirty{};        // to judge again at the next evaluation
    std::set<std::string, std::less<>> beyond_store{};  // judged again every time (CheckOutcome::reads_beyond_store)
    std::set<std::string, std::less<>> violating{};     // namespaces with violations, in order
    std::uint64_t checks = 0;                           // over by_namespace
    std::size_t violations = 0;                         // over by_namespace
    bool everything_dirty = true;                       // not evaluated yet
  };
  Incremental* incremental(std::string_view name);
  // Hands the namespaces committed to since the last refresh to every
  // invariant that keeps outcomes; all of them when the store moved on unobserved.
  void take_changes();
  // Brings one invariant's per-namespace outcomes up to date.
  void refresh(Incremental& state, sim::Time now);
  // The same for every selected eventually-invariant, one namespace at a
  // time, sharing its view (its listings) between them.
  void refresh_all(sim::Time now);
  // Judges `ns` again for one invariant and keeps its outcome.
  void judge_again(Incremental& state, const std::string& ns, const ScopeView& view, sim::Time now);
  // Its whole outcome now, violations stamped `now`, as the full evaluation gives it.
  CheckOutcome outcome_of(const Incremental& state, sim::Time now) const;
  // Every namespace the store holds anything in (Namespaces, accounts, Secrets).
  const std::set<std::string, std::less<>>& every_namespace();

  model::Cluster& cluster_;
  std::vector<InvariantResult> results_;
  // Slots of the always-invariants, looked up once (null: not selected);
  // results_ is never resized after construction.
  InvariantResult* resource_versions_ = nullptr;
  InvariantResult* uids_ = nullptr;
  InvariantResult* existing_account_ = nullptr;
  InvariantResult* automount_ = nullptr;
  InvariantResult* pull_secrets_ = nullptr;
  InvariantResult* deleted_tokens_ = nullptr;
  InvariantResult* rejections_ = nullptr;
  InvariantResult* mountable_ = nullptr;
  InvariantResult* reviews_ = nullptr;
  InvariantResult* bound_reviews_ = nullptr;
  InvariantResult* legacy_cleanup_ = nullptr;  // only where the release runs a cleaner
  EvaluationMode mode_;
  std::vector<Incremental> incremental_;          // one per selected or asked eventually-invariant
  std::set<std::string, std::less<>> changed_{};  // namespaces committed to since the last refresh
  std::set<std::string, std::less<>>::const_iterator last_changed_{};  // the last one noted (changed_ not empty)
  // Whether any eventually-invariant keeps outcomes (has been evaluated).
  bool keeps_outcomes() const;
  // every_namespace() as of the store revision it was made at.
  std::optional<std::set<std::string, std::less<>>> every_namespace_{};
  std::uint64_t every_namespace_revision_ = 0;
  // The store's revision after the last commit this checker observed: a
  // store that moved on unobserved (a checker not attached, writes that
  // bypass the observers) makes every namespace suspect.
  std::uint64_t observed_revision_ = 0;
  CommitChecks commits_;
  TokenOracle oracle_;
  // Whether presentations of legacy tokens are recorded for the cleaner's
  // invariant: while a cleaner runs or the apiserver tracks legacy tokens'
  // use (a presentation before tracking began is older than any the
  // cleaner may keep a token for: it acts a whole period after that day).
  bool records_legacy_uses_ = false;
  void follow_release();
  DeletedTokenTracker deleted_;
  LegacyCleanupCheck legacy_cleanup_check_;
  Audit audit_;  // who changed what: evidence for invariants and known weaknesses
};

}  // namespace sasim::properties
