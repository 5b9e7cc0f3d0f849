// Text the way Go's standard library writes it, where sasim must produce the
// same bytes as Kubernetes: JWT payloads (encoding/json via go-jose) and
// error messages that use %q.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sasim::model::auth {

// Compact JSON as Go's json.Marshal writes a map[string]interface{}: keys in
// byte order, no spaces, '<' '>' '&' U+2028 U+2029 and control characters
// other than \n \r \t as \u00XX escapes (lowercase hex, as Go before 1.22
// has no \b or \f), invalid UTF-8 as \ufffd. Integers are exact; floats use
// nlohmann's shortest form, which can differ from Go's for exponents.
std::string go_json_dump(const nlohmann::json& value);

// fmt's %q for a string: double-quoted, with Go's escapes for '"', '\\',
// control characters and invalid UTF-8 bytes (\xNN). Printable non-ASCII
// characters are kept as they are, as strconv.Quote does for most of them.
std::string go_quote(std::string_view text);

// fmt's %q for a []string: `["a" "b"]`.
std::string go_quote(const std::vector<std::string>& items);

}  // namespace sasim::model::auth
