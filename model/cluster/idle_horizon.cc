#include "model/cluster/idle_horizon.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/auth/jwt.h"

namespace sasim::model {
namespace {

constexpr std::int64_t kLeewaySeconds = 60;
constexpr std::int64_t kSecondsPerDay = 86400;

bool being_deleted(const ObjectPtr& object) { return object && meta(*object).deletion_timestamp.has_value(); }

std::optional<std::int64_t> seconds_claim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return static_cast<std::int64_t>(it->get<double>());
}

}  // namespace

sim::Time idle_verdict_horizon(const Store& store, std::int64_t epoch_unix_seconds, const std::string& ns,
                               const std::string& pod_name, const std::string& token, sim::Time now) {
  const ObjectPtr pod = store.get(Kind::kPod, ns, pod_name);
  if (!pod || being_deleted(pod) || being_deleted(store.get(Kind::kNamespace, "", ns))) return now;
  if (being_deleted(store.get(Kind::kServiceAccount, ns, std::get<Pod>(*pod).spec.service_account_name))) return now;
  // Thresholds are unix seconds; only those after now become simulated times.
  const std::int64_t now_unix_ns = epoch_unix_seconds * 1'000'000'000 + now.since_start().ns();
  const std::int64_t now_unix = now_unix_ns / 1'000'000'000;
  auto parsed = auth::parse_jwt(token, auth::JwsParsing::kCompactOnly);
  if (!parsed) return sim::Time::never();
  const nlohmann::json& claims = parsed.value().claims;
  sim::Time horizon = sim::Time::never();
  auto before = [&](std::int64_t unix_seconds) {
    const std::int64_t at_ns = unix_seconds * 1'000'000'000;
    if (at_ns <= now_unix_ns) return;
    horizon = std::min(horizon, now + sim::Duration::nanoseconds(at_ns - now_unix_ns));
  };
  const auto exp = seconds_claim(claims, "exp");
  if (exp) {
    before(*exp + kLeewaySeconds);
  } else {
    before((now_unix / kSecondsPerDay + 1) * kSecondsPerDay);
  }
  if (const auto nbf = seconds_claim(claims, "nbf")) before(*nbf - kLeewaySeconds);
  if (const auto iat = seconds_claim(claims, "iat")) before(*iat - kLeewaySeconds);
  auto private_claims = claims.find("kubernetes.io");
  if (private_claims != claims.end() && private_claims->is_object()) {
    if (const auto warn = seconds_claim(*private_claims, "warnafter")) {
      if (*warn * 1'000'000'000 <= now_unix_ns) return now;
      before(*warn);
    }
  }
  return horizon;
}

}  // namespace sasim::model
