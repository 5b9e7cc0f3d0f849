// The token oracle on bound (TokenRequest) tokens: it judges them by its
// own reading of the claims, against the objects the authenticator would
// find, in the era's wording; and token-reviews-are-correct fails on an
// answer that ignores the bound pod.
#include <catch2/catch.hpp>

#include <map>

#include "model/auth/bound_claims.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"
#include "model/auth/signing_key.h"
#include "properties/token_oracle.h"
#include "properties/token_review_checks.h"
#include "sim/prng.h"

namespace sasim::properties {
namespace {

constexpr std::int64_t kEpoch = 1577836800;  // the format's default cluster.startTime
constexpr const char* kIssuer = "https://kubernetes.default.svc.cluster.local";

std::shared_ptr<const model::auth::SigningKey> cluster_key() {
  auto k = model::auth::SigningKey::from_pem(model::auth::builtin_ec_key_pem());
  REQUIRE(k.ok());
  return std::make_shared<const model::auth::SigningKey>(std::move(k).value());
}

std::string sign(const model::auth::SigningKey& k, const nlohmann::json& c) {
  sim::Prng entropy(1);
  return model::auth::sign_jwt(k, c, entropy);
}

// A token of default/robot (uid sa-1) bound to pod web (uid pod-1), issued
// at simulated second `at` for `lifetime` seconds.
nlohmann::json pod_claims(std::int64_t at, std::int64_t lifetime, std::vector<std::string> audiences = {kIssuer}) {
  model::auth::BoundObjects bound;
  bound.pod = model::auth::ClaimRef{"web", "pod-1"};
  auto c = model::auth::make_bound_claims(kIssuer, "default", {"robot", "sa-1"}, bound, lifetime, 0, audiences,
                                          kEpoch + at, {});
  REQUIRE(c.ok());
  return model::auth::to_json(c.value());
}

BoundRules rules(bool capitalised) {
  return BoundRules{.issuers = {kIssuer}, .api_audiences = {kIssuer}, .epoch_unix_seconds = kEpoch,
                    .capitalised_messages = capitalised};
}

template <typename T>
model::ObjectPtr object(const char* name, const char* uid, std::optional<std::int64_t> deleted_at = {}) {
  T o;
  o.metadata.namespace_ = "default";
  o.metadata.name = name;
  o.metadata.uid = uid;
  if (deleted_at) o.metadata.deletion_timestamp = sim::Time::from_start(sim::Duration::seconds(*deleted_at));
  return std::make_shared<const model::Object>(std::move(o));
}

struct World {
  std::map<std::string, model::ObjectPtr> accounts, pods, secrets;
  std::int64_t now = 100;
  std::vector<std::string> audiences{};
  ReviewLookup lookup() const {
    auto in = [](const std::map<std::string, model::ObjectPtr>& m) {
      return [&m](const std::string&, const std::string& name) -> model::ObjectPtr {
        auto it = m.find(name);
        return it == m.end() ? nullptr : it->second;
      };
    };
    return ReviewLookup{.secret = in(secrets),
                        .service_account = in(accounts),
                        .pod = in(pods),
                        .now = sim::Time::from_start(sim::Duration::seconds(now)),
                        .audiences = audiences};
  }
};

World alive() {
  World w;
  w.accounts["robot"] = object<model::ServiceAccount>("robot", "sa-1");
  w.pods["web"] = object<model::Pod>("web", "pod-1");
  return w;
}

std::string answer(const std::optional<ExpectedReview>& r) {
  if (!r) return "unjudged";
  return r->authenticated ? "user " + r->username : "rejected: " + r->reason;
}

}  // namespace

TEST_CASE("the oracle accepts a genuine pod-bound token as its account with the pod in extra") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(true));
  const std::string token = sign(*k, pod_claims(10, 3600));
  const World w = alive();
  const auto r = oracle.judge(token, true, w.lookup());
  REQUIRE(r);
  CHECK(r->authenticated);
  CHECK(r->username == "system:serviceaccount:default:robot");
  CHECK(r->uid == "sa-1");
  CHECK(r->groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:default"});
  CHECK(r->extra.at("authentication.kubernetes.io/pod-name") == std::vector<std::string>{"web"});
  CHECK(r->extra.at("authentication.kubernetes.io/pod-uid") == std::vector<std::string>{"pod-1"});
  // --service-account-lookup does not apply to bound tokens.
  CHECK(oracle.judge(token, false, w.lookup())->authenticated);
}

