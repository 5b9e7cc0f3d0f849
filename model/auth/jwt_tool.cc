// sasim_jwt_tool: a test helper that lets an independent JWT library check
// model/auth from outside (testdata/verify_with_pyjwt.py).
//
//   sasim_jwt_tool sign RS256|ES256   a legacy token, then its public key PEM
//   sasim_jwt_tool key RS256|ES256    the builtin private key PEM
//   sasim_jwt_tool verify TOKEN       authenticates TOKEN against the builtin
//                                     keys without lookup; exit 0 and the user,
//                                     or exit 1 and the reason
#include <cstdio>
#include <string>
#include <string_view>

#include "model/auth/authenticator.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/signing_key.h"

namespace {

using namespace sasim::model::auth;

int usage() {
  std::fputs("usage: sasim_jwt_tool sign|key RS256|ES256 | verify TOKEN\n", stderr);
  return 2;
}

std::string_view builtin_key(std::string_view alg) {
  if (alg == "RS256") return builtin_rsa_key_pem();
  if (alg == "ES256") return builtin_ec_key_pem();
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return usage();
  const std::string_view command = argv[1];
  const std::string_view arg = argv[2];
  if (command == "sign" || command == "key") {
    const std::string_view pem = builtin_key(arg);
    if (pem.empty()) return usage();
    if (command == "key") {
      std::fwrite(pem.data(), 1, pem.size(), stdout);
      return 0;
    }
    const auto key = SigningKey::from_pem(pem);
    if (!key) return 3;
    const LegacyClaims claims = make_legacy_claims("pyjwt", "checker", "uid-123", "checker-token-abcde");
    sasim::sim::Prng entropy(1);  // ES256 nonces; any stream will do for a check
    std::printf("%s\n%s", sign_jwt(key.value(), to_json(claims), entropy).c_str(),
                key.value().public_key_pem().c_str());
    return 0;
  }
  if (command == "verify") {
    AuthenticatorConfig config;
    config.lookup = false;
    for (std::string_view alg : {"RS256", "ES256"}) {
      const auto key = SigningKey::from_pem(builtin_key(alg));
      if (!key) return 3;
      config.keys.push_back(key.value().public_key());
    }
    const ServiceAccountTokenAuthenticator authn(config, nullptr);
    const AuthResult result = authn.authenticate(arg);
    if (result.outcome != AuthResult::kAuthenticated) {
      std::printf("rejected: %s (%s)\n", client_visible_reason(result).c_str(), result.reason.c_str());
      return 1;
    }
    std::printf("authenticated %s uid=%s\n", result.user.name.c_str(), result.user.uid.c_str());
    return 0;
  }
  return usage();
}
