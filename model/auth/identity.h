// The identity strings of a ServiceAccount (k8s.io/apiserver
// pkg/authentication/serviceaccount): its username, its groups, and the
// split of a username back into namespace and name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sasim::model::auth {

inline constexpr std::string_view kLegacyIssuer = "kubernetes/serviceaccount";
inline constexpr std::string_view kServiceAccountUsernamePrefix = "system:serviceaccount:";
inline constexpr std::string_view kAllServiceAccountsGroup = "system:serviceaccounts";

// system:serviceaccount:<ns>:<name>
std::string service_account_username(std::string_view ns, std::string_view name);

// [system:serviceaccounts, system:serviceaccounts:<ns>]
std::vector<std::string> service_account_groups(std::string_view ns);

// SplitUsername: the (namespace, name) of a ServiceAccount username, or
// nullopt when it lacks the prefix, has other than exactly one ':' after it,
// or the namespace is not a DNS-1123 label or the name not a DNS-1123
// subdomain (the API's rules for those names).
std::optional<std::pair<std::string, std::string>> split_service_account_username(std::string_view username);

}  // namespace sasim::model::auth
