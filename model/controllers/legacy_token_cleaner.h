// The legacy-token cleaner (kube-controller-manager
// `legacy-serviceaccount-token-cleaner`, LegacyServiceAccountTokenCleanUp;
// rules CLN1-CLN7 in docs/rules.md): auto-generated token Secrets that no
// pod uses and nobody presented for a clean-up period are first labelled
// `kubernetes.io/legacy-token-invalid-since` (1.29+; the apiserver then
// rejects them), and deleted once the label is a period old. The 1.28
// alpha deletes them at once.
//
// It has no work queue: once its ServiceAccount, Secret and Pod informers
// have synced it runs one pass, then another 24 hours after each pass ends
// (wait.Until). A pass reads the apiserver's tracking ConfigMap live (the
// day from which last uses are recorded), then walks the Secret cache and
// sends at most one request per Secret. Failed writes are not retried
// within the pass: the next pass sees the Secret again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/controllers/controller_actor.h"
#include "model/versions/behaviour.h"

namespace sasim::model::controllers {

inline constexpr std::string_view kLegacyTokenTrackingNamespace = "kube-system";
inline constexpr std::string_view kLegacyTokenTrackingConfigMap =
    "kube-apiserver-legacy-service-account-token-tracking";
inline constexpr std::string_view kLegacyTokenTrackingSinceKey = "since";
inline constexpr std::string_view kLastUsedLabel = "kubernetes.io/legacy-token-last-used";
inline constexpr std::string_view kInvalidSinceLabel = "kubernetes.io/legacy-token-invalid-since";

// A day as "YYYY-MM-DD" parsed as Go's time.Parse("2006-01-02", s): four
// digits, a month 01-12, a day that exists in that month, nothing more.
// Returns the Unix second of that day's 00:00 UTC.
std::optional<std::int64_t> parse_label_date(std::string_view text);
// "YYYY-MM-DD" of a Unix second, in UTC.
std::string format_label_date(std::int64_t unix_seconds);

// Ways to break the cleaner on purpose (tools/fuzz, the invariant's tests).
struct LegacyTokenCleanerBreakage {
  bool ignore_mounts = false;     // cleans Secrets that pods mount
  bool ignore_last_used = false;  // cleans Secrets used within the period
};

struct LegacyTokenCleanerOptions {
  ControllerOptions base{.client = {.user = "legacy-token-cleaner"}, .workers = 1};
  versions::LegacyTokenCleanup mode = versions::LegacyTokenCleanup::kTwoPhase;
  // --legacy-service-account-token-clean-up-period.
  sim::Duration clean_up_period = sim::Duration::hours(8760);
  // DefaultCleanerSyncInterval.
  sim::Duration sync_interval = sim::Duration::hours(24);
  // The wall clock of simulated time 0 (the cluster's startTime): the
  // dates of the labels are UTC days of it.
  std::int64_t epoch_unix_seconds = 1577836800;
  LegacyTokenCleanerBreakage broken{};
};

class LegacyTokenCleaner final : public ControllerActor {
 public:
  explicit LegacyTokenCleaner(LegacyTokenCleanerOptions options);

  const LegacyTokenCleanerOptions& cleaner_options() const { return options_; }
  std::uint64_t passes() const { return passes_; }
  // An upgraded controller manager's settings (its mode may change, 1.28's
  // direct deletion to 1.29's two phases); the client's stay.
  void reconfigure(const LegacyTokenCleanerOptions& options) {
    options_.mode = options.mode;
    options_.clean_up_period = options.clean_up_period;
    options_.epoch_unix_seconds = options.epoch_unix_seconds;
  }
  client::Informer& secrets() { return *secrets_; }

 protected:
  void on_synced() override;

 private:
  sim::Task<void> run();
  sim::Task<void> evaluate();
  // Whether `secret` is one the pass acts on (the skip rules, in upstream's order).
  bool eligible(const Secret& secret, std::int64_t preserve_created_on_or_after,
                const std::string& preserve_used_on_or_after) const;
  sim::Task<void> mark_invalid(const Secret& secret, const std::string& today);
  sim::Task<void> remove_secret(const Secret& secret);

  LegacyTokenCleanerOptions options_;
  client::Informer* service_accounts_;
  client::Informer* secrets_;
  client::Informer* pods_;
  std::uint64_t passes_ = 0;
};

}  // namespace sasim::model::controllers
