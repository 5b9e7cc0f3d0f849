// TokenREST (supplement §2) on a store: upstream's integration cases of
// TestServiceAccountTokenCreate (IT-28) as unit cases in both orders of
// steps (1.20-1.23 and 1.24+), the validation bounds (B4), the bound-object
// errors (B6), the cap and its warning (B7), the extension and its 1.24
// audience condition (B8) and TestCreate_Token_WithExpiryCap's interplay of
// the two, and the response's times (B10).
#include "model/apiserver/token_request.h"

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"
#include "model/objects/timestamp.h"
#include "model/versions/behaviour.h"

namespace sasim::model {
namespace {

constexpr std::int64_t kEpoch = 1577836800;
const sim::Time kNow = sim::Time::from_start(sim::Duration::hours(1));
const std::int64_t kNowUnix = kEpoch + 3600;
constexpr std::int64_t kYear = 365LL * 24 * 3600;

versions::Behaviour release(int minor) {
  auto gates = versions::resolve_feature_gates(versions::KubeVersion{minor}, {});
  REQUIRE(gates.ok());
  return versions::behaviour_of(gates.value());
}

// IT-28's setup: issuer https://foo.bar.example.com, api audiences [api],
// max expiration 2h, extension on; SA myns/test-svcacct; pods test-pod
// (that account) and other-test-pod (another); Secret test-secret.
struct World {
  Store store{sim::Prng(7)};
  TokenIssuerConfig config;
  std::string sa_uid, pod_uid, secret_uid;

  World() {
    auto key = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem());
    REQUIRE(key.ok());
    config.key = std::make_shared<const auth::SigningKey>(key.value());
    config.issuers = {"https://foo.bar.example.com"};
    config.api_audiences = {"api"};
    config.max_expiration_seconds = 2 * 3600;
    config.extend_expiration = true;
    sa_uid = create(account("test-svcacct"));
    pod_uid = create(pod("test-pod", "test-svcacct"));
    create(pod("other-test-pod", "other-test-svcacct"));
    Secret secret;
    secret.metadata.namespace_ = "myns";
    secret.metadata.name = "test-secret";
    secret_uid = create(Object(secret));
  }
  static Object account(std::string name) {
    ServiceAccount sa;
    sa.metadata.namespace_ = "myns";
    sa.metadata.name = std::move(name);
    return sa;
  }
  static Object pod(std::string name, std::string sa) {
    Pod p;
    p.metadata.namespace_ = "myns";
    p.metadata.name = std::move(name);
    p.spec.service_account_name = std::move(sa);
    return p;
  }
  std::string create(Object object) {
    auto stored = store.create(std::move(object), sim::Time::zero());
    REQUIRE(stored.ok());
    return meta(*stored.value()).uid;
  }

