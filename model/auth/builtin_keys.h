// The keys and the CA certificate sasim ships for scenarios that do not name
// their own (`signing.key`, `rootCA`). They were generated once with the
// openssl CLI and are fixed text, never generated at run time, so that every
// run and every machine signs with the same key and gets the same tokens.
// They are test material: publicly known, never to protect anything.
#pragma once

#include <string_view>

namespace sasim::model::auth {

// RSA 2048 (PKCS#1 "RSA PRIVATE KEY"): `openssl genrsa -traditional 2048`.
std::string_view builtin_rsa_key_pem();
// ECDSA P-256 (SEC 1 "EC PRIVATE KEY"): `openssl ecparam -name prime256v1 -genkey -noout`.
std::string_view builtin_ec_key_pem();
// A self-signed CA certificate, CN=kubernetes, RSA 2048 with SHA-256,
// CA:TRUE, valid for 100 years from its generation in 2026: the kind of
// ca.crt a kubeadm cluster has, whose bytes the tokens controller copies into
// token Secrets. Its private key was discarded.
std::string_view builtin_root_ca_pem();

}  // namespace sasim::model::auth