TEST_CASE("the oracle leaves bound tokens unjudged without the release's rules or the review's instant") {
  const auto k = cluster_key();
  const std::string token = sign(*k, pod_claims(10, 3600));
  const TokenOracle issuers_only(VerifyingKey::from_der(k->public_key_der()), {kIssuer});
  CHECK_FALSE(issuers_only.judge(token, true, alive().lookup()));
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(true));
  ReviewLookup no_instant = alive().lookup();
  no_instant.now.reset();
  CHECK_FALSE(oracle.judge(token, true, no_instant));
  // A signature the key does not verify is no token at all.
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  CHECK(answer(oracle.judge(tampered, true, alive().lookup())) == "rejected: invalid bearer token");
}

TEST_CASE("the oracle judges exp and nbf with the 60 s leeway") {
  const auto k = cluster_key();
  const TokenOracle capitalised(VerifyingKey::from_der(k->public_key_der()), rules(true));
  const TokenOracle lowercase(VerifyingKey::from_der(k->public_key_der()), rules(false));
  const std::string token = sign(*k, pod_claims(10, 3600));  // exp at 3610
  World w = alive();
  w.now = 3610 + 60;
  CHECK(capitalised.judge(token, true, w.lookup())->authenticated);
  w.now = 3610 + 61;
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: Token has expired.");
  CHECK(answer(lowercase.judge(token, true, w.lookup())) == "rejected: service account token has expired");
  // Not valid before nbf - 60 s.
  nlohmann::json future = pod_claims(10, 3600);
  future["nbf"] = kEpoch + 500;
  const std::string early = sign(*k, future);
  w.now = 439;
  CHECK(answer(capitalised.judge(early, true, w.lookup())) == "rejected: Token could not be validated.");
  CHECK(answer(lowercase.judge(early, true, w.lookup())) == "rejected: service account token is not valid yet");
  w.now = 440;
  CHECK(capitalised.judge(early, true, w.lookup())->authenticated);
  // Before go-jose 2.6 a token without exp has long expired.
  nlohmann::json no_exp = pod_claims(10, 3600);
  no_exp.erase("exp");
  w.now = 20;
  CHECK(answer(capitalised.judge(sign(*k, no_exp), true, w.lookup())) == "rejected: Token has expired.");
}

TEST_CASE("the oracle checks the audiences before anything else") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(true));
  World w = alive();
  w.accounts.clear();  // even a token of a missing account is refused for its audiences first
  const std::string vault = sign(*k, pod_claims(10, 3600, {"vault"}));
  CHECK(answer(oracle.judge(vault, true, w.lookup())) ==
        "rejected: token audiences [\"vault\"] is invalid for the target audiences "
        "[\"https://kubernetes.default.svc.cluster.local\"]");
  w = alive();
  w.audiences = {"vault"};
  CHECK(oracle.judge(vault, true, w.lookup())->authenticated);
  const std::string own = sign(*k, pod_claims(10, 3600));
  CHECK(answer(oracle.judge(own, true, w.lookup())) ==
        "rejected: token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target "
        "audiences [\"vault\"]");
}

TEST_CASE("the oracle refuses a legacy token to a review asking for other audiences") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(true));
  nlohmann::json legacy = {{"iss", "kubernetes/serviceaccount"},
                           {"sub", "system:serviceaccount:default:robot"},
                           {"kubernetes.io/serviceaccount/namespace", "default"},
                           {"kubernetes.io/serviceaccount/secret.name", "robot-token-a"},
                           {"kubernetes.io/serviceaccount/service-account.name", "robot"},
                           {"kubernetes.io/serviceaccount/service-account.uid", "sa-1"}};
  World w = alive();
  w.audiences = {"vault"};
  CHECK(answer(oracle.judge(sign(*k, legacy), false, w.lookup())) ==
        "rejected: token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target "
        "audiences [\"vault\"]");
  legacy["aud"] = "vault";
  CHECK(oracle.judge(sign(*k, legacy), false, w.lookup())->authenticated);
  w.audiences.clear();
  CHECK(answer(oracle.judge(sign(*k, legacy), false, w.lookup())) ==
        "rejected: token audiences [\"vault\"] is invalid for the target audiences "
        "[\"https://kubernetes.default.svc.cluster.local\"]");
}

