#include "model/auth/lazy_token.h"

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"

namespace sasim::model::auth {
namespace {

std::shared_ptr<const SigningKey> load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return std::make_shared<const SigningKey>(key.value());
}

TEST_CASE("a legacy token signs only when its bytes are read", "[lazy_token]") {
  for (std::string_view pem : {builtin_rsa_key_pem(), builtin_ec_key_pem()}) {
    const auto key = load(pem);
    const std::shared_ptr<const LazyValue> token = make_legacy_token(key, "ns", "sa", "uid-1", "sa-token-x2k9q");
    CHECK_FALSE(token->computed());
    const std::string description = token->describe();
    CHECK_FALSE(token->computed());
    const std::string& bytes = token->bytes();
    CHECK(token->computed());
    CHECK(bytes == sign_jwt(*key, to_json(make_legacy_claims("ns", "sa", "uid-1", "sa-token-x2k9q"))));
    CHECK(&token->bytes() == &bytes);
    CHECK(token->describe() == description);
  }
}

TEST_CASE("a legacy token's description names everything its bytes depend on", "[lazy_token]") {
  const auto key = load(builtin_rsa_key_pem());
  const auto token = make_legacy_token(key, "ns", "sa", "uid-1", "sa-token-x2k9q");
  CHECK(token->describe() == "jwt(RS256 kid=" + key->kid() +
                                 " sub=system:serviceaccount:ns:sa uid=uid-1 secret=ns/sa-token-x2k9q)");
  CHECK(make_legacy_token(key, "ns", "sa", "uid-2", "sa-token-x2k9q")->describe() != token->describe());
  CHECK(make_legacy_token(load(builtin_ec_key_pem()), "ns", "sa", "uid-1", "sa-token-x2k9q")->describe() !=
        token->describe());
}

TEST_CASE("two tokens with the same key and claims have the same bytes", "[lazy_token]") {
  for (std::string_view pem : {builtin_rsa_key_pem(), builtin_ec_key_pem()}) {
    const auto a = make_legacy_token(load(pem), "ns", "sa", "uid", "secret");
    const auto b = make_legacy_token(load(pem), "ns", "sa", "uid", "secret");
    CHECK(a->bytes() == b->bytes());
    CHECK(make_legacy_token(load(pem), "ns", "sa", "uid", "secret2")->bytes() != a->bytes());
  }
}

}  // namespace
}  // namespace sasim::model::auth
