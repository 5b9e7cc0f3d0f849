// The PEM blocks of a text, in order, the way Go's pem.Decode walks a key
// file: upstream's key loaders look at every block and skip the ones they do
// not understand (an "EC PARAMETERS" block before the key, a certificate next
// to it), so sasim's loaders must see all of them too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sasim::model::auth {

struct PemBlock {
  std::string type;   // the word(s) after BEGIN, e.g. "RSA PRIVATE KEY"
  std::string bytes;  // the decoded body (DER, or ciphertext for encrypted blocks)
};

// Malformed blocks are skipped, as pem.Decode skips them.
std::vector<PemBlock> read_pem_blocks(std::string_view text);

}  // namespace sasim::model::auth
