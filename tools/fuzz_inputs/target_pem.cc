// Key files (--service-account-key-file, signing.key): PEM to keys.
#include "model/auth/public_key.h"
#include "model/auth/signing_key.h"
#include "sim/prng.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace auth = model::auth;

void fuzz_pem(std::string_view input) {
  auto keys = auth::parse_public_keys_pem(input);
  if (keys.ok()) {
    fuzz_check(!keys.value().empty(), "a key file without keys parsed");
    for (const auth::PublicKey& key : keys.value()) {
      // A key's DER reads back as the same key.
      auto again = auth::PublicKey::from_der(key.der());
      fuzz_check(again.ok() && again.value() == key, "a public key's DER does not read back");
    }
  }
  auto signing = auth::SigningKey::from_pem(input);
  if (signing.ok()) {
    sim::Prng entropy(1);
    (void)signing.value().sign("header.payload", entropy);
  }
}

}  // namespace sasim::tools::fuzz_inputs
