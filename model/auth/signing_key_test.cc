#include "model/auth/signing_key.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>

#include "model/auth/builtin_keys.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace {

TEST_CASE("the builtin keys load with their algorithms", "[signing_key]") {
  const auto rsa = SigningKey::from_pem(builtin_rsa_key_pem());
  REQUIRE(rsa.ok());
  CHECK(rsa.value().algorithm() == "RS256");
  CHECK(rsa.value().public_key().description() == "RSA 2048");
  const auto ec = SigningKey::from_pem(builtin_ec_key_pem());
  REQUIRE(ec.ok());
  CHECK(ec.value().algorithm() == "ES256");
  for (const SigningKey& key : {rsa.value(), ec.value()}) {
    CHECK(key.kid().size() == 43);  // 32 bytes of SHA-256, unpadded base64url
    CHECK(key.kid() == key.public_key().kid());
    CHECK(key.public_key_der() == key.public_key().der());
  }
  CHECK(rsa.value().kid() != ec.value().kid());
}

TEST_CASE("the key id is computed from the public key alone", "[signing_key]") {
  const auto key = SigningKey::from_pem(testing::kUpstreamEcKeyPem);
  REQUIRE(key.ok());
  CHECK(key.value().kid() == testing::kUpstreamEcKid);
  const auto pub = PublicKey::from_pem(key.value().public_key_pem());
  REQUIRE(pub.ok());
  CHECK(pub.value().kid() == testing::kUpstreamEcKid);
}

TEST_CASE("private keys load from PKCS8 and after other PEM blocks", "[signing_key]") {
  const auto pkcs1 = SigningKey::from_pem(testing::kOtherRsaKeyPem);
  const auto pkcs8 = SigningKey::from_pem(testing::kOtherRsaKeyPkcs8Pem);
  REQUIRE(pkcs1.ok());
  REQUIRE(pkcs8.ok());
  CHECK(pkcs1.value().kid() == pkcs8.value().kid());
  const auto after_params = SigningKey::from_pem(testing::kEcKeyAfterParametersPem);
  REQUIRE(after_params.ok());
  CHECK(after_params.value().algorithm() == "ES256");
  const auto after_cert = SigningKey::from_pem(std::string(builtin_root_ca_pem()) + std::string(builtin_ec_key_pem()));
  REQUIRE(after_cert.ok());
  CHECK(after_cert.value().algorithm() == "ES256");
}

TEST_CASE("unsupported signing keys are errors naming what is supported", "[signing_key]") {
  for (std::string_view pem : {testing::kEd25519KeyPem, testing::kP384KeyPem}) {
    const auto key = SigningKey::from_pem(pem);
    REQUIRE_FALSE(key.ok());
    CHECK_THAT(key.error().message, Catch::Contains("supported: RSA (RS256) or ECDSA P-256 (ES256)"));
  }
  CHECK_THAT(SigningKey::from_pem(testing::kP384KeyPem).error().message, Catch::Contains("ECDSA P-384"));
  for (std::string_view pem : {std::string_view(""), std::string_view("junk"), testing::kUpstreamEcPublicKeyPem,
                               builtin_root_ca_pem()}) {
    const auto key = SigningKey::from_pem(pem);
    REQUIRE_FALSE(key.ok());
    CHECK_THAT(key.error().message, Catch::StartsWith("data does not contain a valid RSA or ECDSA private key"));
  }
}

TEST_CASE("RS256 signatures are deterministic and verify", "[signing_key]") {
  const auto key = SigningKey::from_pem(builtin_rsa_key_pem());
  REQUIRE(key.ok());
  sim::Prng entropy(1);
  const std::string a = key.value().sign("payload", entropy);
  CHECK(a.size() == 256);
  CHECK(key.value().sign("payload", entropy) == a);
  CHECK(key.value().sign("payload2", entropy) != a);
  CHECK(key.value().public_key().verify("RS256", "payload", a));
}

TEST_CASE("the builtin root CA is a self-signed kubernetes CA certificate", "[signing_key]") {
  const std::string_view pem = builtin_root_ca_pem();
  CHECK(pem.size() > 1000);
  CHECK(pem.size() < 1500);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(cert != nullptr);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  CHECK(std::string(cn) == "kubernetes");
  CHECK(X509_check_ca(cert) == 1);
  CHECK(X509_check_issued(cert, cert) == X509_V_OK);
  // Far future: the certificate outlives any simulated cluster.
  CHECK(ASN1_TIME_cmp_time_t(X509_get0_notAfter(cert), 4102444800) > 0);  // 2100-01-01
  X509_free(cert);
}

}  // namespace
}  // namespace sasim::model::auth
