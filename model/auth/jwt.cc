#include "model/auth/jwt.h"

#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "model/auth/base64.h"
#include "model/auth/go_text.h"

namespace sasim::model::auth {
namespace {

sim::Error malformed(std::string message) { return sim::Error{"malformed JWT: " + std::move(message)}; }

}  // namespace

std::string sign_jwt(const SigningKey& key, const nlohmann::json& claims, sim::Prng& entropy) {
  nlohmann::json header = nlohmann::json::object();
  header["alg"] = key.algorithm();
  header["kid"] = key.kid();
  std::string input = base64url_encode(go_json_dump(header));
  input += '.';
  input += base64url_encode(go_json_dump(claims));
  const std::string signature = key.sign(input, entropy);
  return input + '.' + base64url_encode(signature);
}

namespace {

// `alg` and `kid` of the (merged) header, which go-jose requires to be
// strings when present.
std::optional<sim::Error> read_header_fields(ParsedJwt& jwt) {
  for (const auto& [field, target] : {std::pair{"alg", &jwt.alg}, std::pair{"kid", &jwt.kid}}) {
    const auto it = jwt.header.find(field);
    if (it == jwt.header.end() || it->is_null()) continue;
    if (!it->is_string()) return malformed(std::string("header \"") + field + "\" is not a string");
    *target = it->get<std::string>();
  }
  return std::nullopt;
}

sim::Result<ParsedJwt> parse_compact(std::string_view token) {
  std::array<std::string_view, 3> parts;
  std::size_t count = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = token.find('.', start);
    const std::string_view part = token.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (count == parts.size()) return sim::unexpected(malformed("compact JWS format must have three parts"));
    parts[count++] = part;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count != 3) return sim::unexpected(malformed("compact JWS format must have three parts"));

  const auto header_bytes = base64url_decode(parts[0]);
  const auto payload_bytes = base64url_decode(parts[1]);
  const auto signature = base64url_decode(parts[2]);
  if (!header_bytes || !payload_bytes || !signature) {
    return sim::unexpected(malformed("a segment is not unpadded base64url"));
  }

  ParsedJwt jwt;
  jwt.header = nlohmann::json::parse(*header_bytes, nullptr, false);
  if (!jwt.header.is_object()) return sim::unexpected(malformed("the header is not a JSON object"));
  jwt.claims = nlohmann::json::parse(*payload_bytes, nullptr, false);
  if (!jwt.claims.is_object()) return sim::unexpected(malformed("the payload is not a JSON object"));
  if (auto error = read_header_fields(jwt)) return sim::unexpected(*error);
  jwt.signing_input = base64url_encode(*header_bytes) + '.' + base64url_encode(*payload_bytes);
  jwt.signature = *signature;
  return jwt;
}

// A base64url member of the JSON serialization (go-jose's byteBuffer):
// absent, null or "" is no bytes; a string is decoded; anything else fails.
sim::Result<std::optional<std::string>> buffer_member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return sim::unexpected(malformed(std::string("\"") + name + "\" is not a string"));
  const std::string& text = it->get_ref<const std::string&>();
  if (text.empty()) return std::optional<std::string>();
  auto bytes = base64url_decode_go(text);
  if (!bytes) return sim::unexpected(malformed(std::string("\"") + name + "\" is not unpadded base64url"));
  return std::optional<std::string>(std::move(*bytes));
}

// One signature of the JSON serialization: its protected header (bytes and
// object), its unprotected header, its signature bytes.
struct JsonSignature {
  std::string protected_bytes;
  nlohmann::json protected_header = nlohmann::json::object();
  nlohmann::json unprotected_header = nlohmann::json::object();
  std::string signature;
};

