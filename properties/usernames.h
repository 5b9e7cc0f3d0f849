// A ServiceAccount's username, system:serviceaccount:NAMESPACE:NAME, as the
// invariants compare it: in place, without building it, since every
// eventually-invariant evaluation compares one per token it judges.
#pragma once

#include <string_view>

namespace sasim::properties {

// What every ServiceAccount's username (and a legacy token's `sub`) starts with.
inline constexpr std::string_view kServiceAccountUsernamePrefix = "system:serviceaccount:";

inline bool is_service_account_username(std::string_view username, std::string_view ns, std::string_view name) {
  constexpr std::string_view kPrefix = kServiceAccountUsernamePrefix;
  return username.size() == kPrefix.size() + ns.size() + 1 + name.size() && username.starts_with(kPrefix) &&
         username.substr(kPrefix.size(), ns.size()) == ns && username[kPrefix.size() + ns.size()] == ':' &&
         username.substr(kPrefix.size() + ns.size() + 1) == name;
}

}  // namespace sasim::properties
