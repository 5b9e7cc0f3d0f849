#include "properties/token_review_checks.h"

#include <fmt/format.h>

#include "properties/invariant.h"

namespace sasim::properties {
namespace {

// A token shortened for messages: its start and end, never a whole JWT.
std::string abbreviated(const std::string& token) {
  if (token.size() <= 24) return token;
  return token.substr(0, 12) + "..." + token.substr(token.size() - 8);
}

std::string answer(bool authenticated, const std::string& user, const std::string& uid, const std::string& reason) {
  return authenticated ? fmt::format("authenticated as {} (uid {})", user, uid) : fmt::format("rejected (\"{}\")", reason);
}

}  // namespace

CheckOutcome check_token_review(const model::DataValue& token, const model::TokenReviewResult& result,
                                const TokenOracle& oracle, bool lookup, const ReviewLookup& objects, sim::Time now) {
  CheckOutcome out;
  const std::optional<ExpectedReview> expected = oracle.judge_presented(token, lookup, objects);
  if (!expected) return out;
  out.checks = 1;
  bool agrees = expected->authenticated == result.authenticated;
  if (agrees && expected->authenticated) {
    agrees = expected->username == result.username && expected->uid == result.uid &&
             expected->groups == result.groups && expected->extra == result.extra;
  } else if (agrees) {
    agrees = expected->reason == result.error;
  }
  // V7: a use the apiserver must record shows in storage at once (the
  // write is part of the review), unless the Secret is gone or replaced.
  if (agrees && expected->last_used_write && objects.stored_secret) {
    const auto& w = *expected->last_used_write;
    const auto* stored = model::as<model::Secret>(objects.stored_secret(w.ns, w.name));
    if (stored != nullptr && stored->metadata.uid == w.uid) {
      const auto it = stored->metadata.labels.find("kubernetes.io/legacy-token-last-used");
      const std::string label = it == stored->metadata.labels.end() ? "" : it->second;
      if (label != w.today) {
        Violation v;
        v.invariant = std::string(kTokenReviewsAreCorrect);
        v.time = now;
        v.message = fmt::format(
            "the token {} was used on {} but secret {}/{} says kubernetes.io/legacy-token-last-used={}: Kubernetes "
            "records the use",
            abbreviated(token.bytes()), w.today, w.ns, w.name, label.empty() ? "(none)" : label);
        v.objects.push_back(object_ref(model::Kind::kSecret, w.ns, w.name));
        out.violations.push_back(std::move(v));
      }
    }
  }
  if (agrees) return out;
  Violation v;
  v.invariant = std::string(kTokenReviewsAreCorrect);
  v.time = now;
  v.message = fmt::format("the token {} was {}, but Kubernetes answers: {}", abbreviated(token.bytes()),
                          answer(result.authenticated, result.username, result.uid, result.error),
                          answer(expected->authenticated, expected->username, expected->uid, expected->reason));
  // The account the token names, when its claims can be read at all.
  if (auto claims = oracle.verify_presented(token)) {
    if (!claims->ns.empty() && !claims->secret_name.empty()) {
      v.objects.push_back(object_ref(model::Kind::kSecret, claims->ns, claims->secret_name));
    }
    if (!claims->ns.empty() && !claims->service_account_name.empty()) {
      v.objects.push_back(object_ref(model::Kind::kServiceAccount, claims->ns, claims->service_account_name));
    }
  }
  out.violations.push_back(std::move(v));
  return out;
}

CheckOutcome check_last_used_write(const model::StoreChange& change, const model::ObjectPtr& cached,
                                   std::int64_t epoch_unix_seconds, sim::Time now) {
  CheckOutcome out;
  if (change.user != "system:apiserver" || change.type != model::WatchEventType::kModified) return out;
  const auto* written = model::as<model::Secret>(change.object);
  if (written == nullptr) return out;
  out.checks = 1;
  const auto label = [](const model::Secret* secret) {
    if (secret == nullptr) return std::string();
    const auto it = secret->metadata.labels.find("kubernetes.io/legacy-token-last-used");
    return it == secret->metadata.labels.end() ? std::string() : it->second;
  };
  const std::int64_t now_unix = epoch_unix_seconds + now.since_start().ns() / 1'000'000'000;
  const std::string today = oracle_utc_date(now_unix);
  const std::string before = label(model::as<model::Secret>(cached));
  std::string why;
  if (label(written) != today) {
    why = fmt::format("wrote kubernetes.io/legacy-token-last-used={} on {}", label(written), today);
  } else if (before == today || before == oracle_utc_date(now_unix + 24 * 3600)) {
    why = fmt::format("wrote kubernetes.io/legacy-token-last-used again although its copy already said {} on {}",
                      before, today);
  }
  if (why.empty()) return out;
  Violation v;
  v.invariant = std::string(kTokenReviewsAreCorrect);
  v.time = now;
  v.message = fmt::format("kube-apiserver {} (secret {}/{}): Kubernetes writes the label at most once a day",
                          why, written->metadata.namespace_, written->metadata.name);
  v.objects.push_back(object_ref(model::Kind::kSecret, written->metadata.namespace_, written->metadata.name));
  out.violations.push_back(std::move(v));
  return out;
}

}  // namespace sasim::properties
