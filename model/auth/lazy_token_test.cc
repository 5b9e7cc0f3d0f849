#include "model/auth/lazy_token.h"

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"

namespace sasim::model::auth {
namespace lazy_token_test {

std::shared_ptr<const SigningKey> load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return std::make_shared<const SigningKey>(key.value());
}

TEST_CASE("a legacy token signs only when its bytes are read", "[lazy_token]") {
  for (std::string_view pem : {builtin_rsa_key_pem(), builtin_ec_key_pem()}) {
    const auto key = load(pem);
    const std::shared_ptr<const LazyValue> token = make_legacy_token(key, "ns", "sa", "uid-1", "sa-token-x2k9q", 42);
    CHECK_FALSE(token->computed());
    const std::string description = token->describe();
    CHECK_FALSE(token->computed());
    const std::string& bytes = token->bytes();
    CHECK(token->computed());
    sim::Prng entropy(42);
    CHECK(bytes == sign_jwt(*key, to_json(make_legacy_claims("ns", "sa", "uid-1", "sa-token-x2k9q")), entropy));
    CHECK(&token->bytes() == &bytes);
    CHECK(token->describe() == description);
  }
}

TEST_CASE("a legacy token's description names everything its bytes depend on", "[lazy_token]") {
  const auto key = load(builtin_rsa_key_pem());
  const auto token = make_legacy_token(key, "ns", "sa", "uid-1", "sa-token-x2k9q", 42);
  CHECK(token->describe() == "jwt(RS256 kid=" + key->kid() +
                                 " sub=system:serviceaccount:ns:sa uid=uid-1 secret=ns/sa-token-x2k9q)");
  CHECK(make_legacy_token(key, "ns", "sa", "uid-2", "sa-token-x2k9q", 42)->describe() != token->describe());
  CHECK(make_legacy_token(load(builtin_ec_key_pem()), "ns", "sa", "uid-1", "sa-token-x2k9q", 42)->describe() !=
        token->describe());
}

TEST_CASE("an ES256 token's description names its nonce seed and an RS256 token's does not", "[lazy_token]") {
  const auto ec = load(builtin_ec_key_pem());
  CHECK_THAT(make_legacy_token(ec, "ns", "sa", "uid", "secret", 0xab)->describe(),
             Catch::EndsWith(" secret=ns/secret nonce=00000000000000ab)"));
  CHECK(make_legacy_token(ec, "ns", "sa", "uid", "secret", 1)->describe() !=
        make_legacy_token(ec, "ns", "sa", "uid", "secret", 2)->describe());
  const auto rsa = load(builtin_rsa_key_pem());
  CHECK(make_legacy_token(rsa, "ns", "sa", "uid", "secret", 1)->describe() ==
        make_legacy_token(rsa, "ns", "sa", "uid", "secret", 2)->describe());
}

// RS256 (PKCS#1 v1.5) is deterministic, as upstream's: a token regenerated
// for the same Secret is the same string. go-jose's ES256 draws a nonce per
// signing: never the same token twice, but the same nonce seed (the same run)
// gives the same bytes, whenever they are read.
TEST_CASE("RS256 tokens repeat for the same claims and ES256 tokens only with their nonce seed", "[lazy_token]") {
  const auto rsa = load(builtin_rsa_key_pem());
  const auto a = make_legacy_token(rsa, "ns", "sa", "uid", "secret", 1);
  CHECK(make_legacy_token(rsa, "ns", "sa", "uid", "secret", 2)->bytes() == a->bytes());
  CHECK(make_legacy_token(rsa, "ns", "sa", "uid", "secret2", 1)->bytes() != a->bytes());

  const auto ec = load(builtin_ec_key_pem());
  const auto b = make_legacy_token(ec, "ns", "sa", "uid", "secret", 1);
  CHECK(make_legacy_token(ec, "ns", "sa", "uid", "secret", 2)->bytes() != b->bytes());
  CHECK(make_legacy_token(ec, "ns", "sa", "uid", "secret", 1)->bytes() == b->bytes());
  CHECK(make_legacy_token(load(builtin_ec_key_pem()), "ns", "sa", "uid", "secret", 1)->bytes() == b->bytes());
}

}  // namespace lazy_token_test
}  // namespace sasim::model::auth
