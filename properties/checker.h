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
// Eventually-invariants are evaluated on the store when asked.
//
// Every violation found is passed through classify_known
// (known_weaknesses.h) at the moment it is found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster/cluster.h"
#include "properties/audit.h"
#include "properties/commit_checks.h"
#include "properties/deleted_tokens.h"
#include "properties/invariant.h"
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

class InvariantChecker final : public model::ApiServerObserver {
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
                   std::shared_ptr<const VerifyingKey> key = nullptr);

  // The apiserver keeps a pointer: the checker must outlive its activity.
  InvariantChecker(const InvariantChecker&) = delete;
  InvariantChecker& operator=(const InvariantChecker&) = delete;

  // cluster.apiserver().add_observer(this).
  void attach();

  // ApiServerObserver.
  void on_commit(const model::StoreChange& change, sim::Time now) override;
  void on_pod_admitted(const model::Pod& pod, const model::PodAdmission& admission, sim::Time now) override;
  void on_pod_rejected(const model::Pod& pod, const model::ApiStatus& status, const model::PodAdmission& admission,
                       sim::Time now) override;
  void on_token_review(const std::string& token, const model::TokenReviewResult& result, sim::Time now) override;

  // Evaluates the selected eventually-invariants now and records what
  // breaks. Returns the number of violations found by this call.
  std::size_t check_eventually(sim::Time now);

  // For the `{invariant: NAME}` condition: an eventually-invariant's
  // violations if it were evaluated now (selected or not; nothing is
  // recorded); an always-invariant's violations recorded so far. nullopt
  // for an unknown name or an always-invariant that is not selected (it
  // was not being watched).
  std::optional<std::vector<Violation>> evaluate_now(std::string_view name, sim::Time now);

  bool selected(std::string_view name) const { return result(name) != nullptr; }
  // The selected invariants, in registry order.
  const std::vector<InvariantResult>& results() const { return results_; }
  const InvariantResult* result(std::string_view name) const;
  // Every selected invariant passed (see InvariantResult::passed).
  bool passed(bool strict) const;

 private:
  InvariantResult* slot(std::string_view name);
  CheckOutcome evaluate_eventually(std::string_view name, sim::Time now);
  void record(InvariantResult* result, CheckOutcome outcome);
  struct BoundLookup bound_lookup() const;
  CheckOutcome check_running_pods(sim::Time now) const;

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
  CommitChecks commits_;
  TokenOracle oracle_;
  DeletedTokenTracker deleted_;
  Audit audit_;  // who changed what: evidence for invariants and known weaknesses
};

}  // namespace sasim::properties
