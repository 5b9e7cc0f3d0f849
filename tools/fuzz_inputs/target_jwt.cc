// Bearer tokens: JWS parsing and the authenticator, legacy tokens through
// the legacy validator and bound tokens (the issuer kBoundIssuer) through
// the bound validator, in the oldest and the newest release's settings.
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/prng.h"
#include "model/auth/authenticator.h"
#include "model/auth/bound_validator.h"
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

// What bound tokens are bound to: default/default (uid-1), its token Secret,
// the pod default/web (pod-1), and the pod default/gone, deleted at the
// fixed now less 30 s (within the deletion leeway) and default/long-gone,
// deleted an hour before.
class BoundObjects final : public auth::BoundObjectGetter {
 public:
  sim::Result<Object> service_account(std::string_view ns, std::string_view name) override {
    if (ns == "default" && name == "default") return Object{.uid = "uid-1", .deletion_unix_seconds = {}};
    return sim::unexpected(sim::Error{"serviceaccounts \"" + std::string(name) + "\" not found"});
  }
  std::optional<Object> secret(std::string_view ns, std::string_view name) override {
    if (ns == "default" && name == "default-token-abcde") return Object{.uid = "secret-1", .deletion_unix_seconds = {}};
    return std::nullopt;
  }
  std::optional<Object> pod(std::string_view ns, std::string_view name) override {
    if (ns != "default") return std::nullopt;
    if (name == "web") return Object{.uid = "pod-1", .deletion_unix_seconds = {}};
    if (name == "gone") return Object{.uid = "pod-2", .deletion_unix_seconds = kBoundTokenNowUnix - 30};
    if (name == "long-gone") return Object{.uid = "pod-3", .deletion_unix_seconds = kBoundTokenNowUnix - 3600};
    return std::nullopt;
  }
};

// The cluster every token is presented to: the builtin RSA and ECDSA keys
// (the seeds are signed with them, so mutations reach the validator), and
// the account default/default with its token Secret, which the lookup finds.
struct Cluster {
  auth::SigningKey rsa = auth::SigningKey::from_pem(auth::builtin_rsa_key_pem()).value();
  auth::SigningKey ec = auth::SigningKey::from_pem(auth::builtin_ec_key_pem()).value();
  auth::testing::FakeTokenLookup lookup;
  auth::ServiceAccountTokenAuthenticator with_lookup{config(true), &lookup};
  auth::ServiceAccountTokenAuthenticator without_lookup{config(false), nullptr};
  BoundObjects bound_objects;
  // 1.21's bound-token settings and 1.32's (iat checked, uids before
  // deletion, the issuer checked again after verification, lowercase messages).
  auth::ServiceAccountTokenAuthenticator bound_old{bound_config(false), &lookup, &bound_objects};
  auth::ServiceAccountTokenAuthenticator bound_new{bound_config(true), &lookup, &bound_objects};

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

  auth::AuthenticatorConfig bound_config(bool newest) const {
    auth::AuthenticatorConfig c = config(true);
    c.bound_issuers = {std::string(kBoundIssuer)};
    c.implicit_audiences = {std::string(kBoundIssuer)};  // --api-audiences defaults to the issuer
    c.bound.capitalised_messages = !newest;
    c.bound.go_jose_checks_iat = newest;
    c.bound.uid_before_deletion = newest;
    c.bound_post_verification_issuer_check = newest;
    // The test that shows the target's bound-token check can fail runs it
    // against the broken variant that never looks at the bound pod.
    const char* broken = std::getenv("SASIM_FUZZ_JWT_BROKEN");
    c.broken.ignore_bound_pod = broken != nullptr && std::string_view(broken) == "ignore-bound-pod";
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

  // Bound tokens, judged at the fixed instant the seeds were issued at.
  constexpr std::int64_t kNow = kBoundTokenNowUnix * 1'000'000'000LL;
  for (const auth::ServiceAccountTokenAuthenticator* authenticator : {&cluster.bound_old, &cluster.bound_new}) {
    const auth::AuthResult bound = authenticator->authenticate(input, kNow);
    fuzz_check(bound.outcome != auth::AuthResult::kRejected || !bound.reason.empty(), "a rejection without a reason");
    if (bound.outcome != auth::AuthResult::kAuthenticated) continue;
    // The lookup and the getter know one account: whatever authenticates is it.
    fuzz_check(bound.user.name == "system:serviceaccount:default:default" && bound.user.uid == "uid-1",
               "authenticated as an account the cluster does not have");
    // A pod deleted beyond the leeway, or one that never existed, binds nothing.
    const auto pod = bound.user.extra.find(std::string(auth::kPodNameExtraKey));
    fuzz_check(pod == bound.user.extra.end() || pod->second == std::vector<std::string>{"web"} ||
                   pod->second == std::vector<std::string>{"gone"},
               "a token bound to a pod deleted beyond the leeway authenticated");
    (void)auth::client_visible_reason(bound);
  }
}

}  // namespace sasim::tools::fuzz_inputs
