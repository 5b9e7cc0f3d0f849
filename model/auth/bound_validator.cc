#include "model/auth/bound_validator.h"

#include <fmt/format.h>

#include "model/auth/identity.h"

namespace sasim::model::auth {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kLeewayNanos = kBoundTokenLeewaySeconds * kNanosPerSecond;

sim::Result<UserInfo> reject(std::string message) { return sim::unexpected(sim::Error{std::move(message)}); }

// go-jose's Claims.ValidateWithLeeway with jwt.DefaultLeeway, for the time
// claims only (the validator passes no expected issuer, subject or
// audience). Returns the error go-jose names, or nothing.
enum class TimeError { kNone, kNotValidYet, kExpired, kIssuedInTheFuture };

TimeError check_times(const BoundClaims& claims, std::int64_t now_nanos, bool go_jose_checks_iat) {
  // A NumericDate is whole seconds; time.Time comparisons are strict.
  auto at = [](std::int64_t seconds) { return seconds * kNanosPerSecond; };
  if (go_jose_checks_iat) {
    if (claims.not_before && now_nanos + kLeewayNanos < at(*claims.not_before)) return TimeError::kNotValidYet;
    if (claims.expiry && now_nanos - kLeewayNanos > at(*claims.expiry)) return TimeError::kExpired;
    if (claims.issued_at && now_nanos + kLeewayNanos < at(*claims.issued_at)) return TimeError::kIssuedInTheFuture;
    return TimeError::kNone;
  }
  // Before go-jose 2.6 a missing claim reads as the zero time (year 1): a
  // missing nbf is long past, a missing exp long expired.
  if (claims.not_before && now_nanos + kLeewayNanos < at(*claims.not_before)) return TimeError::kNotValidYet;
  if (!claims.expiry || now_nanos - kLeewayNanos > at(*claims.expiry)) return TimeError::kExpired;
  return TimeError::kNone;
}

// "Deleted" is a deletionTimestamp before now - leeway, so a graceful
// deletion (a timestamp in the future) keeps the token valid until a minute
// after it.
bool deleted(const BoundObjectGetter::Object& object, std::int64_t now_nanos) {
  return object.deletion_unix_seconds && *object.deletion_unix_seconds * kNanosPerSecond < now_nanos - kLeewayNanos;
}

struct Messages {
  std::string_view expired;
  std::string_view not_valid_yet;
  std::string_view issued_in_future;
  std::string_view could_not_validate;
  std::string_view account_deleted;  // {ns}/{name}
  std::string_view account_uid;      // {live} {claim}
  std::string_view invalidated;
  std::string_view secret_uid;
  std::string_view pod_uid;
};

// CLM-22 (<= 1.22) and CLM-23 (1.23+).
constexpr Messages kCapitalised{
    "Token has expired.",
    "Token could not be validated.",
    "Token could not be validated.",
    "Token could not be validated.",
    "ServiceAccount {}/{} has been deleted",
    "ServiceAccount UID ({}) does not match claim ({})",
    "Token has been invalidated",
    "Secret UID ({}) does not match claim ({})",
    "Pod UID ({}) does not match claim ({})",
};
constexpr Messages kLowercase{
    "service account token has expired",
    "service account token is not valid yet",
    "service account token is issued in the future",
    "service account token claims could not be validated due to unexpected validation error",
    "service account {}/{} has been deleted",
    "service account UID ({}) does not match claim ({})",
    "service account token has been invalidated",
    "secret UID ({}) does not match service account secret ref claim ({})",
    "pod UID ({}) does not match service account pod ref claim ({})",
};

}  // namespace

