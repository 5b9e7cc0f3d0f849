#include "properties/token_oracle.h"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "model/auth/lazy_token.h"
#include "model/objects/constants.h"
#include "properties/secret_keys.h"
#include "properties/usernames.h"

namespace sasim::properties {
namespace {

constexpr std::string_view kLegacyIssuer = "kubernetes/serviceaccount";
constexpr std::string_view kInvalidBearerToken = "invalid bearer token";

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

// base64url without padding, through OpenSSL's standard-alphabet block
// coder. Like Go's RawURLEncoding (not Strict), stray low bits in the last
// character are accepted; characters outside the alphabet are not.
std::optional<std::string> base64url_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string std_alphabet(in);
  for (char& c : std_alphabet) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return std::nullopt;
  }
  const std::size_t pad = (4 - std_alphabet.size() % 4) % 4;
  std_alphabet.append(pad, '=');
  std::string out(std_alphabet.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(std_alphabet.data()),
                                static_cast<int>(std_alphabet.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string base64url_encode(std::string_view in) {
  std::string out((in.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return out;
}

std::optional<nlohmann::json> json_object(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// How many verified tokens the oracle remembers before it starts afresh.
constexpr std::size_t kVerifiedCacheLimit = 1 << 16;

}  // namespace

// The key, parsed once, and the digest, fetched once: OpenSSL 3 looks
// providers up by name on every implicit fetch.
struct VerifyingKey::Impl {
  std::string der;  // to recognise the signer of a lazy token
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey;
  int type = EVP_PKEY_NONE;
  int bits = 0;
};

// The verification context of one oracle, set up once: each check then
// hashes the input and verifies the digest.
struct TokenOracle::Context {
  EVP_MD* sha256 = nullptr;
  EVP_PKEY_CTX* verify = nullptr;
  ~Context() {
    EVP_PKEY_CTX_free(verify);
    EVP_MD_free(sha256);
  }
};

namespace {

bool verify_signature(EVP_PKEY_CTX* verify, int type, int bits, const EVP_MD* md, std::string_view alg,
                      std::string_view input, std::string_view sig) {
  if (verify == nullptr || md == nullptr) return false;
  std::string signature(sig);
  if (type == EVP_PKEY_RSA) {
    if (alg != "RS256") return false;
  } else if (type == EVP_PKEY_EC) {
    // JWS ES256 is r||s, 32 bytes each; OpenSSL verifies DER ECDSA-Sig-Value.
    if (alg != "ES256" || bits != 256 || sig.size() != 64) return false;
    std::unique_ptr<ECDSA_SIG, SigFree> ecdsa(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()) + 32, 32, nullptr);
    if (!ecdsa || r == nullptr || s == nullptr || ECDSA_SIG_set0(ecdsa.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* out = nullptr;
    const int len = i2d_ECDSA_SIG(ecdsa.get(), &out);
    if (len <= 0) return false;
    signature.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
  } else {
    return false;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &digest_size, md, nullptr) != 1) return false;
  return EVP_PKEY_verify(verify, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(), digest,
                         digest_size) == 1;
}

// A claim as go-jose's decoding into string fields reads it: absent or
// null is empty, another type fails.
bool string_claim(const nlohmann::json& claims, const char* name, std::string& out) {
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 1123 label: what a namespace name must be.
bool dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63 || !lower_alnum(s.front()) || !lower_alnum(s.back())) return false;
  for (char c : s) {
    if (!lower_alnum(c) && c != '-') return false;
  }
  return true;
}

// RFC 1123 subdomain: what a ServiceAccount name must be.
bool dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || !lower_alnum(label.front()) || !lower_alnum(label.back())) return false;
    for (char c : label) {
      if (!lower_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

ExpectedReview reject(std::string reason) {
  ExpectedReview r;
  r.reason = std::move(reason);
  return r;
}


// Go's %q of a []string: ["a" "b"]. Generated audiences are printable
// ASCII, so only quotes and backslashes need escaping.
std::string go_quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ' ';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "]";
}

// V5: the token's audiences (the apiserver's own when it names none) must
// share one with the review's (the apiserver's own when it asks for none).
std::optional<ExpectedReview> audience_refusal(const std::vector<std::string>& token_audiences,
                                               const std::vector<std::string>& requested,
                                               const std::vector<std::string>& api_audiences) {
  if (api_audiences.empty()) return std::nullopt;
  const std::vector<std::string>& have = token_audiences.empty() ? api_audiences : token_audiences;
  const std::vector<std::string>& want = requested.empty() ? api_audiences : requested;
  for (const std::string& a : have) {
    if (std::find(want.begin(), want.end(), a) != want.end()) return std::nullopt;
  }
  return reject(fmt::format("token audiences {} is invalid for the target audiences {}", go_quoted_list(have),
                            go_quoted_list(want)));
}

// `aud` as go-jose reads it: a string or an array of strings; absent or
// null is none. False for another type.
bool audience_claim(const nlohmann::json& payload, std::vector<std::string>& out) {
  auto aud = payload.find("aud");
  if (aud == payload.end() || aud->is_null()) return true;
  if (aud->is_string()) {
    out.push_back(aud->get<std::string>());
    return true;
  }
  if (!aud->is_array()) return false;
  for (const nlohmann::json& a : *aud) {
    if (!a.is_string()) return false;
    out.push_back(a.get<std::string>());
  }
  return true;
}

// A NumericDate as go-jose reads it: any JSON number, truncated to whole
// seconds; absent or null is unset. False for another type.
bool numeric_date(const nlohmann::json& payload, const char* name, std::optional<std::int64_t>& out) {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return true;
  if (!it->is_number()) return false;
  out = it->is_number_float() ? static_cast<std::int64_t>(it->get<double>()) : it->get<std::int64_t>();
  return true;
}

// {name, uid} of the private claim; false for a wrong type.
struct Ref {
  std::string name, uid;
};
bool ref_claim(const nlohmann::json& object, const char* name, std::optional<Ref>& out) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_object()) return false;
  Ref r;
  if (!string_claim(*it, "name", r.name) || !string_claim(*it, "uid", r.uid)) return false;
  out = r;
  return true;
}

}  // namespace

namespace {

// The claims of a payload whose signature verified; nullopt for a claim of
// the wrong JSON type, which go-jose fails to decode.
std::optional<VerifiedClaims> claims_of_payload(const nlohmann::json& claims) {
  VerifiedClaims out;
  const bool typed = string_claim(claims, "iss", out.issuer) && string_claim(claims, "sub", out.subject) &&
                     string_claim(claims, "kubernetes.io/serviceaccount/namespace", out.ns) &&
                     string_claim(claims, "kubernetes.io/serviceaccount/secret.name", out.secret_name) &&
                     string_claim(claims, "kubernetes.io/serviceaccount/service-account.name",
                                  out.service_account_name) &&
                     string_claim(claims, "kubernetes.io/serviceaccount/service-account.uid", out.service_account_uid);
  if (!typed) return std::nullopt;
  out.payload = std::make_shared<const nlohmann::json>(claims);
  return out;
}

}  // namespace

std::shared_ptr<const VerifyingKey> VerifyingKey::from_der(std::string_view der) {
  std::shared_ptr<VerifyingKey> key(new VerifyingKey());
  key->impl_ = std::make_unique<Impl>();
  key->impl_->der = std::string(der);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  key->impl_->pkey.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key->impl_->pkey) {
    key->impl_->type = EVP_PKEY_base_id(key->impl_->pkey.get());
    key->impl_->bits = EVP_PKEY_bits(key->impl_->pkey.get());
  }
  return key;
}

VerifyingKey::~VerifyingKey() = default;

TokenOracle::TokenOracle(std::shared_ptr<const VerifyingKey> key, std::vector<std::string> bound_issuers)
    : key_(std::move(key)), bound_issuers_(std::move(bound_issuers)), context_(std::make_unique<Context>()) {
  context_->sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_PKEY* pkey = key_ ? key_->impl_->pkey.get() : nullptr;
  if (pkey != nullptr && context_->sha256 != nullptr) {
    // RS256 is PKCS#1 v1.5 over SHA-256 (the RSA default padding); ES256
    // is ECDSA over SHA-256.
    context_->verify = EVP_PKEY_CTX_new(pkey, nullptr);
    if (context_->verify == nullptr || EVP_PKEY_verify_init(context_->verify) != 1 ||
        EVP_PKEY_CTX_set_signature_md(context_->verify, context_->sha256) != 1) {
      EVP_PKEY_CTX_free(context_->verify);
      context_->verify = nullptr;
    }
  }
}

TokenOracle::TokenOracle(std::shared_ptr<const VerifyingKey> key, BoundRules rules)
    : TokenOracle(std::move(key), rules.issuers) {
  bound_rules_ = std::move(rules);
}

TokenOracle::~TokenOracle() = default;

std::optional<VerifiedClaims> TokenOracle::verify(std::string_view token) const {
  auto known = verified_.find(token);
  if (known != verified_.end()) return known->second;
  std::optional<VerifiedClaims> result = verify_uncached(token);
  // Bounded: a pod's tokens are refreshed about every 48 minutes and each
  // is presented for that long only, so over days the cache would keep
  // every token ever minted (10,000 pods for 48 h: 610,000 tokens, some
  // 3 KB each with their claims). Starting afresh when it is full costs one
  // verification again per token still in use; the answers are the same.
  if (verified_.size() >= kVerifiedCacheLimit) verified_.clear();
  verified_.emplace(std::string(token), result);
  return result;
}

std::optional<VerifiedClaims> TokenOracle::verify_uncached(std::string_view token) const {
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  const auto header_bytes = base64url_decode(token.substr(0, first));
  const auto payload_bytes = base64url_decode(token.substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(token.substr(second + 1));
  if (!header_bytes || !payload_bytes || !signature) return std::nullopt;
  const auto header = json_object(*header_bytes);
  const auto claims = json_object(*payload_bytes);
  if (!header || !claims) return std::nullopt;
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) return std::nullopt;
  if (header->contains("crit")) return std::nullopt;  // go-jose v2 supports no critical extension
  // go-jose verifies over the segments as it re-encodes them.
  const std::string input = base64url_encode(*header_bytes) + "." + base64url_encode(*payload_bytes);
  const int type = key_ ? key_->impl_->type : EVP_PKEY_NONE;
  const int bits = key_ ? key_->impl_->bits : 0;
  if (!verify_signature(context_->verify, type, bits, context_->sha256, alg->get<std::string>(), input,
                        *signature)) {
    return std::nullopt;
  }
  return claims_of_payload(*claims);
}

const model::auth::LegacyClaims* TokenOracle::unread_claims(const model::DataValue& token) const {
  const auto* lazy = dynamic_cast<const model::auth::LegacyToken*>(token.lazy());
  if (lazy == nullptr || lazy->computed() || !key_ || key_->impl_->der.empty() ||
      lazy->key().public_key_der() != key_->impl_->der) {
    return nullptr;
  }
  return &lazy->claims();
}

const model::auth::BoundToken* TokenOracle::unread_bound(const model::DataValue& token) const {
  const auto* lazy = dynamic_cast<const model::auth::BoundToken*>(token.lazy());
  if (lazy == nullptr || lazy->computed() || !key_ || key_->impl_->der.empty() ||
      lazy->key().public_key_der() != key_->impl_->der) {
    return nullptr;
  }
  return lazy;
}

const model::auth::BoundClaims* TokenOracle::unread_bound_claims(const model::DataValue& token) const {
  const model::auth::BoundToken* bound = unread_bound(token);
  return bound != nullptr ? &bound->claims() : nullptr;
}

std::optional<VerifiedClaims> TokenOracle::verify_presented(const model::DataValue& token) const {
  if (const model::auth::BoundToken* bound = unread_bound(token)) {
    // A pod presents its token every 10 s, and each review and run is
    // judged by three invariants: the claims are encoded once per token.
    auto known = presented_.find(bound);
    if (known != presented_.end()) return known->second.claims;
    std::optional<VerifiedClaims> claims = claims_of_payload(model::auth::to_json(bound->claims()));
    if (presented_.size() >= kVerifiedCacheLimit) presented_.clear();  // bounded, as verified_
    presented_.emplace(bound, Presented{token, claims});
    return claims;
  }
  if (token.is_lazy()) return verify_stored(token);
  return verify(token.bytes());
}

std::optional<ExpectedReview> TokenOracle::judge_presented(const model::DataValue& token, bool lookup,
                                                           const ReviewLookup& objects) const {
  if (unread_bound(token) == nullptr) return judge(token.bytes(), lookup, objects);
  const std::optional<VerifiedClaims> verified = verify_presented(token);
  return judge_claims(verified ? &*verified : nullptr, lookup, objects,
                      [&token](const model::DataValue& stored) { return stored.same_bytes(token); });
}

std::optional<VerifiedClaims> TokenOracle::verify_stored(const model::DataValue& token) const {
  const model::auth::LegacyClaims* unread = unread_claims(token);
  if (unread == nullptr) return verify(token.bytes());
  const model::auth::LegacyClaims& c = *unread;
  return VerifiedClaims{.issuer = c.issuer,
                        .subject = c.subject,
                        .ns = c.ns,
                        .secret_name = c.secret_name,
                        .service_account_name = c.service_account_name,
                        .service_account_uid = c.service_account_uid};
}

namespace {

// Two data values hold the same token. Two legacy tokens nobody has read
// compare by their descriptions, which are equal exactly when their bytes
// are (everything the bytes depend on), so that neither is signed.
bool same_token(const model::DataValue& a, const model::DataValue& b) {
  if (a.lazy() != nullptr && a.lazy() == b.lazy()) return true;
  const auto* la = dynamic_cast<const model::auth::LegacyToken*>(a.lazy());
  const auto* lb = dynamic_cast<const model::auth::LegacyToken*>(b.lazy());
  if (la != nullptr && lb != nullptr && !la->computed() && !lb->computed()) return la->describe() == lb->describe();
  return a.bytes() == b.bytes();
}

}  // namespace

std::optional<ExpectedReview> TokenOracle::judge_stored(const model::DataValue& token, bool lookup,
                                                 const ReviewLookup& objects) const {
  if (!token.is_lazy()) return judge(token.bytes(), lookup, objects);
  const auto matches = [&token](const model::DataValue& stored) { return same_token(stored, token); };
  if (const model::auth::LegacyClaims* unread = unread_claims(token)) {
    return judge_claims(unread, lookup, objects, matches);
  }
  const std::optional<VerifiedClaims> verified = verify(token.bytes());
  return judge_claims(verified ? &*verified : nullptr, lookup, objects, matches);
}

std::optional<ExpectedReview> TokenOracle::judge(std::string_view token, bool lookup, const ReviewLookup& objects) const {
  if (token.empty() || token.front() == '{' || token.find_first_of(" \t\r\n") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::optional<VerifiedClaims> verified = verify(token);
  return judge_claims(verified ? &*verified : nullptr, lookup, objects,
                      [token](const model::DataValue& stored) { return stored.bytes() == token; });
}

namespace {

// A verified token's whole payload; none for a token judged by its description.
const nlohmann::json* payload_of(const VerifiedClaims& claims) { return claims.payload.get(); }
const nlohmann::json* payload_of(const model::auth::LegacyClaims& /*claims*/) { return nullptr; }

}  // namespace

template <typename Claims>
std::optional<ExpectedReview> TokenOracle::judge_claims(
    const Claims* claims, bool lookup, const ReviewLookup& objects,
    const std::function<bool(const model::DataValue&)>& matches) const {
  // V1-V4: a token our key did not sign, or of another issuer, is no
  // legacy ServiceAccount token: no authenticator takes it.
  // A token of a bound-token issuer goes to the bound validator: judged
  // when the oracle knows the release's rules and the review's context.
  if (claims && std::find(bound_issuers_.begin(), bound_issuers_.end(), claims->issuer) != bound_issuers_.end()) {
    if constexpr (std::is_same_v<Claims, VerifiedClaims>) {
      if (!bound_rules_ || !objects.pod || !objects.now || !claims->payload) return std::nullopt;
      return judge_bound(*claims, objects);
    } else {
      return std::nullopt;  // no payload to judge
    }
  }
  if (!claims || claims->issuer != kLegacyIssuer) return reject(std::string(kInvalidBearerToken));
  const Claims& c = *claims;
  // V5: a legacy token without `aud` (the tokens controller writes none)
  // is taken to have the apiserver's own audiences, which a review asking
  // for others does not accept.
  if (bound_rules_) {
    std::vector<std::string> audiences;
    if (const nlohmann::json* payload = payload_of(c); payload != nullptr && !audience_claim(*payload, audiences)) {
      return std::nullopt;
    }
    if (auto refused = audience_refusal(audiences, objects.audiences, bound_rules_->api_audiences)) return *refused;
  }
  // The validator's claim checks, in order.
  if (c.subject.empty()) return reject("sub claim is missing");
  if (c.ns.empty()) return reject("namespace claim is missing");
  if (c.secret_name.empty()) return reject("secretName claim is missing");
  if (c.service_account_name.empty()) return reject("serviceAccountName claim is missing");
  if (c.service_account_uid.empty()) return reject("serviceAccountUID claim is missing");
  {
    // Views of the subject: judged once per token at every evaluation, so nothing is copied.
    const std::string_view subject = c.subject;
    bool consistent = subject.starts_with(kServiceAccountUsernamePrefix);
    const std::string_view rest = consistent ? subject.substr(kServiceAccountUsernamePrefix.size()) : std::string_view();
    const std::size_t colon = rest.find(':');
    consistent = consistent && colon != std::string_view::npos && rest.find(':', colon + 1) == std::string_view::npos;
    const std::string_view ns = consistent ? rest.substr(0, colon) : std::string_view();
    const std::string_view name = consistent ? rest.substr(colon + 1) : std::string_view();
    consistent = consistent && dns_label(ns) && dns_subdomain(name) && ns == c.ns && name == c.service_account_name;
    if (!consistent) return reject("sub claim is invalid");
  }
  if (lookup) {
    const auto* secret = model::as<model::Secret>(objects.secret(c.ns, c.secret_name));
    if (secret == nullptr || secret->metadata.deletion_timestamp) return reject("Token has been invalidated");
    const model::DataValue* stored = secret->data_value(keys::kToken);
    if (stored == nullptr || !matches(*stored)) return reject("Token does not match server's copy");
    const auto* sa = model::as<model::ServiceAccount>(objects.service_account(c.ns, c.service_account_name));
    if (sa == nullptr) return reject(fmt::format("serviceaccounts \"{}\" not found", c.service_account_name));
    if (sa->metadata.deletion_timestamp) {
      return reject(fmt::format("ServiceAccount {}/{} has been deleted", c.ns, c.service_account_name));
    }
    if (sa->metadata.uid != c.service_account_uid) {
      return reject(fmt::format("ServiceAccount UID ({}) does not match claim ({})", sa->metadata.uid,
                                c.service_account_uid));
    }
    if (bound_rules_ && (bound_rules_->legacy_tracking || bound_rules_->legacy_invalid_since_check)) {
      if (!objects.now) return std::nullopt;  // the day is unknown
      const auto label = [&](const char* key) {
        const auto it = secret->metadata.labels.find(key);
        return it == secret->metadata.labels.end() ? std::string() : it->second;
      };
      std::optional<ExpectedReview::LastUsedWrite> write;
      if (bound_rules_->legacy_tracking) {
        const std::int64_t now_unix = bound_rules_->epoch_unix_seconds + objects.now->since_start().ns() / 1'000'000'000;
        const std::string today = oracle_utc_date(now_unix);
        const std::string last_used = label("kubernetes.io/legacy-token-last-used");
        if (last_used != today && last_used != oracle_utc_date(now_unix + 24 * 3600)) {
          write = ExpectedReview::LastUsedWrite{c.ns, c.secret_name, secret->metadata.uid, today};
        }
      }
      if (bound_rules_->legacy_invalid_since_check && !label("kubernetes.io/legacy-token-invalid-since").empty()) {
        ExpectedReview refused = reject(fmt::format(
            "the token in secret {}/{} for service account {}/{} has been marked invalid. Use tokens from the "
            "TokenRequest API or manually created secret-based tokens, or remove the "
            "'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token",
            c.ns, c.secret_name, c.ns, c.service_account_name));
        refused.last_used_write = write;
        return refused;
      }
      ExpectedReview ok = accepted(c);
      ok.last_used_write = write;
      return ok;
    }
  }
  return accepted(c);
}

template <typename Claims>
ExpectedReview TokenOracle::accepted(const Claims& c) {
  ExpectedReview ok;
  ok.authenticated = true;
  ok.username = std::string(kServiceAccountUsernamePrefix) + c.ns + ":" + c.service_account_name;
  ok.uid = c.service_account_uid;
  ok.groups = {"system:serviceaccounts", "system:serviceaccounts:" + c.ns};
  return ok;
}

std::string oracle_utc_date(std::int64_t unix_seconds) {
  const std::int64_t days = (unix_seconds >= 0 ? unix_seconds : unix_seconds - 86399) / 86400;
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

std::optional<ExpectedReview> TokenOracle::judge_bound(const VerifiedClaims& c, const ReviewLookup& objects) const {
  const BoundRules& rules = *bound_rules_;
  const nlohmann::json& payload = *c.payload;
  // The claims as TokenRequest writes them; any other shape is not judged.
  std::vector<std::string> audiences;
  if (!audience_claim(payload, audiences)) return std::nullopt;
  std::optional<std::int64_t> exp, nbf, iat;
  if (!numeric_date(payload, "exp", exp) || !numeric_date(payload, "nbf", nbf) || !numeric_date(payload, "iat", iat)) {
    return std::nullopt;
  }
  auto priv = payload.find("kubernetes.io");
  if (priv == payload.end() || !priv->is_object()) return std::nullopt;
  std::string ns;
  std::optional<Ref> account, pod, secret, node;
  std::string jti;
  if (!string_claim(*priv, "namespace", ns) || !ref_claim(*priv, "serviceaccount", account) ||
      !ref_claim(*priv, "pod", pod) || !ref_claim(*priv, "secret", secret) || !ref_claim(*priv, "node", node) ||
      !string_claim(payload, "jti", jti) || !account) {
    return std::nullopt;
  }

  // V5, before any time or object check.
  if (auto refused = audience_refusal(audiences, objects.audiences, rules.api_audiences)) return *refused;

  // BV3: go-jose's time checks with its one-minute leeway. Before go-jose
  // 2.6 a missing exp is the zero time, long expired.
  constexpr std::int64_t kNanos = 1'000'000'000;
  constexpr std::int64_t kLeeway = 60 * kNanos;
  const std::int64_t now = rules.epoch_unix_seconds * kNanos + objects.now->ns();
  const bool caps = rules.capitalised_messages;
  if (nbf && now + kLeeway < *nbf * kNanos) {
    return reject(caps ? "Token could not be validated." : "service account token is not valid yet");
  }
  if ((!exp && !rules.checks_iat) || (exp && now - kLeeway > *exp * kNanos)) {
    return reject(caps ? "Token has expired." : "service account token has expired");
  }
  if (rules.checks_iat && iat && now + kLeeway < *iat * kNanos) {
    return reject(caps ? "Token could not be validated." : "service account token is issued in the future");
  }

  // BV4: the objects, each deleted only once its deletionTimestamp (whole
  // seconds) is more than the leeway ago.
  auto deleted = [&](const model::ObjectMeta& m) {
    if (!m.deletion_timestamp) return false;
    const std::int64_t seconds = rules.epoch_unix_seconds + m.deletion_timestamp->ns() / kNanos;
    return seconds * kNanos < now - kLeeway;
  };
  const model::ObjectPtr sa = objects.service_account(ns, account->name);
  if (!sa) return reject(fmt::format("serviceaccounts \"{}\" not found", account->name));
  const model::ObjectMeta& sa_meta = model::meta(*sa);
  const std::string account_deleted =
      fmt::format(fmt::runtime(caps ? "ServiceAccount {}/{} has been deleted" : "service account {}/{} has been deleted"), ns,
                  account->name);
  if (!rules.uid_before_deletion && deleted(sa_meta)) return reject(account_deleted);
  if (sa_meta.uid != account->uid) {
    return reject(fmt::format(fmt::runtime(caps ? "ServiceAccount UID ({}) does not match claim ({})"
                                                : "service account UID ({}) does not match claim ({})"),
                              sa_meta.uid, account->uid));
  }
  if (rules.uid_before_deletion && deleted(sa_meta)) return reject(account_deleted);
  const std::string invalidated = caps ? "Token has been invalidated" : "service account token has been invalidated";
  auto bound = [&](const model::ObjectPtr& live, const Ref& ref, const char* uid_format) -> std::optional<std::string> {
    if (!live) return invalidated;
    const model::ObjectMeta& m = model::meta(*live);
    if (!rules.uid_before_deletion && deleted(m)) return invalidated;
    if (m.uid != ref.uid) return fmt::format(fmt::runtime(uid_format), m.uid, ref.uid);
    if (rules.uid_before_deletion && deleted(m)) return invalidated;
    return std::nullopt;
  };
  if (secret) {
    if (auto why = bound(objects.secret(ns, secret->name), *secret,
                         caps ? "Secret UID ({}) does not match claim ({})"
                              : "secret UID ({}) does not match service account secret ref claim ({})")) {
      return reject(*why);
    }
  }
  if (pod) {
    if (auto why = bound(objects.pod(ns, pod->name), *pod,
                         caps ? "Pod UID ({}) does not match claim ({})"
                              : "pod UID ({}) does not match service account pod ref claim ({})")) {
      return reject(*why);
    }
  }
  // BV5: a node-bound token (no pod) is judged by its node; a pod-bound
  // token's node is only reported.
  bool report_node = false;
  if (node && pod) {
    report_node = rules.pod_node_info;
  } else if (node) {
    if (!rules.node_binding_validation) {
      return reject("token is bound to a Node object but the ServiceAccountTokenNodeBindingValidation feature gate is disabled");
    }
    if (!objects.node) return std::nullopt;
    const model::ObjectPtr live = objects.node(node->name);
    if (!live) return reject(invalidated);
    const model::ObjectMeta& m = model::meta(*live);
    if (m.uid != node->uid) {
      return reject(fmt::format("node UID ({}) does not match service account node ref claim ({})", m.uid, node->uid));
    }
    if (deleted(m)) return reject(invalidated);
    report_node = true;
  }
  ExpectedReview ok;
  ok.authenticated = true;
  ok.username = std::string(kServiceAccountUsernamePrefix) + ns + ":" + account->name;
  ok.uid = account->uid;
  ok.groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns};
  if (pod && !pod->name.empty() && !pod->uid.empty()) {
    ok.extra["authentication.kubernetes.io/pod-name"] = {pod->name};
    ok.extra["authentication.kubernetes.io/pod-uid"] = {pod->uid};
  }
  if (report_node && !node->name.empty()) {
    ok.extra["authentication.kubernetes.io/node-name"] = {node->name};
    if (!node->uid.empty()) ok.extra["authentication.kubernetes.io/node-uid"] = {node->uid};
  }
  if (rules.credential_id && !jti.empty()) ok.extra["authentication.kubernetes.io/credential-id"] = {"JTI=" + jti};
  return ok;
}

}  // namespace sasim::properties
