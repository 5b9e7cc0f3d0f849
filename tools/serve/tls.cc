#include "tools/serve/tls.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace sasim::tools::serve {
namespace {

sim::Result<TlsIdentity> failure(const char* what) { return sim::unexpected(sim::Error{std::string("tls: ") + what}); }

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

sim::Result<TlsIdentity> make_self_signed(const std::string& ip) {
  TlsIdentity id;
  id.key.reset(EVP_EC_gen("P-256"));
  if (!id.key) return failure("cannot generate a P-256 key");
  id.certificate.reset(X509_new());
  X509* cert = id.certificate.get();
  if (cert == nullptr || X509_set_version(cert, 2) != 1) return failure("cannot make a certificate");
  // A random 64-bit serial, so that a client that remembers an earlier run's
  // certificate never sees the same serial with another key.
  unsigned char serial[8];
  if (RAND_bytes(serial, sizeof serial) != 1) return failure("no randomness for the serial");
  serial[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), BN_free);
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) return failure("bad serial");
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sasim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sasim serve"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  if (X509_set_pubkey(cert, id.key.get()) != 1) return failure("cannot set the public key");
  const std::string alt_names = "IP:" + ip + ",DNS:localhost";
  if (!add_extension(cert, NID_subject_alt_name, alt_names.c_str()) ||
      !add_extension(cert, NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign") ||
      !add_extension(cert, NID_ext_key_usage, "serverAuth") ||
      !add_extension(cert, NID_subject_key_identifier, "hash")) {
    return failure("cannot add the certificate's extensions (is the listen address an IP?)");
  }
  if (X509_sign(cert, id.key.get(), EVP_sha256()) == 0) return failure("cannot sign the certificate");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return failure("cannot write the certificate");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  id.certificate_pem.assign(data, static_cast<std::size_t>(length));
  return id;
}

}  // namespace sasim::tools::serve
