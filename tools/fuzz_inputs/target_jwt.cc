// Bearer tokens: JWS parsing and the 1.20 authenticator with its legacy
// validator.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/prng.h"
#include "model/auth/authenticator.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/fake_token_lookup.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/auth/public_key.h"
#include "model/auth/signing_key.h"
#include "tools/fuzz_inputs/targets.h"

namespace sasim::tools::fuzz_inputs {

namespace auth = model::auth;

namespace {

// The cluster every token is presented to: the builtin RSA and ECDSA keys
// (the seeds are signed with them, so mutations reach the validator), and
// the account default/default with its token Secret, which the lookup finds.
struct Cluster {
  auth::SigningKey rsa = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem()).value();
  auth::SigningKey ec = auth::SigningKey::from_pem(auth::builtin_ec_key_pem()).value();
  auth::testing::FakeTokenLookup lookup;
  auth::ServiceAccountTokenAuthenticator with_lookup{config(true), &lookup};
  auth::ServiceAccountTokenAuthenticator without_lookup{config(false), nullptr};

  Cluster() {
    sim::Prng entropy(1);  // RS256 ignores it
    const std::string token = auth::sign_jwt(
        rsa, auth::to_json(auth::make_legacy_claims("default", "default", "uid-1", "default-token-abcde")), entropy);
    lookup.add_service_account("default", "default", {"uid-1", false});
    lookup.add_secret("default", "default-token-abcde", {token, false});
  }

  auth::AuthenticatorConfig config(bool use_lookup) const {
    auth::AuthenticatorConfig c;
    c.keys = {rsa.public_key(), ec.public_key()};
    c.implicit_audiences = {"https://kubernetes.default.svc"};
    c.lookup = use_lookup;
    return c;
  }
};

}  // namespace

void fuzz_jwt(std::string_view input) {
  static const Cluster cluster;  // the keys cost milliseconds to load: once per process
  // Both eras' parsing: 1.20's go-jose v2 and the later compact-only one.
  for (const auth::JwsParsing era : {auth::JwsParsing::kGoJoseV2, auth::JwsParsing::kCompactOnly}) {
    auto parsed = auth::parse_jwt(input, era);
    if (parsed.ok()) {
      fuzz_check(parsed.value().header.is_object() && parsed.value().claims.is_object(),
                 "a parsed token whose header or claims is not an object");
      (void)auth::verify_jwt_signature(parsed.value(), cluster.rsa.public_key());
    }
  }
  const auth::AuthResult with = cluster.with_lookup.authenticate(input);
  const auth::AuthResult without = cluster.without_lookup.authenticate(input);
  // A rejection always says why: the reason is the 401's message.
  fuzz_check(with.outcome != auth::AuthResult::kRejected || !with.reason.empty(), "a rejection without a reason");
  fuzz_check(without.outcome != auth::AuthResult::kRejected || !without.reason.empty(), "a rejection without a reason");
  // Looking the Secret and account up can only take away: what the lookup
  // authenticates, the signature alone authenticates too.
  fuzz_check(with.outcome != auth::AuthResult::kAuthenticated || without.outcome == auth::AuthResult::kAuthenticated,
             "authenticated with the lookup but not without it");
  (void)auth::client_visible_reason(with);
}

}  // namespace sasim::tools::fuzz_inputs
