// The server's TLS identity: a P-256 key and a self-signed certificate for
// 127.0.0.1 made at start with OpenSSL. Go refuses a certificate whose name
// is only in the Common Name, so the address is a subjectAltName (IP and
// DNS:localhost); the certificate is its own CA (basicConstraints CA:TRUE),
// so that a kubeconfig can trust it as certificate-authority-data.
#pragma once

#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sim/result.h"

namespace sasim::tools::serve {

struct TlsIdentity {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> certificate{nullptr, X509_free};
  std::string certificate_pem;
};

// `ip`: the address the certificate names (the --listen host).
sim::Result<TlsIdentity> make_self_signed(const std::string& ip);

}  // namespace sasim::tools::serve
