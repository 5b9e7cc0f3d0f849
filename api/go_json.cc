#include "api/go_json.h"

#include <fmt/format.h>

#include <vector>

namespace sasim::api {
namespace {

// encoding/json's maxNestingDepth.
constexpr std::size_t kMaxDepth = 10000;

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A recursive-descent reading of Go's scanner states: each function
// consumes one construct and reports the first byte that does not fit, in
// the context Go names.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<std::string> run() {
    skip_space();
    if (!value()) return error_;
    skip_space();
    if (pos_ < text_.size()) return fail("after top-level value");
    return std::nullopt;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(text_[pos_]); }
  void skip_space() {
    while (!at_end() && is_space(peek())) ++pos_;
  }
  // The error at the current byte, or the end of input.
  bool fail_bool(std::string_view context) {
    fail(context);
    return false;
  }
  std::string fail(std::string_view context) {
    if (!error_) {
      error_ = at_end() ? std::string("unexpected end of JSON input")
                        : fmt::format("invalid character {} {}", go_quote_char(peek()), context);
    }
    return *error_;
  }

  bool value() {
    if (at_end()) return fail_bool("looking for beginning of value");
    switch (peek()) {
      case '{': return object();
      case '[': return array();
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default:
        if (peek() == '-' || is_digit(peek())) return number();
        return fail_bool("looking for beginning of value");
    }
  }

  bool nest() {
    if (++depth_ > kMaxDepth) {
      if (!error_) error_ = "exceeded max depth";
      return false;
    }
    return true;
  }

  bool object() {
    ++pos_;
    if (!nest()) return false;
    skip_space();
    if (!at_end() && peek() == '}') {
      ++pos_;
      --depth_;
      return true;
    }
    while (true) {
      skip_space();
      if (at_end() || peek() != '"') return fail_bool("looking for beginning of object key string");
      if (!string()) return false;
      skip_space();
      if (at_end() || peek() != ':') return fail_bool("after object key");
      ++pos_;
      skip_space();
      if (!value()) return false;
      skip_space();
      if (at_end()) return fail_bool("after object key:value pair");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        --depth_;
        return true;
      }
      return fail_bool("after object key:value pair");
    }
  }

  bool array() {
    ++pos_;
    if (!nest()) return false;
    skip_space();
    if (!at_end() && peek() == ']') {
      ++pos_;
      --depth_;
      return true;
    }
    while (true) {
      skip_space();
      if (!value()) return false;
      skip_space();
      if (at_end()) return fail_bool("after array element");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        --depth_;
        return true;
      }
      return fail_bool("after array element");
    }
  }

  bool string() {
    ++pos_;  // the opening quote
    while (true) {
      if (at_end()) return fail_bool("in string literal");
      const unsigned char c = peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail_bool("in string literal");
      if (c != '\\') {
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) return fail_bool("in string escape code");
      const unsigned char e = peek();
      if (e == 'u') {
        ++pos_;
        for (int i = 0; i < 4; ++i) {
          if (at_end() || !is_hex(peek())) return fail_bool("in \\u hexadecimal character escape");
          ++pos_;
        }
        continue;
      }
      if (e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't' || e == '\\' || e == '/' || e == '"') {
        ++pos_;
        continue;
      }
      return fail_bool("in string escape code");
    }
  }

  bool number() {
    if (peek() == '-') {
      ++pos_;
      if (at_end() || !is_digit(peek())) return fail_bool("in numeric literal");
    }
    if (peek() == '0') {
      ++pos_;
    } else {
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    if (!at_end() && peek() == '.') {
      ++pos_;
      if (at_end() || !is_digit(peek())) return fail_bool("after decimal point in numeric literal");
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (at_end() || !is_digit(peek())) return fail_bool("in exponent of numeric literal");
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    return true;
  }

  bool literal(std::string_view word) {
    ++pos_;  // the first letter chose the literal
    for (std::size_t i = 1; i < word.size(); ++i) {
      if (at_end() || peek() != static_cast<unsigned char>(word[i])) {
        return fail_bool(fmt::format("in literal {} (expecting {})", word,
                                     go_quote_char(static_cast<unsigned char>(word[i]))));
      }
      ++pos_;
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::optional<std::string> error_;
};

}  // namespace

std::string go_quote_char(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  switch (c) {
    case '\\': return "'\\\\'";
    case '\a': return "'\\a'";
    case '\b': return "'\\b'";
    case '\f': return "'\\f'";
    case '\n': return "'\\n'";
    case '\r': return "'\\r'";
    case '\t': return "'\\t'";
    case '\v': return "'\\v'";
    default: break;
  }
  // strconv.Quote(string(c)): Go converts the byte to the rune U+00XX, so a
  // byte >= 0x80 prints as that character (U+0080-U+009F, U+00A0 and U+00AD
  // are not printable and are escaped as \u00XX); control bytes are \xXX.
  if (c < 0x20 || c == 0x7f) return fmt::format("'\\x{:02x}'", c);
  if (c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
  if (c <= 0x9f || c == 0xa0 || c == 0xad) return fmt::format("'\\u{:04x}'", c);
  std::string utf8;
  utf8 += static_cast<char>(0xc0 | (c >> 6));
  utf8 += static_cast<char>(0x80 | (c & 0x3f));
  return "'" + utf8 + "'";
}

std::optional<std::string> go_json_syntax_error(std::string_view text) { return Scanner(text).run(); }

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = 0;
  unsigned min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) n = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0) n = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0) n = 4, min = 0x10000;
  else return 0;
  if (i + n > text.size()) return 0;
  unsigned code = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    code = (code << 6) | (b & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return n;
}

}  // namespace

nlohmann::json parse_go_json(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";
      ++i;
    } else {
      clean.append(text.substr(i, n));
      i += n;
    }
  }
  return nlohmann::json::parse(clean);
}

}  // namespace sasim::api
