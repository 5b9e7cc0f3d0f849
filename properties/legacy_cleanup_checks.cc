#include "properties/legacy_cleanup_checks.h"

#include <fmt/format.h>

#include "model/admission/pod_secrets.h"
#include "model/objects/constants.h"
#include "model/objects/timestamp.h"

namespace sasim::properties {

namespace {

constexpr std::string_view kInvalidSince = "kubernetes.io/legacy-token-invalid-since";
constexpr std::string_view kLastUsed = "kubernetes.io/legacy-token-last-used";
constexpr std::string_view kTrackingNamespace = "kube-system";
constexpr std::string_view kTrackingConfigMap = "kube-apiserver-legacy-service-account-token-tracking";
constexpr std::int64_t kDay = 24 * 3600;

const std::string* label(const model::ObjectMeta& meta, std::string_view key) {
  auto it = meta.labels.find(std::string(key));
  return it == meta.labels.end() ? nullptr : &it->second;
}

std::string day_of(std::int64_t unix_seconds) {
  const model::CivilTime c = model::civil_from_unix(unix_seconds);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

// "YYYY-MM-DD" with a real month and day; the Unix second of its midnight.
std::optional<std::int64_t> midnight_of(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const model::CivilTime civil{.year = std::stoll(text.substr(0, 4)),
                               .month = std::stoi(text.substr(5, 2)),
                               .day = std::stoi(text.substr(8, 2))};
  if (civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > 31) return std::nullopt;
  const std::int64_t unix = model::unix_from_civil(civil);
  // A day past the month's end rolls over: not the date written.
  if (day_of(unix) != text) return std::nullopt;
  return unix;
}

}  // namespace

void LegacyCleanupCheck::on_review(const model::DataValue& token, const TokenOracle& oracle, sim::Time now) {
  const std::optional<VerifiedClaims> claims = oracle.verify_presented(token);
  if (!claims || claims->secret_name.empty() || claims->ns.empty()) return;
  last_presented_[{claims->ns, claims->secret_name}] = now;
}

CheckOutcome LegacyCleanupCheck::on_commit(const model::StoreChange& change, const model::Store& store,
                                           sim::Time now) const {
  CheckOutcome outcome;
  if (change.user != rules_.cleaner_user || (!change.previous && change.type != model::WatchEventType::kDeleted)) {
    return outcome;
  }
  const auto* before = change.type == model::WatchEventType::kDeleted ? std::get_if<model::Secret>(change.object.get())
                                                                      : std::get_if<model::Secret>(change.previous.get());
  if (before == nullptr) return outcome;
  std::string action;
  if (change.type == model::WatchEventType::kDeleted) {
    action = "deleted";
  } else {
    const auto* after = std::get_if<model::Secret>(change.object.get());
    const std::string* was = label(before->metadata, kInvalidSince);
    const std::string* is = after ? label(after->metadata, kInvalidSince) : nullptr;
    if (is == nullptr || (was != nullptr && *was == *is)) return outcome;
    action = "labelled " + std::string(kInvalidSince) + "=" + *is;
  }
  ++outcome.checks;
  const model::ObjectMeta& m = before->metadata;
  const std::string ref = object_ref(model::Kind::kSecret, m.namespace_, m.name);
  const std::int64_t wall_now = model::wall_seconds(now, rules_.epoch_unix_seconds);
  const std::int64_t period = rules_.clean_up_period.ns() / sim::Duration::kNsPerSecond;
  const std::string oldest_kept_day = day_of(wall_now - period);
  std::vector<std::string> objects{ref};
  auto why_not = [&]() -> std::string {
    if (before->type != model::kSecretTypeServiceAccountToken) return "it is not a service-account-token Secret";
    // Usage must have been tracked for a whole period.
    const auto* tracking =
        model::as<model::ConfigMap>(store.get(model::Kind::kConfigMap, std::string(kTrackingNamespace),
                                              std::string(kTrackingConfigMap)));
    const std::string* since = tracking ? tracking->data_value("since") : nullptr;
    const std::optional<std::int64_t> since_day = since ? midnight_of(*since) : std::nullopt;
    if (!since_day) return "the apiserver's tracking ConfigMap holds no tracking date";
    if (wall_now < *since_day + kDay + period) {
      return fmt::format("usage has been tracked only since {} (less than the clean-up period)", *since);
    }
    if (model::wall_seconds(m.creation_timestamp, rules_.epoch_unix_seconds) >= wall_now - period) {
      return "it was created within the clean-up period";
    }
    // Auto-generated: its account (by the annotations) lists it.
    const std::string* account_name = m.annotation(std::string(model::kServiceAccountNameKey));
    const std::string* account_uid = m.annotation(std::string(model::kServiceAccountUidKey));
    const auto* account = account_name ? model::as<model::ServiceAccount>(
                                             store.get(model::Kind::kServiceAccount, m.namespace_, *account_name))
                                       : nullptr;
    bool listed = false;
    if (account != nullptr && (account_uid == nullptr || account_uid->empty() || *account_uid == account->metadata.uid)) {
      for (const model::ObjectReference& r : account->secrets) listed = listed || r.name == m.name;
    }
    if (!listed) return "it is not an auto-generated token (its ServiceAccount does not list it)";
    // Mounted by a pod that has been there long enough for any cache to know it.
    for (const model::ObjectPtr& object : store.list(model::Kind::kPod, m.namespace_)) {
      const auto& pod = std::get<model::Pod>(*object);
      if (now - pod.metadata.creation_timestamp < kMountSettled) continue;
      for (const std::string& used : model::admission::pod_secret_names(pod)) {
        if (used == m.name) {
          objects.push_back(object_ref(*object));
          return fmt::format("pod {} mounts it", pod.metadata.name);
        }
      }
    }
    // Used within the period: presented, or so labelled by the apiserver (or a user).
    if (auto it = last_presented_.find({m.namespace_, m.name}); it != last_presented_.end()) {
      const std::string day = day_of(model::wall_seconds(it->second, rules_.epoch_unix_seconds));
      if (day >= oldest_kept_day) return fmt::format("its token was presented on {}, within the clean-up period", day);
    }
    if (const std::string* used = label(m, kLastUsed); used != nullptr && *used >= oldest_kept_day) {
      return fmt::format("its {} label says {}, within the clean-up period", kLastUsed, *used);
    }
    return {};
  };
  const std::string reason = why_not();
  if (!reason.empty()) {
    outcome.violations.push_back(Violation{.invariant = "cleaned-legacy-tokens-were-unused",
                                           .time = now,
                                           .message = fmt::format("{} {} {}, but {}", rules_.cleaner_user, action,
                                                                  ref, reason),
                                           .objects = std::move(objects)});
  }
  return outcome;
}

}  // namespace sasim::properties
