#include "tools/serve/tls.h"

#include <catch2/catch.hpp>
#include <openssl/x509v3.h>

namespace sasim::tools::serve {
namespace {

TEST_CASE("the self-signed certificate names 127.0.0.1 as a subjectAltName and is its own CA") {
  auto id = make_self_signed("127.0.0.1");
  REQUIRE(id.ok());
  X509* cert = id.value().certificate.get();
  CHECK(X509_verify(cert, id.value().key.get()) == 1);  // self-signed with the key it carries
  CHECK(X509_check_ip_asc(cert, "127.0.0.1", 0) == 1);  // Go checks the SAN, not the CN
  CHECK(X509_check_host(cert, "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert, "10.0.0.1", 0) != 1);
  CHECK(X509_check_ca(cert) == 1);
  CHECK(id.value().certificate_pem.starts_with("-----BEGIN CERTIFICATE-----"));
}

TEST_CASE("a host that is not an IP address cannot be named") {
  CHECK_FALSE(make_self_signed("not-an-ip").ok());
}

}  // namespace
}  // namespace sasim::tools::serve
