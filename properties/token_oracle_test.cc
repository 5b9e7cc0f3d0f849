// The token oracle on tokens the model's signer makes and on forged ones:
// it accepts what the cluster's key signed with the legacy claims, and
// answers every review the way 1.20's validator does, by its own code.
#include "properties/token_oracle.h"

#include <catch2/catch.hpp>

#include <map>

#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"
#include "model/auth/lazy_token.h"
#include "model/auth/signing_key.h"
#include "model/auth/test_keys.h"
#include "model/objects/constants.h"
#include "sim/prng.h"

namespace sasim::properties {
namespace token_oracle_test {

std::shared_ptr<const model::auth::SigningKey> key(std::string_view pem) {
  auto k = model::auth::SigningKey::from_pem(pem);
  REQUIRE(k.ok());
  return std::make_shared<const model::auth::SigningKey>(std::move(k).value());
}

// Signed with a fixed ES256 nonce stream: these tests need a valid
// signature, not a particular one.
std::string sign(const model::auth::SigningKey& k, const nlohmann::json& c) {
  sim::Prng entropy(1);
  return model::auth::sign_jwt(k, c, entropy);
}

std::string legacy(const std::shared_ptr<const model::auth::SigningKey>& k, const char* secret = "robot-token-a") {
  return model::auth::make_legacy_token(k, "default", "robot", "u1", secret, 1)->bytes();
}

nlohmann::json claims() {
  return {{"iss", "kubernetes/serviceaccount"},
          {"sub", "system:serviceaccount:default:robot"},
          {"kubernetes.io/serviceaccount/namespace", "default"},
          {"kubernetes.io/serviceaccount/secret.name", "robot-token-a"},
          {"kubernetes.io/serviceaccount/service-account.name", "robot"},
          {"kubernetes.io/serviceaccount/service-account.uid", "u1"}};
}

// The objects an authenticator's lookups would find.
struct World {
  std::map<std::string, model::ObjectPtr> secrets, accounts;
  ReviewLookup lookup() const {
    return ReviewLookup{.secret = [this](const std::string&, const std::string& name) -> model::ObjectPtr {
                          auto it = secrets.find(name);
                          return it == secrets.end() ? nullptr : it->second;
                        },
                        .service_account = [this](const std::string&, const std::string& name) -> model::ObjectPtr {
                          auto it = accounts.find(name);
                          return it == accounts.end() ? nullptr : it->second;
                        }};
  }
  void secret(const char* name, const std::string& token) {
    model::Secret s;
    s.metadata.namespace_ = "default";
    s.metadata.name = name;
    s.data[std::string(model::kServiceAccountTokenKey)] = model::DataValue(token);
    secrets[name] = std::make_shared<const model::Object>(s);
  }
  void account(const char* name, const char* uid) {
    model::ServiceAccount sa;
    sa.metadata.namespace_ = "default";
    sa.metadata.name = name;
    sa.metadata.uid = uid;
    accounts[name] = std::make_shared<const model::Object>(sa);
  }
};

TEST_CASE("the oracle verifies the cluster's RS256 and ES256 tokens and nothing else") {
  for (std::string_view pem : {model::auth::builtin_rsa_key_pem(), model::auth::builtin_ec_key_pem()}) {
    const auto signer = key(pem);
    const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
    const std::string token = legacy(signer);
    INFO(signer->algorithm());
    const auto verified = oracle.verify(token);
    REQUIRE(verified.has_value());
    CHECK(verified->subject == "system:serviceaccount:default:robot");
    CHECK(verified->secret_name == "robot-token-a");
    CHECK(verified->service_account_uid == "u1");
    // Tampered payload: another account, same signature.
    const std::size_t dot = token.find('.');
    const std::size_t dot2 = token.find('.', dot + 1);
    nlohmann::json other = claims();
    other["sub"] = "system:serviceaccount:default:admin";
    std::string tampered = token;
    const std::string payload = sign(*signer, other);
    tampered.replace(dot + 1, dot2 - dot - 1, payload.substr(payload.find('.') + 1, payload.rfind('.') - payload.find('.') - 1));
    CHECK_FALSE(oracle.verify(tampered).has_value());
    // Truncated anywhere.
    CHECK_FALSE(oracle.verify(token.substr(0, token.size() - 3)).has_value());
    CHECK_FALSE(oracle.verify(token.substr(0, dot2)).has_value());
    // Signed by someone else's key.
    CHECK_FALSE(oracle.verify(legacy(key(model::auth::testing::kOtherEcKeyPem))).has_value());
    CHECK_FALSE(oracle.verify(legacy(key(model::auth::testing::kOtherRsaKeyPem))).has_value());
  }
}

TEST_CASE("the oracle refuses alg none and claims of the wrong type") {
  const auto signer = key(model::auth::builtin_ec_key_pem());
  const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
  // {"alg":"none"}.claims. with an empty signature.
  const std::string genuine = sign(*signer, claims());
  const std::string payload = genuine.substr(genuine.find('.') + 1, genuine.rfind('.') - genuine.find('.') - 1);
  CHECK_FALSE(oracle.verify("eyJhbGciOiJub25lIn0." + payload + ".").has_value());
  nlohmann::json numeric = claims();
  numeric["kubernetes.io/serviceaccount/service-account.uid"] = 42;
  CHECK_FALSE(oracle.verify(sign(*signer, numeric)).has_value());
}

TEST_CASE("the oracle's answers follow the legacy validator step by step") {
  const auto signer = key(model::auth::builtin_ec_key_pem());
  const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
  const std::string token = legacy(signer);
  World w;
  auto reason = [&](const std::string& t, bool lookup) {
    auto r = oracle.judge(t, lookup, w.lookup());
    REQUIRE(r.has_value());
    return r->authenticated ? std::string("authenticated as ") + r->username : r->reason;
  };
  CHECK(reason("garbage", true) == "invalid bearer token");
  CHECK(reason(legacy(key(model::auth::testing::kOtherEcKeyPem)), true) == "invalid bearer token");
  CHECK(reason(token, true) == "Token has been invalidated");  // no Secret
  CHECK(reason(token, false) == "authenticated as system:serviceaccount:default:robot");
  w.secret("robot-token-a", "an older token");
  CHECK(reason(token, true) == "Token does not match server's copy");
  w.secret("robot-token-a", token);
  CHECK(reason(token, true) == "serviceaccounts \"robot\" not found");
  w.account("robot", "u2");
  CHECK(reason(token, true) == "ServiceAccount UID (u2) does not match claim (u1)");
  w.account("robot", "u1");
  const auto ok = oracle.judge(token, true, w.lookup());
  REQUIRE(ok.has_value());
  CHECK(ok->authenticated);
  CHECK(ok->uid == "u1");
  CHECK(ok->groups == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:default"});
  // Claim checks come first, and do not need lookups.
  nlohmann::json c = claims();
  c["sub"] = "system:serviceaccount:other:robot";
  CHECK(reason(sign(*signer, c), false) == "sub claim is invalid");
  c = claims();
  c.erase("kubernetes.io/serviceaccount/secret.name");
  CHECK(reason(sign(*signer, c), false) == "secretName claim is missing");
  c = claims();
  c["iss"] = "someone-else";
  CHECK(reason(sign(*signer, c), false) == "invalid bearer token");
  // A bound-token issuer's tokens are the bound validator's, which the
  // oracle leaves alone.
  const TokenOracle with_bound(VerifyingKey::from_der(signer->public_key_der()), {"https://issuer.example"});
  c["iss"] = "https://issuer.example";
  CHECK_FALSE(with_bound.judge(sign(*signer, c), false, w.lookup()).has_value());
  c["iss"] = "someone-else";
  CHECK(with_bound.judge(sign(*signer, c), false, w.lookup())->reason == "invalid bearer token");
  // Forms 1.20's go-jose reads differently are left to the model.
  CHECK_FALSE(oracle.judge(token.substr(0, 10) + "\n" + token.substr(10), true, w.lookup()).has_value());
}

}  // namespace token_oracle_test
}  // namespace sasim::properties

namespace sasim::properties::token_oracle_test {

TEST_CASE("the oracle judges a token nobody read by its claims and key without signing it") {
  for (std::string_view pem : {model::auth::builtin_rsa_key_pem(), model::auth::builtin_ec_key_pem()}) {
    const auto signer = key(pem);
    INFO(signer->algorithm());
    const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
    const auto lazy = model::auth::make_legacy_token(signer, "default", "robot", "u1", "robot-token-a", 1);
    const model::DataValue value(lazy);
    const auto verified = oracle.verify_stored(value);
    REQUIRE(verified.has_value());
    CHECK_FALSE(lazy->computed());
    CHECK(verified->subject == "system:serviceaccount:default:robot");
    CHECK(verified->secret_name == "robot-token-a");
    CHECK(verified->service_account_uid == "u1");
    // The same claims as verifying its bytes gives (which signs it).
    const auto from_bytes = oracle.verify(lazy->bytes());
    REQUIRE(from_bytes.has_value());
    CHECK(from_bytes->issuer == verified->issuer);
    CHECK(from_bytes->subject == verified->subject);
    CHECK(from_bytes->ns == verified->ns);
    CHECK(from_bytes->service_account_name == verified->service_account_name);
    // Signed with another key: not ours, and unsigned still.
    const auto foreign = model::auth::make_legacy_token(key(model::auth::testing::kOtherEcKeyPem), "default", "robot",
                                                        "u1", "robot-token-a", 1);
    CHECK_FALSE(oracle.verify_stored(model::DataValue(foreign)).has_value());
  }
}

TEST_CASE("a review of a stored lazy token matches the server's copy without signing either") {
  const auto signer = key(model::auth::builtin_rsa_key_pem());
  const TokenOracle oracle(VerifyingKey::from_der(signer->public_key_der()));
  auto token = [&](const char* secret) {
    return model::auth::make_legacy_token(signer, "default", "robot", "u1", secret, 1);
  };
  const auto presented = token("robot-token-a");
  const auto same = token("robot-token-a");  // another object, the same token
  const auto other = token("robot-token-b");
  struct Objects {
    model::ObjectPtr secret, account;
  } objects;
  model::ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = "robot";
  sa.metadata.uid = "u1";
  objects.account = std::make_shared<const model::Object>(sa);
  const ReviewLookup lookup{.secret = [&](const std::string&, const std::string&) { return objects.secret; },
                            .service_account = [&](const std::string&, const std::string&) { return objects.account; }};
  auto store_secret = [&](std::shared_ptr<const model::auth::LegacyToken> held) {
    model::Secret s;
    s.metadata.namespace_ = "default";
    s.metadata.name = "robot-token-a";
    s.data[std::string(model::kServiceAccountTokenKey)] = model::DataValue(std::move(held));
    objects.secret = std::make_shared<const model::Object>(s);
  };
  store_secret(same);
  auto review = oracle.judge_stored(model::DataValue(presented), true, lookup);
  REQUIRE(review.has_value());
  CHECK(review->authenticated);
  CHECK(review->username == "system:serviceaccount:default:robot");
  store_secret(other);
  review = oracle.judge_stored(model::DataValue(presented), true, lookup);
  REQUIRE(review.has_value());
  CHECK_FALSE(review->authenticated);
  CHECK(review->reason == "Token does not match server's copy");
  CHECK_FALSE(presented->computed());
  CHECK_FALSE(same->computed());
  CHECK_FALSE(other->computed());
}

}  // namespace sasim::properties::token_oracle_test
