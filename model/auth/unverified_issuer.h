// V1, upstream's hasCorrectIssuer: a cheap look at a bearer token's `iss`
// before any signature work, so that tokens meant for other authenticators
// pass through untouched.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/auth/jwt.h"

namespace sasim::model::auth {

// The issuer as hasCorrectIssuer reads it, or nullopt when the token is not
// a candidate: it is not exactly three dot-separated parts, its middle part
// is not unpadded base64url, or that is not JSON Go can decode into
// struct{Issuer string `json:"iss"`}. The era (jwt.h's JwsParsing) decides
// the rest: 1.20's check (kGoJoseV2) decodes the middle part as Go's
// base64 does, skipping '\r' and '\n', and looks at nothing else, so the
// JSON serialization passes whenever its text splits into three parts
// around a payload-like middle; later releases (kCompactOnly) turn away a
// token that starts with '{' after leading blanks, and (as sasim has it)
// take no newline in the middle part. Go's encoding/json matches the key
// case-insensitively (and folds U+017F 'ſ' to 's'); the last matching key
// wins; null leaves the issuer empty; any other non-string is an error.
// go-jose, which decodes the verified claims later, matches case-sensitively:
// a token with "ISS" passes here and then fails V4's issuer check.
std::optional<std::string> unverified_issuer(std::string_view token, JwsParsing parsing);

}  // namespace sasim::model::auth
