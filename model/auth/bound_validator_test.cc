// Upstream's TestValidatePrivateClaims (claims_test.go) with its deletion
// grid, in both wordings: the capitalised one of 1.20-1.22 (CLM-22) and the
// lowercase one of 1.23+ (CLM-23), plus what the grid does not cover: the
// leeway on exp and nbf, BV4's order when two checks fail, the pod extra and
// the stale-token annotation.
#include "model/auth/bound_validator.h"

#include <catch2/catch.hpp>
#include <map>

namespace sasim::model::auth {
namespace bound_validator_test {

constexpr std::int64_t kNowUnix = 1514764800;
constexpr std::int64_t kNow = kNowUnix * 1'000'000'000LL;

// fakeGetter: at most one account, Secret and pod.
class FakeGetter final : public BoundObjectGetter {
 public:
  std::optional<Object> account, secret_object, pod_object;

  sim::Result<Object> service_account(std::string_view, std::string_view name) override {
    if (!account) return sim::unexpected(sim::Error{"serviceaccounts \"" + std::string(name) + "\" not found"});
    return *account;
  }
  std::optional<Object> secret(std::string_view, std::string_view) override { return secret_object; }
  std::optional<Object> pod(std::string_view, std::string_view) override { return pod_object; }
};

const BoundObjectGetter::Object kAccount{"sauid", std::nullopt};
const BoundObjectGetter::Object kSecret{"secretuid", std::nullopt};
const BoundObjectGetter::Object kPod{"poduid", std::nullopt};

BoundClaims private_claims(std::string sa_uid = "sauid") {
  BoundClaims claims;
  claims.subject = "system:serviceaccount:ns:saname";
  claims.ns = "ns";
  claims.service_account = {"saname", std::move(sa_uid)};
  claims.expiry = kNowUnix;  // upstream's default: exp = now
  return claims;
}

struct Case {
  std::string name;
  FakeGetter getter;
  BoundClaims claims;
  std::string lowercase_error;    // 1.23+; empty: valid
  std::string capitalised_error;  // <= 1.22
};

std::vector<Case> upstream_cases() {
  std::vector<Case> cases;
  auto getter = [](std::optional<BoundObjectGetter::Object> sa, std::optional<BoundObjectGetter::Object> secret,
                   std::optional<BoundObjectGetter::Object> pod) {
    FakeGetter g;
    g.account = std::move(sa);
    g.secret_object = std::move(secret);
    g.pod_object = std::move(pod);
    return g;
  };
  cases.push_back({"good", getter(kAccount, {}, {}), private_claims(), "", ""});
  {
    BoundClaims c = private_claims();
    c.expiry = kNowUnix - 1000 * 3600;
    cases.push_back({"expired", getter(kAccount, {}, {}), c, "service account token has expired", "Token has expired."});
  }
  {
    BoundClaims c = private_claims();
    c.not_before = kNowUnix + 1000 * 3600;
    // CLM-22 has no branch for ErrNotValidYet: its default message.
    cases.push_back({"not yet valid", getter(kAccount, {}, {}), c, "service account token is not valid yet",
                     "Token could not be validated."});
  }
  cases.push_back({"missing serviceaccount", getter({}, {}, {}), private_claims(),
                   "serviceaccounts \"saname\" not found", "serviceaccounts \"saname\" not found"});
  {
    BoundClaims c = private_claims();
    c.secret = ClaimRef{"secretname", "secretuid"};
    cases.push_back({"missing secret", getter(kAccount, {}, {}), c, "service account token has been invalidated",
                     "Token has been invalidated"});
  }
  {
    BoundClaims c = private_claims();
    c.pod = ClaimRef{"podname", "poduid"};
    cases.push_back({"missing pod", getter(kAccount, {}, {}), c, "service account token has been invalidated",
                     "Token has been invalidated"});
  }
  cases.push_back({"different uid serviceaccount", getter(kAccount, {}, {}), private_claims("sauidold"),
                   "service account UID (sauid) does not match claim (sauidold)",
                   "ServiceAccount UID (sauid) does not match claim (sauidold)"});
  {
    BoundClaims c = private_claims();
    c.secret = ClaimRef{"secretname", "secretuidold"};
    cases.push_back({"different uid secret", getter(kAccount, kSecret, {}), c,
                     "secret UID (secretuid) does not match service account secret ref claim (secretuidold)",
                     "Secret UID (secretuid) does not match claim (secretuidold)"});
  }
  {
    BoundClaims c = private_claims();
    c.pod = ClaimRef{"podname", "poduidold"};
    cases.push_back({"different uid pod", getter(kAccount, {}, kPod), c,
                     "pod UID (poduid) does not match service account pod ref claim (poduidold)",
                     "Pod UID (poduid) does not match claim (poduidold)"});
  }

  // The deletion grid: only a deletionTimestamp more than the leeway in the past invalidates.
  struct Deletion {
    std::string name;
    std::optional<std::int64_t> at;
    bool invalid;
  };
  const Deletion grid[] = {{"valid", std::nullopt, false},          {"deleted now", kNowUnix, false},
                           {"deleted near past", kNowUnix - 1, false}, {"deleted near future", kNowUnix + 1, false},
                           {"deleted now-leeway", kNowUnix - 60, false}, {"deleted now-leeway-1", kNowUnix - 61, true}};
  for (const Deletion& d : grid) {
    BoundObjectGetter::Object sa = kAccount, secret = kSecret, pod = kPod;
    sa.deletion_unix_seconds = secret.deletion_unix_seconds = pod.deletion_unix_seconds = d.at;
    cases.push_back({d.name + " serviceaccount", getter(sa, {}, {}), private_claims(),
                     d.invalid ? "service account ns/saname has been deleted" : "",
                     d.invalid ? "ServiceAccount ns/saname has been deleted" : ""});
    BoundClaims with_secret = private_claims();
    with_secret.secret = ClaimRef{"secretname", "secretuid"};
    cases.push_back({d.name + " secret", getter(kAccount, secret, {}), with_secret,
                     d.invalid ? "service account token has been invalidated" : "",
                     d.invalid ? "Token has been invalidated" : ""});
    BoundClaims with_pod = private_claims();
    with_pod.pod = ClaimRef{"podname", "poduid"};
    cases.push_back({d.name + " pod", getter(kAccount, {}, pod), with_pod,
                     d.invalid ? "service account token has been invalidated" : "",
                     d.invalid ? "Token has been invalidated" : ""});
  }
  return cases;
}

void run(const std::vector<Case>& cases, bool capitalised) {
  BoundValidatorOptions options;
  options.capitalised_messages = capitalised;
  for (Case c : cases) {
    SECTION(c.name) {
      const std::string& want = capitalised ? c.capitalised_error : c.lowercase_error;
      auto user = validate_bound_token(c.claims, c.getter, kNow, options);
      if (want.empty()) {
        CHECK(user.ok());
        if (user.ok()) CHECK(user.value().uid == c.claims.service_account.uid);
      } else {
        REQUIRE_FALSE(user.ok());
        CHECK(user.error().message == want);
      }
    }
  }
}

TEST_CASE("TestValidatePrivateClaims with the lowercase messages of 1.23 on") { run(upstream_cases(), false); }

TEST_CASE("TestValidatePrivateClaims with the capitalised messages of 1.20 to 1.22") { run(upstream_cases(), true); }

TEST_CASE("exp and nbf are judged with a minute of leeway to the nanosecond") {
  FakeGetter g;
  g.account = kAccount;
  BoundClaims claims = private_claims();
  claims.expiry = kNowUnix - 60;
  CHECK(validate_bound_token(claims, g, kNow, {}).ok());         // exactly exp + 60 s: still valid
  CHECK_FALSE(validate_bound_token(claims, g, kNow + 1, {}).ok());  // one nanosecond later: expired
  claims.expiry = kNowUnix + 3600;
  claims.not_before = kNowUnix + 60;
  CHECK(validate_bound_token(claims, g, kNow, {}).ok());
  CHECK(validate_bound_token(claims, g, kNow - 1, {}).error().message == "service account token is not valid yet");
}

TEST_CASE("before go-jose 2.6 a token without exp is expired and a future iat is not checked") {
  FakeGetter g;
  g.account = kAccount;
  BoundClaims claims = private_claims();
  claims.expiry.reset();
  CHECK(validate_bound_token(claims, g, kNow, {}).error().message == "service account token has expired");
  BoundValidatorOptions v26;
  v26.go_jose_checks_iat = true;
  CHECK(validate_bound_token(claims, g, kNow, v26).ok());
  claims.expiry = kNowUnix + 7200;
  claims.issued_at = kNowUnix + 3600;
  CHECK(validate_bound_token(claims, g, kNow, {}).ok());
  CHECK(validate_bound_token(claims, g, kNow, v26).error().message == "service account token is issued in the future");
}

TEST_CASE("when the uid and the deletion both fail the deletion wins until 1.30 and the uid from 1.30") {
  FakeGetter g;
  g.account = BoundObjectGetter::Object{"sauid", kNowUnix - 3600};
  const BoundClaims claims = private_claims("sauidold");
  CHECK(validate_bound_token(claims, g, kNow, {}).error().message == "service account ns/saname has been deleted");
  BoundValidatorOptions v30;
  v30.uid_before_deletion = true;
  CHECK(validate_bound_token(claims, g, kNow, v30).error().message ==
        "service account UID (sauid) does not match claim (sauidold)");
}

TEST_CASE("a pod-bound token's user carries the pod's name and uid as extra and others carry none") {
  FakeGetter g;
  g.account = kAccount;
  g.pod_object = kPod;
  g.secret_object = kSecret;
  BoundClaims claims = private_claims();
  auto plain = validate_bound_token(claims, g, kNow, {});
  REQUIRE(plain.ok());
  CHECK(plain.value().name == "system:serviceaccount:ns:saname");
  CHECK(plain.value().groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:ns"});
  CHECK(plain.value().extra.empty());
  claims.secret = ClaimRef{"secretname", "secretuid"};
  CHECK(validate_bound_token(claims, g, kNow, {}).value().extra.empty());
  claims.secret.reset();
  claims.pod = ClaimRef{"podname", "poduid"};
  const auto user = validate_bound_token(claims, g, kNow, {});
  REQUIRE(user.ok());
  CHECK(user.value().extra == std::map<std::string, std::vector<std::string>>{
                                  {"authentication.kubernetes.io/pod-name", {"podname"}},
                                  {"authentication.kubernetes.io/pod-uid", {"poduid"}}});
}

TEST_CASE("a token used after its warnafter is accepted with a stale-token annotation") {
  FakeGetter g;
  g.account = kAccount;
  BoundClaims claims = private_claims();
  claims.expiry = kNowUnix + 365 * 24 * 3600;
  claims.warn_after = kNowUnix - 1200715;
  std::map<std::string, std::string> audit;
  REQUIRE(validate_bound_token(claims, g, kNow, {}, &audit).ok());
  CHECK(audit["authentication.k8s.io/stale-token"] ==
        "subject: system:serviceaccount:ns:saname, seconds after warning threshold: 1200715");
  audit.clear();
  claims.warn_after = kNowUnix + 10;
  REQUIRE(validate_bound_token(claims, g, kNow, {}, &audit).ok());
  CHECK(audit.empty());
}

}  // namespace bound_validator_test
}  // namespace sasim::model::auth
