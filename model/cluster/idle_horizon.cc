#include "model/cluster/idle_horizon.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "model/auth/bound_claims.h"
#include "model/auth/bound_token.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"

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

const std::string* string_member(const nlohmann::json& object, std::string_view name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// The objects the authenticator and the invariants' judgment look up for a
// token with these claims: a bound token's (`kubernetes.io`) namespace,
// ServiceAccount, and the pod, Secret and node it is bound to; a legacy
// token's Secret and ServiceAccount; and the ServiceAccount its subject
// names. A token of neither shape: anything (reads_anything).
void add_claimed_reads(const nlohmann::json& claims, kubelet::IdleVerdict& verdict) {
  if (!claims.is_object()) {
    verdict.reads_anything = true;
    return;
  }
  bool known = false;
  auto private_claims = claims.find("kubernetes.io");
  if (private_claims != claims.end() && private_claims->is_object()) {
    const std::string* ns = string_member(*private_claims, "namespace");
    if (ns == nullptr) {
      verdict.reads_anything = true;
      return;
    }
    known = true;
    verdict.reads.push_back({Kind::kNamespace, "", *ns});
    auto named = [&](const char* member, Kind kind, bool namespaced) {
      auto ref = private_claims->find(member);
      if (ref == private_claims->end() || !ref->is_object()) return;
      if (const std::string* name = string_member(*ref, "name")) {
        verdict.reads.push_back({kind, namespaced ? *ns : std::string(), *name});
      }
    };
    named("serviceaccount", Kind::kServiceAccount, true);
    named("pod", Kind::kPod, true);
    named("secret", Kind::kSecret, true);
    named("node", Kind::kNode, false);
  }
  if (const std::string* ns = string_member(claims, auth::kNamespaceClaim)) {
    known = true;
    verdict.reads.push_back({Kind::kNamespace, "", *ns});
    if (const std::string* secret = string_member(claims, auth::kSecretNameClaim)) {
      verdict.reads.push_back({Kind::kSecret, *ns, *secret});
    }
    if (const std::string* sa = string_member(claims, auth::kServiceAccountNameClaim)) {
      verdict.reads.push_back({Kind::kServiceAccount, *ns, *sa});
    }
  }
  // "system:serviceaccount:NS:NAME"
  if (const std::string* subject = string_member(claims, "sub")) {
    constexpr std::string_view kPrefix = "system:serviceaccount:";
    const std::string_view sub = *subject;
    if (sub.starts_with(kPrefix)) {
      const std::string_view rest = sub.substr(kPrefix.size());
      const std::size_t colon = rest.find(':');
      if (colon != std::string_view::npos) {
        verdict.reads.push_back({Kind::kServiceAccount, std::string(rest.substr(0, colon)),
                                 std::string(rest.substr(colon + 1))});
      }
    }
  }
  if (!known) verdict.reads_anything = true;
}

}  // namespace

kubelet::IdleVerdict idle_verdict_horizon(const Store& store, std::int64_t epoch_unix_seconds,
                                          const std::string& ns, const std::string& pod_name, const DataValue& token,
                                          sim::Time now) {
  kubelet::IdleVerdict verdict{.horizon = now};
  const ObjectPtr pod = store.get(Kind::kPod, ns, pod_name);
  if (!pod || being_deleted(pod) || being_deleted(store.get(Kind::kNamespace, "", ns))) return verdict;
  const std::string& sa_name = std::get<Pod>(*pod).spec.service_account_name;
  if (being_deleted(store.get(Kind::kServiceAccount, ns, sa_name))) return verdict;
  // What the horizon itself read.
  verdict.reads = {{Kind::kPod, ns, pod_name}, {Kind::kNamespace, "", ns}, {Kind::kServiceAccount, ns, sa_name}};
  // Thresholds are unix seconds; only those after now become simulated times.
  const std::int64_t now_unix_ns = epoch_unix_seconds * 1'000'000'000 + now.since_start().ns();
  const std::int64_t now_unix = now_unix_ns / 1'000'000'000;
  // A bound token nobody read: its claims as its payload will be, unsigned.
  nlohmann::json unread;
  const nlohmann::json* payload = nullptr;
  std::optional<auth::ParsedJwt> parsed;
  if (const auto* bound = dynamic_cast<const auth::BoundToken*>(token.lazy())) {
    unread = auth::to_json(bound->claims());
    payload = &unread;
  } else {
    auto jwt = auth::parse_jwt(token.bytes(), auth::JwsParsing::kCompactOnly);
    if (!jwt) {
      // Not a compact JWT: the authenticator reads nothing for it.
      verdict.horizon = sim::Time::never();
      verdict.reads_anything = true;
      return verdict;
    }
    parsed = std::move(jwt).value();
    payload = &parsed->claims;
  }
  const nlohmann::json& claims = *payload;
  add_claimed_reads(claims, verdict);
  sim::Time& horizon = verdict.horizon;
  horizon = sim::Time::never();
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
      if (*warn * 1'000'000'000 <= now_unix_ns) {
        horizon = now;
        return verdict;
      }
      before(*warn);
    }
  }
  return verdict;
}

}  // namespace sasim::model
