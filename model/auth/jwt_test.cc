#include "model/auth/jwt.h"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include "model/auth/base64.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/go_text.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace {

SigningKey load(std::string_view pem) {
  auto key = SigningKey::from_pem(pem);
  REQUIRE(key.ok());
  return key.value();
}

std::vector<std::string> segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    out.push_back(token.substr(start, dot - start));
  }
  out.push_back(token.substr(start));
  return out;
}

const nlohmann::json kClaims = to_json(make_legacy_claims("test", "my-service-account", "12345", "my-secret"));

TEST_CASE("a signed JWT has the exact header and Go's payload bytes", "[jwt]") {
  sim::Prng entropy(1);
  for (std::string_view pem : {builtin_rsa_key_pem(), builtin_ec_key_pem()}) {
    const SigningKey key = load(pem);
    const std::string token = sign_jwt(key, kClaims, entropy);
    const auto parts = segments(token);
    REQUIRE(parts.size() == 3);
    CHECK(base64url_decode(parts[0]) == R"({"alg":")" + key.algorithm() + R"(","kid":")" + key.kid() + R"("})");
    CHECK(base64url_decode(parts[1]) == go_json_dump(kClaims));
    CHECK(base64url_decode(parts[1])->front() == '{');
  }
}

TEST_CASE("RS256 signs the same claims into the same token and ES256 into a new one each time", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey rsa = load(builtin_rsa_key_pem());
  const std::string token = sign_jwt(rsa, kClaims, entropy);
  CHECK(sign_jwt(rsa, kClaims, entropy) == token);
  CHECK(sign_jwt(load(builtin_rsa_key_pem()), kClaims, entropy) == token);
  nlohmann::json other = kClaims;
  other["sub"] = "system:serviceaccount:test:other";
  CHECK(sign_jwt(rsa, other, entropy) != token);

  const SigningKey ec = load(builtin_ec_key_pem());
  sim::Prng a(5);
  sim::Prng b(5);
  const std::string first = sign_jwt(ec, kClaims, a);
  CHECK(sign_jwt(ec, kClaims, a) != first);
  CHECK(sign_jwt(load(builtin_ec_key_pem()), kClaims, b) == first);
}

TEST_CASE("a parsed JWT gives back its parts and verifies with its key only", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey rsa = load(builtin_rsa_key_pem());
  const SigningKey ec = load(builtin_ec_key_pem());
  const SigningKey other_rsa = load(testing::kOtherRsaKeyPem);
  const SigningKey other_ec = load(testing::kOtherEcKeyPem);
  for (const SigningKey* key : {&rsa, &ec}) {
    const std::string token = sign_jwt(*key, kClaims, entropy);
    const auto jwt = parse_jwt(token, JwsParsing::kCompactOnly);
    REQUIRE(jwt.ok());
    CHECK(jwt.value().alg == key->algorithm());
    CHECK(jwt.value().kid == key->kid());
    CHECK(jwt.value().claims == kClaims);
    CHECK(jwt.value().signing_input == token.substr(0, token.rfind('.')));
    CHECK(jwt.value().signature.size() == (key == &rsa ? 256U : 64U));
    CHECK(verify_jwt_signature(jwt.value(), key->public_key()));
    for (const SigningKey* wrong : {&rsa, &ec, &other_rsa, &other_ec}) {
      if (wrong != key) CHECK_FALSE(verify_jwt_signature(jwt.value(), wrong->public_key()));
    }
  }
}

TEST_CASE("a tampered JWT does not verify", "[jwt]") {
  sim::Prng entropy(1);
  for (std::string_view pem : {builtin_rsa_key_pem(), builtin_ec_key_pem()}) {
    const SigningKey key = load(pem);
    const auto parts = segments(sign_jwt(key, kClaims, entropy));
    nlohmann::json changed = kClaims;
    changed[std::string(kServiceAccountUidClaim)] = "67890";
    const std::string forged = parts[0] + "." + base64url_encode(go_json_dump(changed)) + "." + parts[2];
    const auto jwt = parse_jwt(forged, JwsParsing::kCompactOnly);
    REQUIRE(jwt.ok());
    CHECK_FALSE(verify_jwt_signature(jwt.value(), key.public_key()));
    const std::string header = base64url_encode(R"({"alg":"none"})");
    const auto unsigned_jwt = parse_jwt(header + "." + parts[1] + ".", JwsParsing::kCompactOnly);
    REQUIRE(unsigned_jwt.ok());
    CHECK_FALSE(verify_jwt_signature(unsigned_jwt.value(), key.public_key()));
  }
}