  TokenRequestOutcome request(int minor, const TokenRequest& body, std::string name = "test-svcacct") {
    return create_token(release(minor), config, store, "myns", name, body,
                        TokenRequestContext{kNow, kEpoch});
  }
};

TokenRequest spec(std::optional<std::int64_t> seconds = std::nullopt, std::vector<std::string> audiences = {}) {
  TokenRequest r;
  r.expiration_seconds = seconds;
  r.audiences = std::move(audiences);
  return r;
}
TokenRequest bound_to(std::string kind, std::string name, std::string uid = "", std::int64_t seconds = 3600) {
  TokenRequest r = spec(seconds);
  r.bound_object_ref = BoundObjectReference{std::move(kind), "v1", std::move(name), std::move(uid)};
  return r;
}

nlohmann::json payload(const TokenRequestOutcome& out) {
  REQUIRE(out.response);
  REQUIRE(out.response->token);
  auto jwt = auth::parse_jwt(out.response->token->bytes(), auth::JwsParsing::kGoJoseV2);
  REQUIRE(jwt.ok());
  return jwt.value().claims;
}

void expect_error(const TokenRequestOutcome& out, int code, std::string_view message) {
  REQUIRE(out.error);
  CHECK(out.error->code == code);
  CHECK(out.error->message == message);
}

TEST_CASE("IT-28 bound to service account") {
  for (int minor : {20, 23, 24, 25}) {
    CAPTURE(minor);
    World w;
    expect_error(w.request(minor, spec(), "missing"), 404, "serviceaccounts \"missing\" not found");
    const TokenRequestOutcome out = w.request(minor, spec());
    REQUIRE_FALSE(out.error);
    const nlohmann::json claims = payload(out);
    CHECK(claims["iss"] == "https://foo.bar.example.com");
    CHECK(claims["sub"] == "system:serviceaccount:myns:test-svcacct");
    CHECK(claims["aud"] == nlohmann::json::array({"api"}));
    CHECK(claims["kubernetes.io"]["namespace"] == "myns");
    CHECK(claims["kubernetes.io"]["serviceaccount"]["name"] == "test-svcacct");
    CHECK(claims["kubernetes.io"]["serviceaccount"]["uid"] == w.sa_uid);
    CHECK_FALSE(claims["kubernetes.io"].contains("pod"));
    CHECK_FALSE(claims["kubernetes.io"].contains("secret"));
    CHECK(claims["iat"] == kNowUnix);
    CHECK(claims["nbf"] == kNowUnix);
    CHECK(claims["exp"] == kNowUnix + 3600);
    CHECK(out.response->audiences == std::vector<std::string>{"api"});
    CHECK(out.warnings.empty());
  }
}

TEST_CASE("IT-28 a body name or namespace other than the URL's is refused from 1.24 and ignored before") {
  TokenRequest wrong_name = spec();
  wrong_name.metadata.name = "invalid-name";
  TokenRequest wrong_ns = spec();
  wrong_ns.metadata.namespace_ = "invalid-namespace";
  World w;
  expect_error(w.request(24, wrong_name), 422,
               "TokenRequest.authentication.k8s.io \"test-svcacct\" is invalid: metadata.name: Invalid value: "
               "\"invalid-name\": must match the service account name if specified");
  expect_error(w.request(24, wrong_ns), 400,
               "the namespace of the provided object does not match the namespace sent on the request");
  // 1.20-1.23: neither TokenREST nor the create handler looks at them; the
  // response echoes the request's metadata as sent.
  const TokenRequestOutcome old = w.request(23, wrong_name);
  REQUIRE_FALSE(old.error);
  CHECK(old.response->metadata.name == "invalid-name");
  CHECK_FALSE(old.response->has_creation_timestamp);
  CHECK_FALSE(w.request(20, wrong_ns).error);
}

TEST_CASE("IT-28 the 1.24 response names the account and carries a creationTimestamp") {
  World w;
  const TokenRequestOutcome out = w.request(24, spec());
  REQUIRE_FALSE(out.error);
  CHECK(out.response->metadata.name == "test-svcacct");
  CHECK(out.response->metadata.namespace_ == "myns");
  CHECK(out.response->has_creation_timestamp);
  CHECK(out.response->metadata.creation_timestamp == kNow);
  const nlohmann::json shown = encode_token_request(*out.response, EncodeOptions{kEpoch});
  CHECK(shown["apiVersion"] == "authentication.k8s.io/v1");
  CHECK(shown["kind"] == "TokenRequest");
  CHECK(shown["metadata"]["creationTimestamp"] == "2020-01-01T01:00:00Z");
  CHECK(shown["status"]["expirationTimestamp"] == "2020-01-01T02:00:00Z");
  CHECK(shown["spec"]["expirationSeconds"] == 3600);
  CHECK(shown["status"]["token"].get<std::string>().size() > 100);
  // Before 1.24 the metadata is not filled in: creationTimestamp is null.
  CHECK(encode_token_request(*w.request(23, spec()).response, EncodeOptions{kEpoch})["metadata"]["creationTimestamp"].is_null());
}

TEST_CASE("IT-28 bound to service account and pod") {
  for (int minor : {20, 24}) {
    CAPTURE(minor);
    World w;
    expect_error(w.request(minor, bound_to("Pod", "test-pod"), "missing"), 404, "serviceaccounts \"missing\" not found");
    expect_error(w.request(minor, bound_to("Pod", "missing-pod")), 404, "pods \"missing-pod\" not found");
    CHECK_FALSE(w.request(minor, bound_to("Pod", "test-pod", w.pod_uid)).error);
    expect_error(w.request(minor, bound_to("Pod", "test-pod", "wrong-uid")), 409,
                 "Operation cannot be fulfilled on Pod \"test-pod\": the UID in the bound object reference (wrong-uid) "
                 "does not match the UID in record. The object might have been deleted and then recreated");
    const TokenRequestOutcome any_uid = w.request(minor, bound_to("Pod", "test-pod"));
    REQUIRE_FALSE(any_uid.error);
    CHECK(payload(any_uid)["kubernetes.io"]["pod"] == nlohmann::json({{"name", "test-pod"}, {"uid", w.pod_uid}}));
  }
}

TEST_CASE("IT-28 bound to service account and secret") {
  World w;
  expect_error(w.request(24, bound_to("Secret", "missing-secret")), 404, "secrets \"missing-secret\" not found");
  expect_error(w.request(24, bound_to("Secret", "test-secret", "wrong-uid")), 409,
               "Operation cannot be fulfilled on Secret \"test-secret\": the UID in the bound object reference "
               "(wrong-uid) does not match the UID in record. The object might have been deleted and then recreated");
  const TokenRequestOutcome out = w.request(24, bound_to("Secret", "test-secret"));
  REQUIRE_FALSE(out.error);
  CHECK(payload(out)["kubernetes.io"]["secret"] == nlohmann::json({{"name", "test-secret"}, {"uid", w.secret_uid}}));
  CHECK_FALSE(payload(out)["kubernetes.io"].contains("pod"));
}

TEST_CASE("IT-28 bound to service account and pod running as different service account") {
  World w;
  expect_error(w.request(24, bound_to("Pod", "other-test-pod")), 400,
               "cannot bind token for serviceaccount \"test-svcacct\" to pod running with different serviceaccount name.");
}

TEST_CASE("B6: only core Pods and Secrets can be bound to until 1.29") {
  World w;
  expect_error(w.request(24, bound_to("ConfigMap", "x")), 400, "cannot bind token to object of type /v1, Kind=ConfigMap");
  expect_error(w.request(24, bound_to("Node", "node-1")), 400, "cannot bind token to object of type /v1, Kind=Node");
  TokenRequest apps = bound_to("Pod", "test-pod");
  apps.bound_object_ref->api_version = "apps/v1";
  expect_error(w.request(24, apps), 400, "cannot bind token to object of type apps/v1, Kind=Pod");
  // Only the group is compared: no apiVersion, or an unparsable one, is core.
  for (const char* version : {"", "v2", "a/b/c"}) {
    TokenRequest loose = bound_to("Pod", "test-pod");
    loose.bound_object_ref->api_version = version;
    CAPTURE(version);
    CHECK_FALSE(w.request(24, loose).error);
  }
}

TEST_CASE("B4: expirationSeconds between 10 minutes and 2^32 seconds and an explicit 0 is invalid") {
  World w;
  const std::string prefix = "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: ";
  expect_error(w.request(24, spec(0)), 422, prefix + "0: may not specify a duration less than 10 minutes");
  expect_error(w.request(24, spec(599)), 422, prefix + "599: may not specify a duration less than 10 minutes");
  expect_error(w.request(24, spec(4294967297)), 422,
               prefix + "4294967297: may not specify a duration larger than 2^32 seconds");
  CHECK_FALSE(w.request(24, spec(600)).error);
  w.config.max_expiration_seconds = 0;
  CHECK_FALSE(w.request(24, spec(4294967296)).error);
  CHECK(w.request(24, spec(0)).error->reason == "Invalid");
}

TEST_CASE("B2 and B3: an invalid expiration for a missing account is 422 up to 1.23 and 404 from 1.24") {
  World w;
  for (int minor : {20, 21, 22, 23}) {
    CAPTURE(minor);
    CHECK(w.request(minor, spec(5), "missing").error->code == 422);
  }
  for (int minor : {24, 25}) {
    CAPTURE(minor);
    CHECK(w.request(minor, spec(5), "missing").error->code == 404);
  }
  // And validation comes before the bound object's lookup in both orders.
  TokenRequest both = bound_to("Pod", "missing-pod", "", 5);
  CHECK(w.request(20, both).error->code == 422);
  CHECK(w.request(24, both).error->code == 422);
}

TEST_CASE("B5: an account being deleted still gets tokens") {
  World w;
  auto sa = w.store.get(Kind::kServiceAccount, "myns", "test-svcacct");
  Object deleting = *sa;
  meta(deleting).deletion_timestamp = sim::Time::zero();
  REQUIRE(w.store.update(deleting).ok());
  CHECK_FALSE(w.request(24, spec()).error);
}

TEST_CASE("IT-28 a token request within expiration time and one over it") {
  World w;
  const TokenRequestOutcome within = w.request(24, spec(2 * 3600 - 600));
  REQUIRE_FALSE(within.error);
  CHECK(within.response->expiration_seconds == 2 * 3600 - 600);
  CHECK(within.warnings.empty());
  const TokenRequestOutcome over = w.request(24, spec(2 * 3600 + 600));
  REQUIRE_FALSE(over.error);
  CHECK(over.response->expiration_seconds == 7200);
  CHECK(over.warnings == std::vector<std::string>{"requested expiration of 7800 seconds shortened to 7200 seconds"});
  CHECK(payload(over)["exp"] == kNowUnix + 7200);
  // 1.23 caps without a word.
  const TokenRequestOutcome quiet = w.request(23, spec(2 * 3600 + 600));
  CHECK(quiet.response->expiration_seconds == 7200);
  CHECK(quiet.warnings.empty());
}

TEST_CASE("IT-28 expiration extended token") {
  for (int minor : {21, 24}) {
    CAPTURE(minor);
    World w;
    const TokenRequestOutcome out = w.request(minor, bound_to("Pod", "test-pod", "", 3607));
    REQUIRE_FALSE(out.error);
    const nlohmann::json claims = payload(out);
    CHECK(claims["exp"] == kNowUnix + kYear);
    CHECK(claims["kubernetes.io"]["warnafter"] == kNowUnix + 3607);
    CHECK(out.response->expiration_seconds == 3607);
    // B10: the client is told the requested hour, not the year.
    CHECK(out.response->expiration_timestamp == kNow + sim::Duration::seconds(3607));
  }
}

TEST_CASE("B8: only pod-bound 3607-second requests are extended") {
  World w;
  CHECK(payload(w.request(24, spec(3607)))["exp"] == kNowUnix + 3607);  // not pod-bound
  CHECK(payload(w.request(24, bound_to("Secret", "test-secret", "", 3607)))["exp"] == kNowUnix + 3607);
  CHECK(payload(w.request(24, bound_to("Pod", "test-pod", "", 3608)))["exp"] == kNowUnix + 3608);
  w.config.extend_expiration = false;
  const nlohmann::json off = payload(w.request(24, bound_to("Pod", "test-pod", "", 3607)));
  CHECK(off["exp"] == kNowUnix + 3607);
  CHECK_FALSE(off["kubernetes.io"].contains("warnafter"));
}

TEST_CASE("IT-28 the extension does not apply for other audiences from 1.24 and did up to 1.23") {
  World w;
  TokenRequest other = bound_to("Pod", "test-pod", "", 3607);
  other.audiences = {"not-the-api", "api"};
  const TokenRequestOutcome now = w.request(24, other);
  REQUIRE_FALSE(now.error);
  CHECK(payload(now)["exp"] == kNowUnix + 3607);
  CHECK_FALSE(payload(now)["kubernetes.io"].contains("warnafter"));
  CHECK(now.response->expiration_timestamp == kNow + sim::Duration::seconds(3607));
  const TokenRequestOutcome before = w.request(23, other);
  CHECK(payload(before)["exp"] == kNowUnix + kYear);
  CHECK(payload(before)["kubernetes.io"]["warnafter"] == kNowUnix + 3607);
}

TEST_CASE("IT-28 a tokenrequest without an audience is valid against the api") {
  World w;
  CHECK(payload(w.request(24, TokenRequest{}))["aud"] == nlohmann::json::array({"api"}));
  CHECK(payload(w.request(20, TokenRequest{}))["exp"] == kNowUnix + 3600);  // expirationSeconds defaults to 3600
}

// TestCreate_Token_WithExpiryCap's cases that apply before 1.32 (the
// extension's target is the fixed year): the cap is applied first and the
// extension only to a spec still at 3607 s.
TEST_CASE("TestCreate_Token_WithExpiryCap before 1.32") {
  struct Case {
    const char* name;
    bool extend;
    std::int64_t max;
    std::int64_t exp;
  };
  const Case cases[] = {
      {"passed expiration respected if less than max", false, 5 * 3600, 3607},
      {"ExpirationSeconds used for exp", true, 5 * 3600, kYear},
      {"requested time use with extension disabled", false, 5 * 3600, 3607},
      {"maxExpirationSeconds honoured with extension disabled", false, 1800, 1800},
      {"a cap below 3607 prevents the extension", true, 3600, 3600},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    World w;
    w.config.extend_expiration = c.extend;
    w.config.max_expiration_seconds = c.max;
    TokenRequest r = bound_to("Pod", "test-pod", "", 3607);
    r.audiences = {"api"};
    CHECK(payload(w.request(24, r))["exp"] == kNowUnix + c.exp);
  }
}

TEST_CASE("an apiserver without a signing key serves no TokenRequest") {
  World w;
  w.config.key.reset();
  CHECK(w.request(24, spec()).error->code == 404);
}

}  // namespace
}  // namespace sasim::model
