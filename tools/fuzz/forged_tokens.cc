#include "tools/fuzz/forged_tokens.h"

#include "model/auth/base64.h"
#include "model/auth/builtin_keys.h"
#include "model/auth/jwt.h"
#include "model/auth/test_keys.h"
#include "sim/check.h"
#include "sim/prng.h"

namespace sasim::tools::fuzz {
namespace {

std::shared_ptr<const model::auth::SigningKey> load(std::string_view pem) {
  auto key = model::auth::SigningKey::from_pem(pem);
  SIM_CHECK(key.ok(), "a fuzz signing key does not load");
  return std::make_shared<const model::auth::SigningKey>(std::move(key).value());
}

nlohmann::json legacy_claims(const ForgedClaims& c) {
  nlohmann::json j = {{"iss", "kubernetes/serviceaccount"},
                      {"sub", "system:serviceaccount:" + c.ns + ":" + c.account},
                      {"kubernetes.io/serviceaccount/namespace", c.ns},
                      {"kubernetes.io/serviceaccount/secret.name", c.secret},
                      {"kubernetes.io/serviceaccount/service-account.name", c.account},
                      {"kubernetes.io/serviceaccount/service-account.uid", "00000000-0000-0000-0000-00000000f00d"}};
  switch (c.spoil) {
    case 1:
      j["sub"] = "system:serviceaccount:elsewhere:" + c.account;
      break;
    case 2:
      j.erase("kubernetes.io/serviceaccount/secret.name");
      break;
    case 3:
      j.erase("kubernetes.io/serviceaccount/service-account.uid");
      break;
    case 4:
      j["iss"] = "https://kubernetes.default.svc.cluster.local";
      break;
    default:
      break;
  }
  return j;
}

// header.payload.signature -> its three parts.
struct Parts {
  std::string header, payload, signature;
};
Parts split_jwt(const std::string& token) {
  const std::size_t a = token.find('.');
  const std::size_t b = token.find('.', a + 1);
  return Parts{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

// ES256 signing needs a nonce stream (go-jose draws a fresh nonce each
// time); it is seeded from what the forgery is made of, so that drawing the
// same case twice forges the same token (and a truncated token is a prefix
// of the whole one made of the same claims).
sim::Prng nonce_stream(const ForgedClaims& c) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  auto mix = [&](std::string_view text) {
    for (const char ch : text) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
    h = (h ^ 0xffU) * 0x100000001b3ULL;
  };
  mix(c.ns);
  mix(c.account);
  mix(c.secret);
  mix(std::to_string(c.spoil));
  return sim::Prng(h);
}

}  // namespace

Forger::Forger()
    : cluster_(load(model::auth::builtin_ec_key_pem())), foreign_(load(model::auth::testing::kOtherEcKeyPem)) {}

std::string Forger::forge(Forgery kind, const ForgedClaims& claims) const {
  const nlohmann::json payload = legacy_claims(claims);
  sim::Prng entropy = nonce_stream(claims);
  switch (kind) {
    case Forgery::kAlgNone:
      return model::auth::base64url_encode(R"({"alg":"none"})") + "." + model::auth::base64url_encode(payload.dump()) +
             ".";
    case Forgery::kForeignKey:
      return model::auth::sign_jwt(*foreign_, payload, entropy);
    case Forgery::kTamperedPayload: {
      // A genuine signature over a spoiled sub, then the payload swapped
      // for the account's own claims.
      ForgedClaims other = claims;
      other.spoil = 1;
      const Parts signed_parts = split_jwt(model::auth::sign_jwt(*cluster_, legacy_claims(other), entropy));
      return signed_parts.header + "." + model::auth::base64url_encode(payload.dump()) + "." + signed_parts.signature;
    }
    case Forgery::kTruncated: {
      const std::string token = model::auth::sign_jwt(*cluster_, payload, entropy);
      return token.substr(0, token.size() - 7);
    }
    case Forgery::kClusterKeyClaims:
      return model::auth::sign_jwt(*cluster_, payload, entropy);
  }
  return "";
}

}  // namespace sasim::tools::fuzz