// What go-jose verifies is the canonical re-encoding of the decoded segments.
TEST_CASE("a JWT whose payload has stray base64 bits still verifies", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey key = load(builtin_rsa_key_pem());
  nlohmann::json claims = kClaims;
  claims["x"] = "a";  // pads the payload to a length whose encoding has spare bits
  auto parts = segments(sign_jwt(key, claims, entropy));
  std::string payload = parts[1];
  for (int extra = 0; payload.size() % 4 == 0 && extra < 3; ++extra) {
    claims["x"] = claims["x"].get<std::string>() + "a";
    parts = segments(sign_jwt(key, claims, entropy));
    payload = parts[1];
  }
  REQUIRE(payload.size() % 4 != 0);
  // The last character carries 2 or 4 unused bits; setting the lowest one
  // changes the text but not the bytes.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t last = alphabet.find(payload.back());
  REQUIRE(last % 2 == 0);
  payload.back() = alphabet[last + 1];
  const auto jwt = parse_jwt(parts[0] + "." + payload + "." + parts[2], JwsParsing::kCompactOnly);
  REQUIRE(jwt.ok());
  CHECK(verify_jwt_signature(jwt.value(), key.public_key()));
}

// OpenSSL 3.0's own ECDSA draws a random nonce: a different, equally valid
// signature, which the verifier must accept.
TEST_CASE("ES256 verification accepts randomized signatures", "[jwt]") {
  sim::Prng entropy(1);
  const std::string_view pem = builtin_ec_key_pem();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(pkey != nullptr);
  const SigningKey key = load(pem);
  const std::string input =
      base64url_encode(R"({"alg":"ES256","kid":")" + key.kid() + R"("})") + "." + base64url_encode(go_json_dump(kClaims));
  for (int round = 0; round < 4; ++round) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1);
    REQUIRE(EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    std::string der(len, '\0');
    REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    EVP_MD_CTX_free(ctx);
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
    REQUIRE(sig != nullptr);
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    CHECK(raw != key.sign(input, entropy));
    const auto jwt = parse_jwt(input + "." + base64url_encode(raw), JwsParsing::kCompactOnly);
    REQUIRE(jwt.ok());
    CHECK(verify_jwt_signature(jwt.value(), key.public_key()));
  }
  EVP_PKEY_free(pkey);
}

TEST_CASE("a critical header extension fails verification", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey key = load(builtin_rsa_key_pem());
  const std::string input = base64url_encode(R"({"alg":"RS256","crit":["exp"],"exp":1})") + "." +
                            base64url_encode(go_json_dump(kClaims));
  const auto jwt = parse_jwt(input + "." + base64url_encode(key.sign(input, entropy)), JwsParsing::kCompactOnly);
  REQUIRE(jwt.ok());
  CHECK_FALSE(verify_jwt_signature(jwt.value(), key.public_key()));
}

TEST_CASE("malformed tokens do not parse", "[jwt]") {
  const std::string header = base64url_encode(R"({"alg":"RS256"})");
  const std::string payload = base64url_encode(R"({"iss":"kubernetes/serviceaccount"})");
  struct Case {
    std::string token;
    std::string why;
  };
  const Case cases[] = {
      {"invalid token", "three parts"},
      {header + "." + payload, "three parts"},
      {header + "." + payload + ".c2ln.extra", "three parts"},
      {header + "=." + payload + ".c2ln", "base64url"},
      {header + "." + payload + ".c2l+", "base64url"},
      {base64url_encode("[1]") + "." + payload + ".c2ln", "header is not a JSON object"},
      {base64url_encode("{") + "." + payload + ".c2ln", "header is not a JSON object"},
      {header + "." + base64url_encode("\"iss\"") + ".c2ln", "payload is not a JSON object"},
      {base64url_encode(R"({"alg":5})") + "." + payload + ".c2ln", "\"alg\" is not a string"},
      {base64url_encode(R"({"alg":"RS256","kid":[]})") + "." + payload + ".c2ln", "\"kid\" is not a string"},
  };
  for (const Case& c : cases) {
    INFO(c.token);
    for (JwsParsing era : {JwsParsing::kGoJoseV2, JwsParsing::kCompactOnly}) {
      const auto jwt = parse_jwt(c.token, era);
      REQUIRE_FALSE(jwt.ok());
      CHECK_THAT(jwt.error().message, Catch::StartsWith("malformed JWT: ") && Catch::Contains(c.why));
    }
  }
}

