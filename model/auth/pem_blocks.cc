#include "model/auth/pem_blocks.h"

#include <openssl/pem.h>

#include "model/auth/openssl_handles.h"

namespace sasim::model::auth {

std::vector<PemBlock> read_pem_blocks(std::string_view text) {
  std::vector<PemBlock> blocks;
  ossl::Ptr<BIO> bio = ossl::memory_bio(text);
  if (!bio) return blocks;
  for (;;) {
    const std::size_t before = BIO_ctrl_pending(bio.get());
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    const int ok = PEM_read_bio(bio.get(), &name, &header, &data, &len);
    if (ok == 1) {
      blocks.push_back({name, std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len))});
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    // A malformed block consumes input and the loop goes on to the next one;
    // no progress means there is no further BEGIN line.
    if (ok != 1 && BIO_ctrl_pending(bio.get()) == before) break;
    if (BIO_ctrl_pending(bio.get()) == 0) break;
  }
  ossl::clear_errors();
  return blocks;
}

}  // namespace sasim::model::auth
