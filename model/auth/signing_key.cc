#include "model/auth/signing_key.h"

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include <optional>

#include "model/auth/ecdsa_p256.h"
#include "model/auth/openssl_handles.h"
#include "model/auth/pem_blocks.h"
#include "sim/check.h"

namespace sasim::model::auth {

struct SigningKey::Impl {
  ossl::Ptr<EVP_PKEY> pkey;
  std::string algorithm;
  std::optional<PublicKey> public_key;
  P256Scalar ec_private{};  // ES256 only
};

namespace {

constexpr std::string_view kSupported = "supported: RSA (RS256) or ECDSA P-256 (ES256)";

// Which block types hold which key encodings, as in keyutil.ParsePrivateKeyPEM.
ossl::Ptr<EVP_PKEY> parse_private_block(const PemBlock& block) {
  const auto* p = reinterpret_cast<const unsigned char*>(block.bytes.data());
  const long len = static_cast<long>(block.bytes.size());
  if (block.type == "RSA PRIVATE KEY") return ossl::Ptr<EVP_PKEY>(d2i_PrivateKey(EVP_PKEY_RSA, nullptr, &p, len));
  if (block.type == "EC PRIVATE KEY") return ossl::Ptr<EVP_PKEY>(d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, len));
  if (block.type == "PRIVATE KEY") {
    PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, len);
    if (info == nullptr) return nullptr;
    ossl::Ptr<EVP_PKEY> pkey(EVP_PKCS82PKEY(info));
    PKCS8_PRIV_KEY_INFO_free(info);
    return pkey;
  }
  return nullptr;
}

}  // namespace

sim::Result<SigningKey> SigningKey::from_pem(std::string_view text) {
  ossl::Ptr<EVP_PKEY> pkey;
  for (const PemBlock& block : read_pem_blocks(text)) {
    pkey = parse_private_block(block);
    if (pkey) break;
  }
  ossl::clear_errors();
  if (!pkey) {
    return sim::unexpected(sim::Error{"data does not contain a valid RSA or ECDSA private key in PEM form (" +
                                      std::string(kSupported) + ")"});
  }

  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(pkey.get(), &der);
  if (der_len <= 0) {
    ossl::clear_errors();
    return sim::unexpected(sim::Error{"cannot derive the public key of the signing key"});
  }
  auto public_key = PublicKey::from_der(std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_len)));
  OPENSSL_free(der);
  if (!public_key) {
    return sim::unexpected(sim::Error{"unsupported signing key (" + public_key.error().message + "); " +
                                      std::string(kSupported)});
  }

  auto impl = std::make_shared<Impl>();
  const std::string& description = public_key.value().description();
  if (description.rfind("RSA ", 0) == 0) {
    impl->algorithm = "RS256";
  } else if (description == "ECDSA P-256") {
    impl->algorithm = "ES256";
    BIGNUM* scalar = nullptr;
    if (EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &scalar) != 1 ||
        BN_bn2binpad(scalar, impl->ec_private.data(), static_cast<int>(impl->ec_private.size())) != 32) {
      BN_clear_free(scalar);
      ossl::clear_errors();
      return sim::unexpected(sim::Error{"cannot read the ECDSA private scalar"});
    }
    BN_clear_free(scalar);
  } else {
    return sim::unexpected(sim::Error{"unsupported signing key " + description + "; " + std::string(kSupported)});
  }
  impl->public_key = std::move(public_key).value();
  impl->pkey = std::move(pkey);
  return SigningKey(std::move(impl));
}

const std::string& SigningKey::algorithm() const { return impl_->algorithm; }

const PublicKey& SigningKey::public_key() const { return *impl_->public_key; }

bool SigningKey::randomized() const { return impl_->algorithm == "ES256"; }

std::string SigningKey::sign(std::string_view signing_input, sim::Prng& entropy) const {
  if (impl_->algorithm == "ES256") {
    Sha256Digest digest{};
    unsigned int len = 0;
    SIM_CHECK(EVP_Digest(signing_input.data(), signing_input.size(), digest.data(), &len, EVP_sha256(), nullptr) == 1,
              "SHA-256 failed");
    const P256Signature sig = ecdsa_p256_sign(impl_->ec_private, digest, entropy);
    return std::string(reinterpret_cast<const char*>(sig.data()), sig.size());
  }
  ossl::Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  SIM_CHECK(ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->pkey.get()) == 1 &&
                EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(signing_input.data()),
                               signing_input.size()) == 1,
            "RS256 signing setup failed");
  std::string signature(len, '\0');
  SIM_CHECK(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1,
            "RS256 signing failed");
  signature.resize(len);
  return signature;
}

}  // namespace sasim::model::auth