TEST_CASE("the oracle checks the account and the bound pod: presence and deletion past the leeway and uid") {
  const auto k = cluster_key();
  const TokenOracle capitalised(VerifyingKey::from_der(k->public_key_der()), rules(true));
  const TokenOracle lowercase(VerifyingKey::from_der(k->public_key_der()), rules(false));
  const std::string token = sign(*k, pod_claims(10, 3600));
  World w = alive();
  w.accounts.clear();
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: serviceaccounts \"robot\" not found");
  w = alive();
  w.accounts["robot"] = object<model::ServiceAccount>("robot", "sa-2");
  CHECK(answer(capitalised.judge(token, true, w.lookup())) ==
        "rejected: ServiceAccount UID (sa-2) does not match claim (sa-1)");
  CHECK(answer(lowercase.judge(token, true, w.lookup())) ==
        "rejected: service account UID (sa-2) does not match claim (sa-1)");
  w = alive();
  w.accounts["robot"] = object<model::ServiceAccount>("robot", "sa-1", 30);
  w.now = 90;
  CHECK(capitalised.judge(token, true, w.lookup())->authenticated);
  w.now = 91;
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: ServiceAccount default/robot has been deleted");

  w = alive();
  w.pods.clear();
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: Token has been invalidated");
  CHECK(answer(lowercase.judge(token, true, w.lookup())) == "rejected: service account token has been invalidated");
  w = alive();
  w.pods["web"] = object<model::Pod>("web", "pod-2");
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: Pod UID (pod-2) does not match claim (pod-1)");
  CHECK(answer(lowercase.judge(token, true, w.lookup())) ==
        "rejected: pod UID (pod-2) does not match service account pod ref claim (pod-1)");
  // A graceful deletion: valid until a minute after the deletionTimestamp.
  w = alive();
  w.pods["web"] = object<model::Pod>("web", "pod-1", 130);
  w.now = 190;
  CHECK(capitalised.judge(token, true, w.lookup())->authenticated);
  w.now = 191;
  CHECK(answer(capitalised.judge(token, true, w.lookup())) == "rejected: Token has been invalidated");
}

TEST_CASE("the oracle checks a Secret-bound token's Secret") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(false));
  model::auth::BoundObjects bound;
  bound.secret = model::auth::ClaimRef{"s-1", "sec-1"};
  auto c = model::auth::make_bound_claims(kIssuer, "default", {"robot", "sa-1"}, bound, 3600, 0, {kIssuer},
                                          kEpoch + 10, {});
  REQUIRE(c.ok());
  const std::string token = sign(*k, model::auth::to_json(c.value()));
  World w = alive();
  CHECK(answer(oracle.judge(token, true, w.lookup())) == "rejected: service account token has been invalidated");
  w.secrets["s-1"] = object<model::Secret>("s-1", "sec-2");
  CHECK(answer(oracle.judge(token, true, w.lookup())) ==
        "rejected: secret UID (sec-2) does not match service account secret ref claim (sec-1)");
  w.secrets["s-1"] = object<model::Secret>("s-1", "sec-1");
  const auto r = oracle.judge(token, true, w.lookup());
  REQUIRE(r);
  CHECK(r->authenticated);
  CHECK(r->extra.empty());
}

