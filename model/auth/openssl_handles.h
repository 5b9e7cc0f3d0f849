// Owning handles for the OpenSSL objects model/auth uses, and the error-queue
// hygiene that goes with them. Internal to model/auth: public headers keep
// OpenSSL types out so that the rest of sasim does not compile against it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace sasim::model::auth::ossl {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
  void operator()(EC_GROUP* p) const { EC_GROUP_free(p); }
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

template <class T>
using Ptr = std::unique_ptr<T, Free>;

// A failed OpenSSL call leaves entries on its (thread-local) error queue; a
// later, unrelated call could then report them. Every failure path that
// sasim recovers from drops them.
inline void clear_errors() { ERR_clear_error(); }

// The BIO reads the text in place: the text must outlive it.
inline Ptr<BIO> memory_bio(std::string_view text) {
  return Ptr<BIO>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

}  // namespace sasim::model::auth::ossl
