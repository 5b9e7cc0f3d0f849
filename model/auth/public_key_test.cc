#include "model/auth/public_key.h"

#include <catch2/catch.hpp>
#include <string>

#include "model/auth/builtin_keys.h"
#include "model/auth/signing_key.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace {

// Upstream pins this key id (J2): SHA-256 over the PKIX DER, base64url.
TEST_CASE("the key id of upstream's test ECDSA key matches upstream", "[public_key]") {
  const auto key = PublicKey::from_pem(testing::kUpstreamEcPublicKeyPem);
  REQUIRE(key.ok());
  CHECK(key.value().kid() == testing::kUpstreamEcKid);
  CHECK(key.value().description() == "ECDSA P-256");

  const auto from_private = PublicKey::from_pem(testing::kUpstreamEcKeyPem);
  REQUIRE(from_private.ok());
  CHECK(from_private.value().kid() == testing::kUpstreamEcKid);
  CHECK(from_private.value() == key.value());
}

TEST_CASE("a public key round trips through PEM and DER", "[public_key]") {
  const auto key = PublicKey::from_pem(builtin_rsa_key_pem());
  REQUIRE(key.ok());
  CHECK(key.value().description() == "RSA 2048");
  const auto again = PublicKey::from_pem(key.value().pem());
  REQUIRE(again.ok());
  CHECK(again.value().der() == key.value().der());
  const auto from_der = PublicKey::from_der(key.value().der());
  REQUIRE(from_der.ok());
  CHECK(from_der.value().kid() == key.value().kid());
  CHECK(key.value().pem().rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
}

TEST_CASE("parse_public_keys_pem reads every key block and skips the rest", "[public_key]") {
  const std::string text = std::string(builtin_root_ca_pem()) + std::string(testing::kOtherRsaPublicKeyPkcs1Pem) +
                           std::string(testing::kEcKeyAfterParametersPem) + std::string(testing::kOtherRsaKeyPkcs8Pem) +
                           std::string(testing::kUpstreamEcPublicKeyPem) + "trailing text\n";
  const auto keys = parse_public_keys_pem(text);
  REQUIRE(keys.ok());
  REQUIRE(keys.value().size() == 4);
  const auto other_rsa = PublicKey::from_pem(testing::kOtherRsaKeyPem);
  const auto other_ec = PublicKey::from_pem(testing::kOtherEcKeyPem);
  REQUIRE(other_rsa.ok());
  REQUIRE(other_ec.ok());
  CHECK(keys.value()[0] == other_rsa.value());
  CHECK(keys.value()[1] == other_ec.value());
  CHECK(keys.value()[2] == other_rsa.value());
  CHECK(keys.value()[3].kid() == testing::kUpstreamEcKid);
}

TEST_CASE("a text without RSA or ECDSA keys is an error", "[public_key]") {
  for (std::string_view text : {std::string_view(""), std::string_view("not pem"), builtin_root_ca_pem(),
                                testing::kEd25519KeyPem}) {
    const auto keys = parse_public_keys_pem(text);
    REQUIRE_FALSE(keys.ok());
    CHECK(keys.error().message == "data does not contain any valid RSA or ECDSA public keys");
  }
  CHECK_FALSE(PublicKey::from_der("garbage").ok());
  const auto key = PublicKey::from_pem(testing::kUpstreamEcPublicKeyPem);
  REQUIRE(key.ok());
  CHECK_FALSE(PublicKey::from_der(key.value().der() + std::string(1, '\0')).ok());
}

TEST_CASE("verification refuses algorithms that do not fit the key", "[public_key]") {
  const auto rsa = SigningKey::from_pem(builtin_rsa_key_pem());
  const auto ec = SigningKey::from_pem(builtin_ec_key_pem());
  REQUIRE(rsa.ok());
  REQUIRE(ec.ok());
  sim::Prng entropy(1);
  const std::string rsa_sig = rsa.value().sign("input", entropy);
  const std::string ec_sig = ec.value().sign("input", entropy);
  CHECK(rsa.value().public_key().verify("RS256", "input", rsa_sig));
  CHECK(ec.value().public_key().verify("ES256", "input", ec_sig));
  CHECK_FALSE(rsa.value().public_key().verify("RS384", "input", rsa_sig));
  CHECK_FALSE(rsa.value().public_key().verify("PS256", "input", rsa_sig));
  CHECK_FALSE(rsa.value().public_key().verify("ES256", "input", ec_sig));
  CHECK_FALSE(ec.value().public_key().verify("RS256", "input", rsa_sig));
  CHECK_FALSE(ec.value().public_key().verify("ES384", "input", ec_sig));
  CHECK_FALSE(ec.value().public_key().verify("none", "input", ""));
  CHECK_FALSE(ec.value().public_key().verify("ES256", "input", ec_sig.substr(1)));
  CHECK_FALSE(ec.value().public_key().verify("ES256", "input!", ec_sig));
}

}  // namespace
}  // namespace sasim::model::auth
