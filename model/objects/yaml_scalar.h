// The scalar half of the go-yaml v2 emitter port (print_yaml.cc): which style
// a string starts with (encoder.stringv and the resolver: would the plain text
// read back as a number, bool, null or timestamp?), what the emitter's
// analysis allows (yaml_emitter_analyze_scalar), the character classes of
// yaml_private.go, and the map key order of sorter.go.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sasim::model::yaml {

enum class Style { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral };

struct Analysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

struct Scalar {
  std::string value;
  Style style = Style::kPlain;  // the requested style, before the emitter's checks
  Analysis analysis;
};

// A string value: double-quoted when plain text would resolve to another
// type, literal when it has a newline, plain otherwise.
Scalar string_scalar(const std::string& value);
// Numbers, booleans and null, which go-yaml always requests plain.
Scalar plain_scalar(std::string text);

// True when go-yaml's resolver reads `text`, unquoted, as a string.
bool resolves_to_string(std::string_view text);
bool is_go_yaml_timestamp(std::string_view text);

// go-yaml's keyList.Less for string keys: runs of digits compare as numbers,
// and a letter sorts after a non-letter.
bool key_less(const std::string& a, const std::string& b);

// Character classes on UTF-8 text, at byte offset i (out of range is false).
std::size_t width(const std::string& s, std::size_t i);
bool is_space(const std::string& s, std::size_t i);
bool is_break(const std::string& s, std::size_t i);
bool is_blank_or_end(const std::string& s, std::size_t i);
bool is_printable(const std::string& s, std::size_t i);
bool is_bom(const std::string& s, std::size_t i);
// Decodes the UTF-8 sequence at i and advances i past it.
char32_t decode_rune(const std::string& s, std::size_t& i);

}  // namespace sasim::model::yaml