TEST_CASE("token-reviews-are-correct holds for the right answer on a bound token and fails for one ignoring the pod") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(true));
  const std::string token = sign(*k, pod_claims(10, 3600));
  World w = alive();
  w.pods["web"] = object<model::Pod>("web", "pod-2");  // recreated under the same name
  model::TokenReviewResult refused;
  refused.error = "Pod UID (pod-2) does not match claim (pod-1)";
  const sim::Time now = sim::Time::from_start(sim::Duration::seconds(w.now));
  CHECK(check_token_review(token, refused, oracle, true, w.lookup(), now).violations.empty());
  CHECK(check_token_review(token, refused, oracle, true, w.lookup(), now).checks == 1);
  // What the broken variant bound-validator-ignore-pod answers.
  model::TokenReviewResult accepted;
  accepted.authenticated = true;
  accepted.username = "system:serviceaccount:default:robot";
  accepted.uid = "sa-1";
  accepted.groups = {"system:serviceaccounts", "system:serviceaccounts:default"};
  accepted.extra = {{"authentication.kubernetes.io/pod-name", {"web"}}, {"authentication.kubernetes.io/pod-uid", {"pod-1"}}};
  const CheckOutcome out = check_token_review(token, accepted, oracle, true, w.lookup(), now);
  REQUIRE(out.violations.size() == 1);
  CHECK(out.violations[0].message.find("but Kubernetes answers: rejected (\"Pod UID (pod-2) does not match claim (pod-1)\")") !=
        std::string::npos);
  // An accepted answer without the pod's extra is wrong too.
  w = alive();
  model::TokenReviewResult no_extra = accepted;
  no_extra.extra.clear();
  CHECK(check_token_review(token, accepted, oracle, true, w.lookup(), now).violations.empty());
  CHECK(check_token_review(token, no_extra, oracle, true, w.lookup(), now).violations.size() == 1);
}

}  // namespace sasim::properties

namespace sasim::properties {
namespace {

// A bound token nobody read (a lazy model::auth::BoundToken, as a pod's file
// holds it) is judged as its bytes are, without being signed; one signed by
// another key is judged from its bytes (and rejected).
TEST_CASE("the oracle judges a presented bound token nobody read as its bytes and leaves it unsigned") {
  const auto k = cluster_key();
  const TokenOracle oracle(VerifyingKey::from_der(k->public_key_der()), rules(false));
  model::auth::BoundObjects bound;
  bound.pod = model::auth::ClaimRef{"web", "pod-1"};
  auto claims = model::auth::make_bound_claims(kIssuer, "default", {"robot", "sa-1"}, bound, 3607, 0, {kIssuer},
                                               kEpoch + 10, {});
  REQUIRE(claims.ok());
  struct Situation {
    const char* name;
    World world;
  };
  World late = alive();
  late.now = 10 + 3607 + 61;
  World pod_gone = alive();
  pod_gone.pods.clear();
  World recreated = alive();
  recreated.accounts["robot"] = object<model::ServiceAccount>("robot", "sa-2");
  World other_audience = alive();
  other_audience.audiences = {"vault"};
  for (const Situation& s : {Situation{"alive", alive()}, Situation{"expired", late}, Situation{"pod gone", pod_gone},
                             Situation{"account recreated", recreated},
                             Situation{"another audience", other_audience}}) {
    DYNAMIC_SECTION(s.name) {
      const auto lazy = std::make_shared<const model::auth::BoundToken>(k, claims.value(), 3);
      const std::string bytes = model::auth::BoundToken(k, claims.value(), 3).bytes();
      const auto by_claims = oracle.judge_presented(model::DataValue(lazy), true, s.world.lookup());
      const auto by_bytes = oracle.judge(bytes, true, s.world.lookup());
      REQUIRE(by_bytes);
      REQUIRE(by_claims);
      CHECK(answer(by_claims) == answer(by_bytes));
      CHECK(by_claims->uid == by_bytes->uid);
      CHECK(by_claims->groups == by_bytes->groups);
      CHECK(by_claims->extra == by_bytes->extra);
      const auto verified = oracle.verify_presented(model::DataValue(lazy));
      REQUIRE(verified);
      REQUIRE(verified->payload);
      CHECK(*verified->payload == *oracle.verify(bytes)->payload);
      CHECK_FALSE(lazy->computed());
    }
  }
  SECTION("signed by a key that is not the cluster's") {
    auto other = model::auth::SigningKey::from_pem(model::auth::builtin_rsa_key_pem());
    REQUIRE(other.ok());
    const auto foreign = std::make_shared<const model::auth::BoundToken>(
        std::make_shared<const model::auth::SigningKey>(std::move(other).value()), claims.value(), 3);
    CHECK(answer(oracle.judge_presented(model::DataValue(foreign), true, alive().lookup())) ==
          "rejected: invalid bearer token");
    CHECK_FALSE(oracle.verify_presented(model::DataValue(foreign)));
  }
}

}  // namespace
}  // namespace sasim::properties
