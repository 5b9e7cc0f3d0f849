// SpanCollector: measures the spans of scenario-format §10 in one run, and
// samples object counts and controller queue depths over simulated time.
//
// It watches the apiserver's commits (ApiServerObserver), the user's
// requests (RunObserver: pod-admitted is measured on the client side, with
// its retries) and, after every engine event, the kubelet's log of its pods'
// authentications and the controllers' queue depths. Only reads.
//
// revocation is measured from the model, not from presentations: after
// every event of the apiserver it asks the apiserver's authenticator, with
// its caches as they are, whether it would still accept each deleted token
// whose view changed (the Secret or the account it reads, from its cache or
// by a live read on a cache miss). The span ends at the first event after
// which it would reject the token, whether or not anyone presents it. With
// serviceAccountLookup off the authenticator never looks, and the span stays
// open: the token stays valid.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/apiserver/apiserver.h"
#include "model/objects/data_value.h"
#include "reports/timing.h"
#include "tools/runner/runner.h"

namespace sasim::tools {

class SpanCollector final : public RunObserver, public model::ApiServerObserver, public model::UpgradeObserver {
 public:
  // `sample_series`: keep the time series (costly over many seeds; a sweep
  // keeps them for its first seed only).
  SpanCollector(std::uint64_t seed, bool sample_series);

  void on_world(model::Cluster& cluster, sim::Simulator& simulator) override;
  void on_user_request(const model::ApiRequest& request, const model::ApiResponse* response, sim::Time sent,
                       sim::Time answered, int retries) override;
  void on_end(const model::Cluster& cluster, sim::Simulator& simulator) override;

  void on_commit(const model::StoreChange& change, sim::Time now) override;
  // An upgrade that starts a legacy-token cleaner starts its spans.
  void on_upgrade(const model::UpgradeRecord& record) override;
  // legacy-token-invalidated starts at a legacy token's last presentation.
  void on_token_review(const model::DataValue& token, const model::TokenReviewResult& result, sim::Time now,
                       const std::vector<std::string>& audiences) override;

  // What the run measured (spans, series); call after the run.
  reports::SeedTiming take();
  // The cluster's knobs, as the scenario format spells them.
  const std::vector<std::pair<std::string, std::string>>& parameters() const { return parameters_; }

 private:
  using OpenKey = std::pair<std::string, std::string>;  // span, subject
  struct Open {
    sim::Time start{};
    std::string replaced{};  // token-replaced: the deleted Secret's name
  };

  void open(const std::string& span, const std::string& subject, sim::Time now, std::string replaced = {});
  void close(const std::string& span, const std::string& subject, sim::Time now, int retries = 0);
  void drop(const std::string& span, const std::string& subject) { open_.erase({span, subject}); }
  // token-ready and token-replaced of the accounts of `ns`, closed where
  // the account now references a populated token of its own.
  void check_accounts(const std::string& ns, sim::Time now);
  void after_event(const sim::EventView& event);
  // revocation: a deleted token the authenticator may still accept.
  struct Revocation {
    sim::Time start{};
    model::DataValue token{};
    std::string namespace_{};
    std::string secret{};
    std::string service_account{};
    // What the authenticator read when last asked: asked again only when
    // one of them changes.
    model::ObjectPtr secret_seen{};
    model::ObjectPtr account_seen{};
    bool asked = false;
  };
  void check_revocations();
  // bound-token-revocation: the projected token a deleted pod held, until
  // the authenticator would reject it. Besides the apiserver's events, the
  // clock ends it: 60 s after the pod's deletionTimestamp (or the token's
  // exp), whichever the authenticator's last view of the pod gives first.
  struct BoundRevocation {
    sim::Time start{};
    model::DataValue token{};
    std::string namespace_{};
    std::string pod{};
    model::ObjectPtr pod_seen{};
    bool asked = false;
    sim::Time deadline = sim::Time::never();
  };
  void check_bound_revocations(bool apiserver_event);
  void end_bound_revocation(const std::string& subject, sim::Time end);
  void sample(reports::Series& series, sim::Time now, std::int64_t value);
  // legacy-token-invalidated and legacy-token-cleaned, from a token Secret's commit.
  void legacy_token_spans(const model::StoreChange& change, const std::string& subject, sim::Time now);

  std::uint64_t seed_;
  bool sample_series_;
  model::Cluster* cluster_ = nullptr;
  sim::Simulator* simulator_ = nullptr;
  std::map<OpenKey, Open> open_;
  std::map<std::string, Revocation> revocations_;  // by subject: namespace/secret
  sim::ActorId apiserver_id_{};
  std::vector<reports::SpanInstance> done_;
  std::size_t auth_seen_ = 0;  // kubelet auth_log entries already looked at
  std::size_t token_files_seen_ = 0;  // kubelet token_file_log entries already looked at
  std::map<std::string, BoundRevocation> bound_revocations_;  // by subject: namespace/pod
  sim::Time next_bound_deadline_ = sim::Time::never();
  std::vector<reports::Series> counts_;  // per kind, in kAllKinds order
  std::vector<reports::Series> depths_;  // per controller
  std::vector<std::pair<std::string, std::string>> parameters_;
  // The last use of each legacy token Secret (its creation, or its token's
  // latest presentation), by subject, and which Secret each presented token
  // names ("" for other tokens): kept from the start, since a cleaner an
  // upgrade starts later (legacy_cleanup_) measures from uses made before.
  bool legacy_cleanup_ = false;
  std::map<std::string, sim::Time> legacy_last_use_;
  std::map<std::string, std::string> legacy_token_subjects_;
};

}  // namespace sasim::tools