// go-jose v2 (Kubernetes 1.20) also reads the JWS JSON serialization.
TEST_CASE("1.20's parser reads the JSON serialization", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey key = load(builtin_ec_key_pem());
  const std::string token = sign_jwt(key, kClaims, entropy);
  const auto parts = segments(token);
  const std::string flattened =
      R"({"payload":")" + parts[1] + R"(","protected":")" + parts[0] + R"(","signature":")" + parts[2] + R"("})";
  const std::string general = R"({"payload":")" + parts[1] + R"(","signatures":[{"protected":")" + parts[0] +
                              R"(","signature":")" + parts[2] + R"("}]})";
  for (const std::string& json : {flattened, general, " \n" + flattened}) {
    INFO(json);
    const auto jwt = parse_jwt(json, JwsParsing::kGoJoseV2);
    REQUIRE(jwt.ok());
    CHECK(jwt.value().claims == kClaims);
    CHECK(jwt.value().alg == "ES256");
    CHECK(jwt.value().kid == key.kid());
    CHECK(jwt.value().signing_input == parts[0] + "." + parts[1]);
    CHECK(jwt.value().signature_count == 1);
    CHECK(verify_jwt_signature(jwt.value(), key.public_key()));
    CHECK_FALSE(parse_jwt(json, JwsParsing::kCompactOnly).ok());
  }
}

TEST_CASE("in the JSON serialization the protected header wins and unprotected values count too", "[jwt]") {
  const std::string payload = base64url_encode(go_json_dump(kClaims));
  const std::string protected_header = base64url_encode(R"({"alg":"ES256"})");
  const auto jwt = parse_jwt(R"({"payload":")" + payload + R"(","protected":")" + protected_header +
                                 R"(","header":{"alg":"RS256","kid":"k1"},"signature":"c2ln"})",
                             JwsParsing::kGoJoseV2);
  REQUIRE(jwt.ok());
  CHECK(jwt.value().alg == "ES256");
  CHECK(jwt.value().kid == "k1");
  // Without a protected header the signing input starts with its dot.
  const auto bare = parse_jwt(R"({"payload":")" + payload + R"(","header":{"alg":"RS256"},"signature":"c2ln"})",
                              JwsParsing::kGoJoseV2);
  REQUIRE(bare.ok());
  CHECK(bare.value().alg == "RS256");
  CHECK(bare.value().signing_input == "." + payload);
}

TEST_CASE("malformed JSON serializations do not parse", "[jwt]") {
  const std::string payload = base64url_encode(go_json_dump(kClaims));
  const std::string header = base64url_encode(R"({"alg":"ES256"})");
  struct Case {
    std::string json;
    std::string why;
  };
  const Case cases[] = {
      {R"({"protected":")" + header + R"(","signature":"c2ln"})", "missing payload"},
      {R"({"payload":null,"signature":"c2ln"})", "missing payload"},
      {R"({"payload":5})", "\"payload\" is not a string"},
      {R"({"payload":")" + payload + R"(","protected":"!!"})", "\"protected\" is not unpadded base64url"},
      {R"({"payload":")" + payload + R"(","protected":")" + base64url_encode("[1]") + R"("})", "protected header"},
      {R"({"payload":")" + payload + R"(","header":[1]})", "\"header\" is not a JSON object"},
      {R"({"payload":")" + payload + R"(","header":{"nonce":"n"}})", "nonce"},
      {R"({"payload":")" + payload + R"(","header":{"alg":5}})", "\"alg\" is not a string"},
      {R"({"payload":")" + payload + R"(","signatures":{}})", "\"signatures\" is not an array"},
      {R"({"payload":")" + base64url_encode("[]") + R"("})", "payload is not a JSON object"},
      {R"({"payload":")" + payload + R"(")", "is not a JSON object"},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    const auto jwt = parse_jwt(c.json, JwsParsing::kGoJoseV2);
    REQUIRE_FALSE(jwt.ok());
    CHECK_THAT(jwt.error().message, Catch::StartsWith("malformed JWT: ") && Catch::Contains(c.why));
  }
}

TEST_CASE("1.20's parser strips whitespace and the later one does not", "[jwt]") {
  sim::Prng entropy(1);
  const SigningKey key = load(builtin_rsa_key_pem());
  const std::string token = sign_jwt(key, kClaims, entropy);
  const std::string spaced = " " + token.substr(0, 20) + "\n\r\t\f " + token.substr(20) + "\n";
  const auto jwt = parse_jwt(spaced, JwsParsing::kGoJoseV2);
  REQUIRE(jwt.ok());
  CHECK(verify_jwt_signature(jwt.value(), key.public_key()));
  CHECK_FALSE(parse_jwt(spaced, JwsParsing::kCompactOnly).ok());
  // Go's regexp \s has no vertical tab.
  CHECK_FALSE(parse_jwt(token.substr(0, 20) + "\v" + token.substr(20), JwsParsing::kGoJoseV2).ok());
}

}  // namespace
}  // namespace sasim::model::auth
