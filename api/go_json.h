// The syntax check of Go's encoding/json (json.Valid, and the first thing
// json.Unmarshal does), with its error messages word for word: the
// apiserver answers a malformed body with them ("invalid character '\\'
// looking for beginning of object key string", "unexpected end of JSON
// input"). nlohmann::json words its parse errors differently, so this small
// scanner follows Go's state machine instead; it only checks, it builds
// nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sasim::api {

// Nothing when `text` is one JSON value (with surrounding white space);
// otherwise Go's SyntaxError message.
std::optional<std::string> go_json_syntax_error(std::string_view text);

// Parses `text` once go_json_syntax_error found nothing. Go reads invalid
// UTF-8 inside strings as U+FFFD where nlohmann::json refuses it, so such
// bytes are replaced first.
nlohmann::json parse_go_json(std::string_view text);

// strconv's quoting of one byte as Go's scanner prints it: 'x', '\\', '\'',
// '"', '\n', '\x00'.
std::string go_quote_char(unsigned char c);

}  // namespace sasim::api