sim::Result<UserInfo> validate_bound_token(const BoundClaims& claims, BoundObjectGetter& getter,
                                           std::int64_t now_unix_nanos, const BoundValidatorOptions& options,
                                           std::map<std::string, std::string>* audit_annotations) {
  const Messages& m = options.capitalised_messages ? kCapitalised : kLowercase;
  switch (check_times(claims, now_unix_nanos, options.go_jose_checks_iat)) {
    case TimeError::kNone:
      break;
    case TimeError::kExpired:
      return reject(std::string(m.expired));
    case TimeError::kNotValidYet:
      return reject(std::string(m.not_valid_yet));
    case TimeError::kIssuedInTheFuture:
      return reject(std::string(m.issued_in_future));
  }

  const std::string& ns = claims.ns;
  const ClaimRef& sa_ref = claims.service_account;
  auto sa = getter.service_account(ns, sa_ref.name);
  if (!sa) return reject(sa.error().message);
  const auto account_deleted = [&] {
    return reject(fmt::format(fmt::runtime(m.account_deleted), ns, sa_ref.name));
  };
  if (!options.uid_before_deletion && deleted(sa.value(), now_unix_nanos)) return account_deleted();
  if (sa.value().uid != sa_ref.uid) return reject(fmt::format(fmt::runtime(m.account_uid), sa.value().uid, sa_ref.uid));
  if (options.uid_before_deletion && deleted(sa.value(), now_unix_nanos)) return account_deleted();

  // A bound Secret or pod: missing or deleted invalidates the token; another
  // uid is another object of the same name.
  const auto check_bound = [&](const std::optional<BoundObjectGetter::Object>& live, const ClaimRef& ref,
                               std::string_view uid_message) -> std::optional<std::string> {
    if (!live) return std::string(m.invalidated);
    if (!options.uid_before_deletion && deleted(*live, now_unix_nanos)) return std::string(m.invalidated);
    if (live->uid != ref.uid) return fmt::format(fmt::runtime(uid_message), live->uid, ref.uid);
    if (options.uid_before_deletion && deleted(*live, now_unix_nanos)) return std::string(m.invalidated);
    return std::nullopt;
  };
  if (claims.secret) {
    if (auto why = check_bound(getter.secret(ns, claims.secret->name), *claims.secret, m.secret_uid)) return reject(*why);
  }
  UserInfo user{service_account_username(ns, sa_ref.name), sa_ref.uid, service_account_groups(ns), {}};
  if (claims.pod) {
    if (!options.broken_ignore_pod) {
      if (auto why = check_bound(getter.pod(ns, claims.pod->name), *claims.pod, m.pod_uid)) return reject(*why);
    }
    // ServiceAccountInfo.UserInfo: the extra only when both are set.
    if (!claims.pod->name.empty() && !claims.pod->uid.empty()) {
      user.extra[std::string(kPodNameExtraKey)] = {claims.pod->name};
      user.extra[std::string(kPodUidExtraKey)] = {claims.pod->uid};
    }
  }

  // BV5: the node. A pod-bound token's node claim is not looked up; a
  // token bound to a node alone is judged by it.
  if (claims.node) {
    const ClaimRef& node_ref = *claims.node;
    bool node_in_extra = false;
    if (claims.pod) {
      node_in_extra = options.pod_node_info;
    } else {
      if (!options.node_binding_validation) {
        return reject(
            "token is bound to a Node object but the ServiceAccountTokenNodeBindingValidation feature gate is disabled");
      }
      if (!options.broken_ignore_node) {
        const std::optional<BoundObjectGetter::Object> live = getter.node(node_ref.name);
        if (!live) return reject(std::string(m.invalidated));
        if (live->uid != node_ref.uid) {
          return reject(fmt::format("node UID ({}) does not match service account node ref claim ({})", live->uid,
                                    node_ref.uid));
        }
        if (deleted(*live, now_unix_nanos)) return reject(std::string(m.invalidated));
      }
      node_in_extra = true;
    }
    if (node_in_extra && !node_ref.name.empty()) {
      user.extra[std::string(kNodeNameExtraKey)] = {node_ref.name};
      if (!node_ref.uid.empty()) user.extra[std::string(kNodeUidExtraKey)] = {node_ref.uid};
    }
  }
  if (options.credential_id && !claims.jti.empty()) {
    user.extra[std::string(kCredentialIdExtraKey)] = {"JTI=" + claims.jti};
  }

  // BV6: a token used after its warnafter is still accepted, with an audit annotation.
  if (claims.warn_after != 0 && now_unix_nanos > claims.warn_after * kNanosPerSecond && audit_annotations != nullptr) {
    const std::int64_t now_seconds = now_unix_nanos / kNanosPerSecond;
    (*audit_annotations)[std::string(kStaleTokenAnnotation)] =
        fmt::format("subject: {}, seconds after warning threshold: {}", claims.subject, now_seconds - claims.warn_after);
  }
  return user;
}

}  // namespace sasim::model::auth