sim::Result<JsonSignature> read_json_signature(const nlohmann::json& object) {
  JsonSignature out;
  auto protected_bytes = buffer_member(object, "protected");
  if (!protected_bytes) return sim::unexpected(protected_bytes.error());
  if (protected_bytes.value()) {
    out.protected_bytes = *protected_bytes.value();
    out.protected_header = nlohmann::json::parse(out.protected_bytes, nullptr, false);
    if (!out.protected_header.is_object()) return sim::unexpected(malformed("the protected header is not a JSON object"));
  }
  if (const auto header = object.find("header"); header != object.end() && !header->is_null()) {
    if (!header->is_object()) return sim::unexpected(malformed("\"header\" is not a JSON object"));
    out.unprotected_header = *header;
    // go-jose's ErrUnprotectedNonce.
    if (const auto nonce = header->find("nonce"); nonce != header->end() && nonce->is_string() &&
                                                 !nonce->get_ref<const std::string&>().empty()) {
      return sim::unexpected(malformed("nonce parameter included in an unprotected header"));
    }
  }
  auto signature = buffer_member(object, "signature");
  if (!signature) return sim::unexpected(signature.error());
  out.signature = signature.value().value_or("");
  return out;
}

// go-jose v2's parseSignedFull, for the one signature it would verify.
sim::Result<ParsedJwt> parse_json_serialization(std::string_view token) {
  const nlohmann::json document = nlohmann::json::parse(token, nullptr, false);
  if (!document.is_object()) return sim::unexpected(malformed("the JSON serialization is not a JSON object"));
  auto payload = buffer_member(document, "payload");
  if (!payload) return sim::unexpected(payload.error());
  if (document.find("payload") == document.end() || document["payload"].is_null()) {
    return sim::unexpected(malformed("missing payload in JWS message"));
  }
  const std::string payload_bytes = payload.value().value_or("");

  std::vector<JsonSignature> signatures;
  const auto listed = document.find("signatures");
  if (listed != document.end() && !listed->is_null() && !(listed->is_array() && listed->empty())) {
    if (!listed->is_array()) return sim::unexpected(malformed("\"signatures\" is not an array"));
    for (const nlohmann::json& entry : *listed) {
      if (!entry.is_object()) return sim::unexpected(malformed("a signature is not a JSON object"));
      auto one = read_json_signature(entry);
      if (!one) return sim::unexpected(one.error());
      signatures.push_back(std::move(one).value());
    }
  } else {
    auto flattened = read_json_signature(document);  // no "signatures": the flattened form
    if (!flattened) return sim::unexpected(flattened.error());
    signatures.push_back(std::move(flattened).value());
  }

  ParsedJwt jwt;
  const JsonSignature& first = signatures.front();
  // The merged header: protected values win over unprotected ones.
  jwt.header = first.protected_header;
  for (const auto& [key, value] : first.unprotected_header.items()) {
    if (!jwt.header.contains(key)) jwt.header[key] = value;
  }
  if (auto error = read_header_fields(jwt)) return sim::unexpected(*error);
  jwt.claims = nlohmann::json::parse(payload_bytes, nullptr, false);
  if (!jwt.claims.is_object()) return sim::unexpected(malformed("the payload is not a JSON object"));
  jwt.signing_input = base64url_encode(first.protected_bytes) + '.' + base64url_encode(payload_bytes);
  jwt.signature = first.signature;
  jwt.signature_count = signatures.size();
  return jwt;
}

// go-jose v2's stripWhitespace: the characters of Go's regexp \s.
std::string strip_whitespace(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

sim::Result<ParsedJwt> parse_jwt(std::string_view token, JwsParsing parsing) {
  if (parsing == JwsParsing::kCompactOnly) return parse_compact(token);
  const std::string stripped = strip_whitespace(token);
  if (!stripped.empty() && stripped.front() == '{') return parse_json_serialization(stripped);
  return parse_compact(stripped);
}

bool verify_jwt_signature(const ParsedJwt& jwt, const PublicKey& key) {
  if (jwt.signature_count != 1) return false;
  const auto crit = jwt.header.find("crit");
  if (crit != jwt.header.end() && !crit->is_null() && !(crit->is_array() && crit->empty())) return false;
  return key.verify(jwt.alg, jwt.signing_input, jwt.signature);
}

}  // namespace sasim::model::auth
