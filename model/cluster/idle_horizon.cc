#include "model/cluster/idle_horizon.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

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

// What the verdict of a token depends on: its time thresholds (unix
// seconds) and the objects the authenticator and the invariants' judgment
// look up for it: a bound token's (`kubernetes.io`) namespace,
// ServiceAccount, and the pod, Secret and node it is bound to; a legacy
// token's Secret and ServiceAccount; and the ServiceAccount its subject
// names. A token of neither shape reads anything (`known` false).
struct TokenFacts {
  std::optional<std::int64_t> exp, nbf, iat, warn_after;
  std::vector<ObjectId> reads;
  bool known = false;
};

// "system:serviceaccount:NS:NAME"
void add_subject_read(std::string_view subject, TokenFacts& facts) {
  constexpr std::string_view kPrefix = "system:serviceaccount:";
  if (!subject.starts_with(kPrefix)) return;
  const std::string_view rest = subject.substr(kPrefix.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return;
  facts.reads.push_back({Kind::kServiceAccount, std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))});
}

// From a JWT's payload as parsed.
TokenFacts facts_of_payload(const nlohmann::json& claims) {
  TokenFacts facts;
  if (!claims.is_object()) return facts;
  facts.exp = seconds_claim(claims, "exp");
  facts.nbf = seconds_claim(claims, "nbf");
  facts.iat = seconds_claim(claims, "iat");
  auto private_claims = claims.find("kubernetes.io");
  if (private_claims != claims.end() && private_claims->is_object()) {
    facts.warn_after = seconds_claim(*private_claims, "warnafter");
    const std::string* ns = string_member(*private_claims, "namespace");
    if (ns == nullptr) return facts;  // of no known shape
    facts.known = true;
    facts.reads.push_back({Kind::kNamespace, "", *ns});
    auto named = [&](const char* member, Kind kind, bool namespaced) {
      auto ref = private_claims->find(member);
      if (ref == private_claims->end() || !ref->is_object()) return;
      if (const std::string* name = string_member(*ref, "name")) {
        facts.reads.push_back({kind, namespaced ? *ns : std::string(), *name});
      }
    };
    named("serviceaccount", Kind::kServiceAccount, true);
    named("pod", Kind::kPod, true);
    named("secret", Kind::kSecret, true);
    named("node", Kind::kNode, false);
  }
  if (const std::string* ns = string_member(claims, auth::kNamespaceClaim)) {
    facts.known = true;
    facts.reads.push_back({Kind::kNamespace, "", *ns});
    if (const std::string* secret = string_member(claims, auth::kSecretNameClaim)) {
      facts.reads.push_back({Kind::kSecret, *ns, *secret});
    }
    if (const std::string* sa = string_member(claims, auth::kServiceAccountNameClaim)) {
      facts.reads.push_back({Kind::kServiceAccount, *ns, *sa});
    }
  }
  if (const std::string* subject = string_member(claims, "sub")) add_subject_read(*subject, facts);
  return facts;
}

// From a bound token nobody read: its claims as its payload will hold them
// (to_json writes warnafter only when set), without encoding them.
TokenFacts facts_of_bound(const auth::BoundClaims& claims) {
  TokenFacts facts;
  facts.exp = claims.expiry;
  facts.nbf = claims.not_before;
  facts.iat = claims.issued_at;
  if (claims.warn_after != 0) facts.warn_after = claims.warn_after;
  facts.known = true;
  facts.reads.push_back({Kind::kNamespace, "", claims.ns});
  facts.reads.push_back({Kind::kServiceAccount, claims.ns, claims.service_account.name});
  if (claims.pod) facts.reads.push_back({Kind::kPod, claims.ns, claims.pod->name});
  if (claims.secret) facts.reads.push_back({Kind::kSecret, claims.ns, claims.secret->name});
  if (claims.node) facts.reads.push_back({Kind::kNode, "", claims.node->name});
  add_subject_read(claims.subject, facts);
  return facts;
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
  TokenFacts facts;
  if (const auto* bound = dynamic_cast<const auth::BoundToken*>(token.lazy())) {
    facts = facts_of_bound(bound->claims());
  } else {
    auto jwt = auth::parse_jwt(token.bytes(), auth::JwsParsing::kCompactOnly);
    if (!jwt) {
      // Not a compact JWT: the authenticator reads nothing for it.
      verdict.horizon = sim::Time::never();
      verdict.reads_anything = true;
      return verdict;
    }
    facts = facts_of_payload(jwt.value().claims);
  }
  verdict.reads.insert(verdict.reads.end(), std::make_move_iterator(facts.reads.begin()),
                       std::make_move_iterator(facts.reads.end()));
  verdict.reads_anything = !facts.known;
  sim::Time& horizon = verdict.horizon;
  horizon = sim::Time::never();
  auto before = [&](std::int64_t unix_seconds) {
    const std::int64_t at_ns = unix_seconds * 1'000'000'000;
    if (at_ns <= now_unix_ns) return;
    horizon = std::min(horizon, now + sim::Duration::nanoseconds(at_ns - now_unix_ns));
  };
  if (facts.exp) {
    before(*facts.exp + kLeewaySeconds);
  } else {
    before((now_unix / kSecondsPerDay + 1) * kSecondsPerDay);
  }
  if (facts.nbf) before(*facts.nbf - kLeewaySeconds);
  if (facts.iat) before(*facts.iat - kLeewaySeconds);
  if (facts.warn_after) {
    if (*facts.warn_after * 1'000'000'000 <= now_unix_ns) {
      horizon = now;
      return verdict;
    }
    before(*facts.warn_after);
  }
  return verdict;
}

}  // namespace sasim::model
