// The type of a plain (unquoted) YAML scalar, as kubectl reads manifests:
// sigs.k8s.io/yaml on go-yaml v2, which resolves by YAML 1.1's rules. So
// `yes`, `on` and `true` are booleans, `010` is the octal integer 8, `1_000`
// is 1000, `1.0` is a number, `~` and `null` are null, while timestamps,
// `.inf` and anything else stay strings. Quoted scalars are always strings;
// that is the caller's business.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sasim::scenarios {

// null, a boolean, an integer (int64, or uint64 beyond its range), a
// floating-point number, or the text as a string. A float with an integral
// value below 1e18 is returned as an integer: the JSON that go-yaml's float
// becomes (Go's json.Marshal writes 1.0 as `1`) decodes into integer fields.
nlohmann::json resolve_plain_scalar(std::string_view text);

// Integers only (for `!!int` and the scenario's integer fields), by the same rules.
std::optional<nlohmann::json> resolve_integer(std::string_view text);

}  // namespace sasim::scenarios
