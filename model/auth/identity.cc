#include "model/auth/identity.h"

namespace sasim::model::auth {
namespace {

bool is_alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns1123_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_alnum_lower(s.front()) || !is_alnum_lower(s.back())) return false;
  for (char c : s) {
    if (!is_alnum_lower(c) && c != '-') return false;
  }
  return true;
}

// Dot-separated DNS-1123 labels, at most 253 characters.
bool is_dns1123_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    // Labels of a subdomain share the 253-character budget, not 63 each.
    if (label.empty() || !is_alnum_lower(label.front()) || !is_alnum_lower(label.back())) return false;
    for (char c : label) {
      if (!is_alnum_lower(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::string service_account_username(std::string_view ns, std::string_view name) {
  std::string out(kServiceAccountUsernamePrefix);
  out += ns;
  out += ':';
  out += name;
  return out;
}

std::vector<std::string> service_account_groups(std::string_view ns) {
  return {std::string(kAllServiceAccountsGroup), std::string(kAllServiceAccountsGroup) + ":" + std::string(ns)};
}

std::optional<std::pair<std::string, std::string>> split_service_account_username(std::string_view username) {
  if (username.substr(0, kServiceAccountUsernamePrefix.size()) != kServiceAccountUsernamePrefix) return std::nullopt;
  const std::string_view rest = username.substr(kServiceAccountUsernamePrefix.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos || rest.find(':', colon + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view ns = rest.substr(0, colon);
  const std::string_view name = rest.substr(colon + 1);
  if (!is_dns1123_label(ns) || !is_dns1123_subdomain(name)) return std::nullopt;
  return std::pair{std::string(ns), std::string(name)};
}

}  // namespace sasim::model::auth
