#include "properties/bound_token_checks.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/auth/base64.h"
#include "model/auth/bound_claims.h"
#include "properties/invariant.h"
#include "properties/token_oracle.h"

namespace sasim::properties {
namespace {

using nlohmann::json;

constexpr std::int64_t kLeewaySeconds = 60;  // go-jose's DefaultLeeway, and the deletion grace of BV4

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void read_ref(const json& ns_claims, const char* key, std::string& name, std::string& uid) {
  auto it = ns_claims.find(key);
  if (it == ns_claims.end() || !it->is_object()) return;
  name = string_at(*it, "name");
  uid = string_at(*it, "uid");
}

std::int64_t unix_seconds(sim::Time t, std::int64_t epoch) { return epoch + t.ns() / 1'000'000'000; }

// Deleted more than the leeway ago (a future deletionTimestamp, a graceful
// deletion, keeps the token valid).
bool deleted_too_long_ago(const model::Object& object, sim::Time now) {
  const auto& deletion = model::meta(object).deletion_timestamp;
  return deletion && *deletion + sim::Duration::seconds(kLeewaySeconds) < now;
}

}  // namespace

std::optional<KnownWeakness> held_for_a_recreated_account(const BoundTokenClaims& claims, const BoundLookup& objects,
                                                          sim::Time now) {
  if (unix_seconds(now, objects.epoch_unix_seconds) > claims.exp + kLeewaySeconds) return std::nullopt;
  const model::ObjectPtr sa = objects.get(model::Kind::kServiceAccount, claims.ns, claims.service_account_name);
  if (!sa || model::meta(*sa).uid == claims.service_account_uid) return std::nullopt;
  return KnownWeakness{.weakness = "kubelet-keeps-token-of-recreated-account",
                       .upstream = "kubernetes/kubernetes#106049"};
}

namespace {

// The bound-token claims of a parsed payload.
std::optional<BoundTokenClaims> bound_claims_of(const json& claims) {
  if (!claims.is_object()) return std::nullopt;
  auto k8s = claims.find("kubernetes.io");
  if (k8s == claims.end() || !k8s->is_object() || !k8s->contains("serviceaccount")) return std::nullopt;
  BoundTokenClaims out;
  out.issuer = string_at(claims, "iss");
  out.subject = string_at(claims, "sub");
  if (auto exp = claims.find("exp"); exp != claims.end() && exp->is_number()) out.exp = exp->get<std::int64_t>();
  out.ns = string_at(*k8s, "namespace");
  read_ref(*k8s, "serviceaccount", out.service_account_name, out.service_account_uid);
  read_ref(*k8s, "pod", out.pod_name, out.pod_uid);
  read_ref(*k8s, "secret", out.secret_name, out.secret_uid);
  read_ref(*k8s, "node", out.node_name, out.node_uid);
  return out;
}

// A bound token nobody read, by the claims its payload will hold (the
// same fields bound_claims_of reads from the payload, without encoding it).
BoundTokenClaims bound_claims_of(const model::auth::BoundClaims& claims) {
  BoundTokenClaims out;
  out.issuer = claims.issuer;
  out.subject = claims.subject;
  out.exp = claims.expiry.value_or(0);
  out.ns = claims.ns;
  out.service_account_name = claims.service_account.name;
  out.service_account_uid = claims.service_account.uid;
  auto read = [](const std::optional<model::auth::ClaimRef>& ref, std::string& name, std::string& uid) {
    if (!ref) return;
    name = ref->name;
    uid = ref->uid;
  };
  read(claims.pod, out.pod_name, out.pod_uid);
  read(claims.secret, out.secret_name, out.secret_uid);
  read(claims.node, out.node_name, out.node_uid);
  return out;
}

// The claims of `token`: a bound token nobody read by its claims, one the
// oracle verified from its cache (the payload it keeps is the middle
// segment, decoded and parsed as read_bound_claims would), read from the
// bytes otherwise.
std::optional<BoundTokenClaims> claims_of(const model::DataValue& token, const TokenOracle* oracle) {
  if (oracle != nullptr) {
    if (const model::auth::BoundClaims* unread = oracle->unread_bound_claims(token)) return bound_claims_of(*unread);
    if (const std::optional<VerifiedClaims> verified = oracle->verify_presented(token); verified && verified->payload) {
      return bound_claims_of(*verified->payload);
    }
  }
  return read_bound_claims(token.bytes());
}

}  // namespace

std::optional<BoundTokenClaims> read_bound_claims(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto payload = model::auth::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  return bound_claims_of(json::parse(*payload, nullptr, /*allow_exceptions=*/false));
}

std::string bound_token_must_be_rejected(const BoundTokenClaims& claims, const BoundLookup& objects, sim::Time now) {
  const std::int64_t t = unix_seconds(now, objects.epoch_unix_seconds);
  if (t > claims.exp + kLeewaySeconds) return fmt::format("it expired at {} (now {})", claims.exp, t);
  const model::ObjectPtr sa = objects.get(model::Kind::kServiceAccount, claims.ns, claims.service_account_name);
  if (!sa) return "its ServiceAccount " + claims.ns + "/" + claims.service_account_name + " is gone";
  if (model::meta(*sa).uid != claims.service_account_uid) {
    return fmt::format("its ServiceAccount has uid {}, the token names {}", model::meta(*sa).uid,
                       claims.service_account_uid);
  }
  if (deleted_too_long_ago(*sa, now)) return "its ServiceAccount was deleted more than 60 s ago";
  auto bound = [&](model::Kind kind, const std::string& name, const std::string& uid, const char* what) -> std::string {
    if (name.empty()) return {};
    const std::string ns = model::is_namespaced(kind) ? claims.ns : std::string();
    const model::ObjectPtr object = objects.get(kind, ns, name);
    if (!object) return ns.empty() ? fmt::format("its {} {} is gone", what, name) : fmt::format("its {} {}/{} is gone", what, ns, name);
    if (model::meta(*object).uid != uid) return fmt::format("its {} has uid {}, the token names {}", what, model::meta(*object).uid, uid);
    if (deleted_too_long_ago(*object, now)) return fmt::format("its {} was deleted more than 60 s ago", what);
    return {};
  };
  if (std::string why = bound(model::Kind::kPod, claims.pod_name, claims.pod_uid, "pod"); !why.empty()) return why;
  if (std::string why = bound(model::Kind::kSecret, claims.secret_name, claims.secret_uid, "Secret"); !why.empty()) {
    return why;
  }
  // BV5: only a token bound to the Node alone is judged by it.
  if (claims.pod_name.empty()) return bound(model::Kind::kNode, claims.node_name, claims.node_uid, "Node");
  return {};
}

CheckOutcome check_bound_token_review(const model::DataValue& token, const model::TokenReviewResult& result,
                                      const std::vector<std::string>& bound_issuers, const BoundLookup& objects,
                                      sim::Time now, const TokenOracle* oracle) {
  CheckOutcome outcome;
  if (!result.authenticated) return outcome;
  const std::optional<BoundTokenClaims> claims = claims_of(token, oracle);
  if (!claims || std::find(bound_issuers.begin(), bound_issuers.end(), claims->issuer) == bound_issuers.end()) {
    return outcome;
  }
  outcome.checks = 1;
  const std::string why = bound_token_must_be_rejected(*claims, objects, now);
  if (why.empty()) return outcome;
  std::vector<std::string> refs{object_ref(model::Kind::kServiceAccount, claims->ns, claims->service_account_name)};
  if (!claims->pod_name.empty()) refs.insert(refs.begin(), object_ref(model::Kind::kPod, claims->ns, claims->pod_name));
  if (!claims->secret_name.empty()) {
    refs.insert(refs.begin(), object_ref(model::Kind::kSecret, claims->ns, claims->secret_name));
  }
  if (claims->pod_name.empty() && !claims->node_name.empty()) {
    refs.insert(refs.begin(), object_ref(model::Kind::kNode, "", claims->node_name));
  }
  outcome.violations.push_back(Violation{
      .invariant = std::string(kBoundTokensRespectTheirObjects),
      .time = now,
      .message = "a bound token of " + claims->subject + " was accepted although " + why,
      .objects = std::move(refs),
      .known = std::nullopt});
  return outcome;
}

CheckOutcome check_running_pods_hold_valid_tokens(const std::vector<RunningPodToken>& pods,
                                                  const std::vector<std::string>& bound_issuers,
                                                  const BoundLookup& objects, sim::Time now,
                                                  const TokenOracle* oracle) {
  CheckOutcome outcome;
  for (const RunningPodToken& running : pods) {
    const auto& pod = std::get<model::Pod>(*running.pod);
    // A pod whose account is gone cannot hold a valid token: upstream keeps
    // it running, its kubelet's TokenRequests fail (404) and it keeps the
    // last token until it expires. Nothing in Kubernetes repairs that but
    // the account's return, so it is not this invariant's to judge.
    const model::ObjectPtr account =
        objects.get(model::Kind::kServiceAccount, pod.metadata.namespace_, pod.spec.service_account_name);
    if (!account) continue;
    // Nor, until the kubelet's next sync, an expired token of the account
    // before it came back (its refreshes failed while the account was
    // gone; the next sync asks again): judged once the grace has passed.
    // One not yet expired is the known weakness below, judged at once.
    if (running.token && objects.recreated_account_grace > sim::Duration::zero() &&
        now - model::meta(*account).creation_timestamp < objects.recreated_account_grace) {
      const std::optional<BoundTokenClaims> claims = claims_of(*running.token, oracle);
      if (claims && claims->service_account_uid != model::meta(*account).uid &&
          unix_seconds(now, objects.epoch_unix_seconds) > claims->exp + kLeewaySeconds) {
        continue;
      }
    }
    ++outcome.checks;
    std::string why;
    std::optional<KnownWeakness> known;
    if (!running.token) {
      why = "its process holds no token";
    } else if (const std::optional<BoundTokenClaims> claims = claims_of(*running.token, oracle); !claims) {
      why = "its process holds no bound token";
    } else if (std::find(bound_issuers.begin(), bound_issuers.end(), claims->issuer) == bound_issuers.end()) {
      why = "its token's issuer " + claims->issuer + " is not the apiserver's";
    } else if (claims->ns != pod.metadata.namespace_ || claims->service_account_name != pod.spec.service_account_name) {
      why = "its token is for " + claims->subject;
    } else if (claims->pod_name != pod.metadata.name || claims->pod_uid != pod.metadata.uid) {
      why = "its token is bound to pod " + claims->pod_name + " uid " + claims->pod_uid;
    } else {
      why = bound_token_must_be_rejected(*claims, objects, now);
      known = held_for_a_recreated_account(*claims, objects, now);
    }
    if (why.empty()) continue;
    outcome.violations.push_back(Violation{
        .invariant = std::string(kRunningPodsHoldValidTokens),
        .time = now,
        .message = fmt::format("running pod {}/{} holds a token that does not authenticate as "
                               "system:serviceaccount:{}:{}: {}",
                               pod.metadata.namespace_, pod.metadata.name, pod.metadata.namespace_,
                               pod.spec.service_account_name, why),
        .objects = {object_ref(model::Kind::kPod, pod.metadata.namespace_, pod.metadata.name),
                    object_ref(model::Kind::kServiceAccount, pod.metadata.namespace_, pod.spec.service_account_name)},
        .known = std::move(known)});
  }
  return outcome;
}

}  // namespace sasim::properties
