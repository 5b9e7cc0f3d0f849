#include "model/controllers/legacy_token_cleaner.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "model/admission/pod_secrets.h"
#include "model/coverage/probes.h"
#include "model/objects/constants.h"
#include "model/objects/timestamp.h"

namespace sasim::model::controllers {

namespace {

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

const std::string* label(const ObjectMeta& meta, std::string_view key) {
  auto it = meta.labels.find(std::string(key));
  return it == meta.labels.end() ? nullptr : &it->second;
}

int number(std::string_view text) {
  int out = 0;
  for (char c : text) out = out * 10 + (c - '0');
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_label_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view year = text.substr(0, 4), month = text.substr(5, 2), day = text.substr(8, 2);
  if (!digits(year) || !digits(month) || !digits(day)) return std::nullopt;
  const CivilTime civil{.year = number(year), .month = number(month), .day = number(day)};
  if (civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > days_in_month(civil.year, civil.month)) {
    return std::nullopt;
  }
  return unix_from_civil(civil);
}

std::string format_label_date(std::int64_t unix_seconds) {
  const CivilTime civil = civil_from_unix(unix_seconds);
  return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

LegacyTokenCleaner::LegacyTokenCleaner(LegacyTokenCleanerOptions options)
    : ControllerActor(options.base),
      options_(std::move(options)),
      service_accounts_(&add_informer(Kind::kServiceAccount, options_.base.watch_lag)),
      secrets_(&add_informer(Kind::kSecret, options_.base.watch_lag)),
      pods_(&add_informer(Kind::kPod, options_.base.watch_lag)) {}

void LegacyTokenCleaner::on_synced() {
  ControllerActor::on_synced();
  // CLN1: wait.UntilWithContext(evaluateSATokens, 24h) once the caches
  // have synced; a restart starts over with a pass at once.
  spawn(run());
}

sim::Task<void> LegacyTokenCleaner::run() {
  for (;;) {
    co_await evaluate();
    co_await sleep(options_.sync_interval, sim::Urgency::kPeriodic, wait::kPeriodic);
  }
}

sim::Task<void> LegacyTokenCleaner::evaluate() {
  ++passes_;
  co_await sleep(options_.base.sync_latency, wait::kSyncCpu);
  const std::int64_t now = wall_seconds(ctx().now(), options_.epoch_unix_seconds);
  const std::int64_t period = options_.clean_up_period.ns() / sim::Duration::kNsPerSecond;
  // CLN1: the tracking ConfigMap is read live, every pass.
  ApiResponse response =
      co_await get(Kind::kConfigMap, std::string(kLegacyTokenTrackingNamespace), std::string(kLegacyTokenTrackingConfigMap));
  const auto* config_map = response.ok() ? as<ConfigMap>(response.object) : nullptr;
  std::optional<std::int64_t> since;
  if (config_map != nullptr) {
    auto it = config_map->data.find(std::string(kLegacyTokenTrackingSinceKey));
    if (it != config_map->data.end()) since = parse_label_date(it->second);
  }
  if (!since) {
    coverage::probe(ctx(), coverage::Probe::kCLN1PassAborted);
    ctx().note("legacy-token-cleaner", "legacy-token-cleaner: getting latest possible tracked_since time failed");
    co_return;
  }
  // CLN2: last uses are recorded from the day after `since`; until a whole
  // period of them is known, nothing can be called unused.
  const std::int64_t tracked_since = *since + 24 * 3600;
  if (now < tracked_since + period) {
    coverage::probe(ctx(), coverage::Probe::kCLN2NotTrackedLongEnough);
    co_return;
  }
  coverage::probe(ctx(), coverage::Probe::kCLN1PassRun);
  const std::int64_t preserve_created_on_or_after = now - period;
  const std::string preserve_used_on_or_after = format_label_date(now - period);
  const std::string today = format_label_date(now);

  // The lister's list, taken once: the requests below do not change it.
  for (const ObjectPtr& object : secrets_->list()) {
    const Secret& secret = std::get<Secret>(*object);
    if (!eligible(secret, preserve_created_on_or_after, preserve_used_on_or_after)) continue;
    if (options_.mode == versions::LegacyTokenCleanup::kTwoPhase) {
      // CLN4: a missing or unparseable invalid-since is (re)set to today;
      // the Secret is not deleted in the same pass.
      const std::string* invalid_since = label(secret.metadata, kInvalidSinceLabel);
      if (invalid_since == nullptr || !parse_label_date(*invalid_since)) {
        co_await mark_invalid(secret, today);
        continue;
      }
      // CLN5: deleted only once the label is a period old.
      if (*invalid_since >= preserve_used_on_or_after) {
        coverage::probe(ctx(), coverage::Probe::kCLN3SecretSkipped);
        continue;
      }
    }
    co_await remove_secret(secret);
  }
}

bool LegacyTokenCleaner::eligible(const Secret& secret, std::int64_t preserve_created_on_or_after,
                                  const std::string& preserve_used_on_or_after) const {
  if (secret.type != kSecretTypeServiceAccountToken) return false;
  auto skip = [this] {
    coverage::probe(const_cast<LegacyTokenCleaner*>(this)->ctx(), coverage::Probe::kCLN3SecretSkipped);
    return false;
  };
  // CLN3, in upstream's order.
  if (wall_seconds(secret.metadata.creation_timestamp, options_.epoch_unix_seconds) >= preserve_created_on_or_after) {
    return skip();
  }
  if (secret.metadata.deletion_timestamp) return skip();
  if (const std::string* last_used = label(secret.metadata, kLastUsedLabel)) {
    if (!parse_label_date(*last_used)) return skip();  // logged upstream
    if (!options_.broken.ignore_last_used && *last_used >= preserve_used_on_or_after) return skip();
  }
  // The account named by the annotations (a uid annotation, if set, must match).
  const std::string* name = secret.metadata.annotation(std::string(kServiceAccountNameKey));
  if (name == nullptr || name->empty()) return skip();
  const auto* account = as<ServiceAccount>(service_accounts_->get(secret.metadata.namespace_, *name));
  if (account == nullptr) return skip();
  const std::string* uid = secret.metadata.annotation(std::string(kServiceAccountUidKey));
  if (uid != nullptr && !uid->empty() && *uid != account->metadata.uid) return skip();
  // Auto-generated: the account's `secrets` lists it. Manual tokens are never cleaned.
  bool referenced = false;
  for (const ObjectReference& ref : account->secrets) referenced = referenced || ref.name == secret.metadata.name;
  if (!referenced) return skip();
  // Mounted (or otherwise named) by any pod of the namespace.
  if (!options_.broken.ignore_mounts) {
    bool mounted = false;
    pods_->for_each_in(secret.metadata.namespace_, [&](const ObjectPtr& pod) {
      if (mounted) return;
      for (const std::string& used : admission::pod_secret_names(std::get<Pod>(*pod))) {
        if (used == secret.metadata.name) mounted = true;
      }
    });
    if (mounted) return skip();
  }
  return true;
}

sim::Task<void> LegacyTokenCleaner::mark_invalid(const Secret& secret, const std::string& today) {
  coverage::probe(ctx(), coverage::Probe::kCLN4SecretLabelled);
  // A merge patch of the apply configuration upstream marshals: name,
  // namespace, uid (a uid that no longer matches fails the patch) and the label.
  auto request = std::make_unique<ApiRequest>();
  request->verb = Verb::kPatch;
  request->kind = Kind::kSecret;
  request->namespace_ = secret.metadata.namespace_;
  request->name = secret.metadata.name;
  request->patch_type = PatchType::kMerge;
  request->merge_patch = std::make_shared<const nlohmann::json>(nlohmann::json{
      {"kind", "Secret"},
      {"apiVersion", "v1"},
      {"metadata",
       {{"name", secret.metadata.name},
        {"namespace", secret.metadata.namespace_},
        {"uid", secret.metadata.uid},
        {"labels", {{std::string(kInvalidSinceLabel), today}}}}}});
  ApiResponse response = co_await call(std::move(request));
  if (!response.ok()) {
    coverage::probe(ctx(), coverage::Probe::kCLN6WriteFailed);
    ctx().note("legacy-token-cleaner",
               fmt::format("legacy-token-cleaner: failed to label legacy service account token secret {}/{} with "
                           "invalid since date: {}",
                           secret.metadata.namespace_, secret.metadata.name, response.error->message));
  }
}

sim::Task<void> LegacyTokenCleaner::remove_secret(const Secret& secret) {
  coverage::probe(ctx(), coverage::Probe::kCLN5SecretDeleted);
  ApiResponse response = co_await remove(Kind::kSecret, secret.metadata.namespace_, secret.metadata.name,
                                         Preconditions{.uid = std::nullopt, .resource_version = secret.metadata.resource_version});
  // Conflict (someone changed it since the cache saw it) and NotFound are
  // expected; anything else is logged. Either way the next pass looks again.
  if (!response.ok() && !is_not_found(*response.error) && !is_conflict(*response.error)) {
    coverage::probe(ctx(), coverage::Probe::kCLN6WriteFailed);
    ctx().note("legacy-token-cleaner", fmt::format("legacy-token-cleaner: deleting legacy service account token {}/{}: {}",
                                                   secret.metadata.namespace_, secret.metadata.name,
                                                   response.error->message));
  }
}

}  // namespace sasim::model::controllers
