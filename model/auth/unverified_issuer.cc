#include "model/auth/unverified_issuer.h"

#include <nlohmann/json.hpp>

#include "model/auth/base64.h"

namespace sasim::model::auth {
namespace {

// Go 1.15's equalFoldRight for the field name "iss".
bool folds_to_iss(std::string_view key) {
  constexpr std::string_view kLongS = "\xc5\xbf";  // U+017F LATIN SMALL LETTER LONG S
  std::size_t at = 0;
  for (char want : std::string_view("iss")) {
    if (at >= key.size()) return false;
    const char c = key[at];
    if (c == want || c == want - ('a' - 'A')) {
      ++at;
    } else if (want == 's' && key.substr(at, kLongS.size()) == kLongS) {
      at += kLongS.size();
    } else {
      return false;
    }
  }
  return at == key.size();
}

bool is_go_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

}  // namespace

std::optional<std::string> unverified_issuer(std::string_view token, JwsParsing parsing) {
  if (parsing == JwsParsing::kCompactOnly) {
    std::size_t first = 0;
    while (first < token.size() && is_go_space(token[first])) ++first;
    if (first < token.size() && token[first] == '{') return std::nullopt;
  }

  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return std::nullopt;

  const std::string_view middle = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const auto payload = parsing == JwsParsing::kGoJoseV2 ? base64url_decode_go(middle) : base64url_decode(middle);
  if (!payload) return std::nullopt;
  // ordered_json keeps the keys in document order, which decides which of
  // several case variants of "iss" Go would keep.
  const nlohmann::ordered_json claims = nlohmann::ordered_json::parse(*payload, nullptr, false);
  if (claims.is_discarded()) return std::nullopt;
  std::string issuer;
  if (claims.is_null()) return issuer;
  if (!claims.is_object()) return std::nullopt;
  bool type_error = false;
  for (const auto& [key, value] : claims.items()) {
    if (!folds_to_iss(key) || value.is_null()) continue;
    if (value.is_string()) {
      issuer = value.get<std::string>();
    } else {
      type_error = true;
    }
  }
  if (type_error) return std::nullopt;
  return issuer;
}

}  // namespace sasim::model::auth
