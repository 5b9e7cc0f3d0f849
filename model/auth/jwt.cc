#include "model/auth/jwt.h"

#include <array>

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

sim::Result<ParsedJwt> parse_jwt(std::string_view token) {
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
  for (const auto& [field, target] : {std::pair{"alg", &jwt.alg}, std::pair{"kid", &jwt.kid}}) {
    const auto it = jwt.header.find(field);
    if (it == jwt.header.end() || it->is_null()) continue;
    if (!it->is_string()) return sim::unexpected(malformed(std::string("header \"") + field + "\" is not a string"));
    *target = it->get<std::string>();
  }
  jwt.signing_input = base64url_encode(*header_bytes) + '.' + base64url_encode(*payload_bytes);
  jwt.signature = *signature;
  return jwt;
}

bool verify_jwt_signature(const ParsedJwt& jwt, const PublicKey& key) {
  const auto crit = jwt.header.find("crit");
  if (crit != jwt.header.end() && !crit->is_null() && !(crit->is_array() && crit->empty())) return false;
  return key.verify(jwt.alg, jwt.signing_input, jwt.signature);
}

}  // namespace sasim::model::auth
