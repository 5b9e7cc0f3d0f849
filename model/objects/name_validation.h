// apimachinery's name and key checks (k8s.io/apimachinery/pkg/util/validation),
// with upstream's messages word for word. Each returns the messages of the
// rules the value breaks, empty when it is valid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sasim::model {

inline constexpr std::size_t kDns1123LabelMaxLength = 63;
inline constexpr std::size_t kDns1123SubdomainMaxLength = 253;

std::vector<std::string> is_dns1123_label(std::string_view value);
std::vector<std::string> is_dns1123_subdomain(std::string_view value);
// Secret and ConfigMap data keys.
std::vector<std::string> is_config_map_key(std::string_view value);
// Label keys, annotation keys, finalizers: an optional DNS subdomain prefix and '/'.
std::vector<std::string> is_qualified_name(std::string_view value);
std::vector<std::string> is_valid_label_value(std::string_view value);
std::vector<std::string> is_env_var_name(std::string_view value);

// ValidateNameFunc: `prefix` is true for metadata.generateName, whose trailing
// '-' is masked before checking (upstream's maskTrailingDash).
using NameValidator = std::vector<std::string> (*)(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix);

}  // namespace sasim::model
