#include "model/auth/public_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "model/auth/base64.h"
#include "model/auth/openssl_handles.h"
#include "model/auth/pem_blocks.h"

namespace sasim::model::auth {

struct PublicKey::Impl {
  ossl::Ptr<EVP_PKEY> pkey;
  bool rsa = false;
  std::string der;
  std::string kid;
  std::string description;
};

namespace {

std::string sha256(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// The NIST name ("P-256") of an EC key's curve, or "" for any other curve.
std::string nist_curve(EVP_PKEY* pkey) {
  char group[80] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) {
    return "";
  }
  const char* nist = EC_curve_nid2nist(OBJ_sn2nid(group));
  return nist == nullptr ? "" : nist;
}

sim::Result<std::string> pkix_der(EVP_PKEY* pkey) {
  unsigned char* out = nullptr;
  const int len = i2d_PUBKEY(pkey, &out);
  if (len <= 0) {
    ossl::clear_errors();
    return sim::unexpected(sim::Error{"cannot encode the public key as PKIX DER"});
  }
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return der;
}

// JWS ES* signatures are r||s of fixed width; OpenSSL verifies DER.
std::optional<std::string> der_ecdsa_signature(std::string_view raw) {
  const std::size_t half = raw.size() / 2;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ossl::Ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + half, static_cast<int>(half), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &out);
  if (len <= 0) return std::nullopt;
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return der;
}

bool digest_verify(EVP_PKEY* pkey, const EVP_MD* md, bool pss, std::string_view input,
                   std::string_view signature) {
  ossl::Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) != 1) return false;
  // go-jose verifies PS* with Go's PSSSaltLengthAuto: any salt length.
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1)) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

sim::Result<ossl::Ptr<EVP_PKEY>> private_key_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ossl::Ptr<EVP_PKEY> pkey(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey) return sim::unexpected(sim::Error{"not a private key"});
  return pkey;
}

// The public half of a PEM block that holds a key of any supported form.
std::optional<std::string> public_der_of_block(const PemBlock& block) {
  const auto* p = reinterpret_cast<const unsigned char*>(block.bytes.data());
  const long len = static_cast<long>(block.bytes.size());
  ossl::Ptr<EVP_PKEY> pkey(d2i_PUBKEY(nullptr, &p, len));
  if (!pkey) {
    p = reinterpret_cast<const unsigned char*>(block.bytes.data());
    pkey.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, len));
  }
  if (!pkey) {
    auto priv = private_key_from_der(block.bytes);
    if (priv) pkey = std::move(priv).value();
  }
  if (!pkey) return std::nullopt;
  auto der = pkix_der(pkey.get());
  if (!der) return std::nullopt;
  return std::move(der).value();
}

}  // namespace

sim::Result<PublicKey> PublicKey::from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ossl::Ptr<EVP_PKEY> pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  // Go's x509.ParsePKIXPublicKey refuses trailing bytes; so does sasim.
  if (!pkey || p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    ossl::clear_errors();
    return sim::unexpected(sim::Error{"not a DER SubjectPublicKeyInfo"});
  }
  auto impl = std::make_shared<Impl>();
  const int id = EVP_PKEY_get_base_id(pkey.get());
  if (id == EVP_PKEY_RSA) {
    impl->rsa = true;
    impl->description = "RSA " + std::to_string(EVP_PKEY_get_bits(pkey.get()));
  } else if (id == EVP_PKEY_EC) {
    const std::string curve = nist_curve(pkey.get());
    if (curve != "P-224" && curve != "P-256" && curve != "P-384" && curve != "P-521") {
      ossl::clear_errors();
      return sim::unexpected(sim::Error{"unsupported elliptic curve; supported: P-224, P-256, P-384, P-521"});
    }
    impl->description = "ECDSA " + curve;
    // Go writes EC keys with the curve's name and an uncompressed point; the
    // key id hashes those bytes, so OpenSSL must write the same ones.
    EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED);
    EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_GROUP);
  } else {
    ossl::clear_errors();
    return sim::unexpected(sim::Error{"unsupported public key type; supported: RSA, ECDSA"});
  }
  auto normalized = pkix_der(pkey.get());
  if (!normalized) return sim::unexpected(normalized.error());
  impl->der = std::move(normalized).value();
  impl->kid = base64url_encode(sha256(impl->der));
  impl->pkey = std::move(pkey);
  ossl::clear_errors();
  return PublicKey(std::move(impl));
}

sim::Result<PublicKey> PublicKey::from_pem(std::string_view text) {
  auto keys = parse_public_keys_pem(text);
  if (!keys) return sim::unexpected(keys.error());
  return keys.value().front();
}

const std::string& PublicKey::der() const { return impl_->der; }

std::string PublicKey::pem() const {
  ossl::Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), impl_->pkey.get());
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

const std::string& PublicKey::kid() const { return impl_->kid; }

const std::string& PublicKey::description() const { return impl_->description; }

bool PublicKey::verify(std::string_view alg, std::string_view signing_input, std::string_view signature) const {
  struct Scheme {
    std::string_view alg;
    const EVP_MD* (*md)();
    bool rsa;
    bool pss;
    std::size_t ec_half;  // bytes of r (and of s) in an ES* signature
  };
  const Scheme schemes[] = {
      {"RS256", EVP_sha256, true, false, 0},  {"RS384", EVP_sha384, true, false, 0},
      {"RS512", EVP_sha512, true, false, 0},  {"PS256", EVP_sha256, true, true, 0},
      {"PS384", EVP_sha384, true, true, 0},   {"PS512", EVP_sha512, true, true, 0},
      {"ES256", EVP_sha256, false, false, 32}, {"ES384", EVP_sha384, false, false, 48},
      {"ES512", EVP_sha512, false, false, 66},
  };
  bool ok = false;
  for (const Scheme& scheme : schemes) {
    if (scheme.alg != alg || scheme.rsa != impl_->rsa) continue;
    if (scheme.rsa) {
      ok = digest_verify(impl_->pkey.get(), scheme.md(), scheme.pss, signing_input, signature);
    } else if (signature.size() == 2 * scheme.ec_half) {
      const auto der = der_ecdsa_signature(signature);
      ok = der && digest_verify(impl_->pkey.get(), scheme.md(), false, signing_input, *der);
    }
    break;
  }
  ossl::clear_errors();
  return ok;
}

sim::Result<std::vector<PublicKey>> parse_public_keys_pem(std::string_view text) {
  std::vector<PublicKey> keys;
  for (const PemBlock& block : read_pem_blocks(text)) {
    const auto der = public_der_of_block(block);
    if (!der) continue;
    auto key = PublicKey::from_der(*der);
    if (key) keys.push_back(std::move(key).value());
  }
  ossl::clear_errors();
  if (keys.empty()) return sim::unexpected(sim::Error{"data does not contain any valid RSA or ECDSA public keys"});
  return keys;
}

}  // namespace sasim::model::auth
