#include "model/objects/yaml_scalar.h"

#include <array>
#include <cstdint>
#include <vector>

namespace sasim::model::yaml {
namespace {

constexpr std::array<std::string_view, 35> kResolveMapKeys = {
    "y",     "Y",     "yes",   "Yes",   "YES",   "true",  "True",  "TRUE",  "on",    "On",  "ON",  "n",
    "N",     "no",    "No",    "NO",    "false", "False", "FALSE", "off",   "Off",   "OFF", "",    "~",
    "null",  "Null",  "NULL",  ".nan",  ".NaN",  ".NAN",  ".inf",  ".Inf",  ".INF",  "<<",  "-.inf"};
constexpr std::array<std::string_view, 5> kMoreInfinities = {"+.inf", "+.Inf", "+.INF", "-.Inf", "-.INF"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool in_resolve_map(std::string_view s) {
  for (std::string_view k : kResolveMapKeys) {
    if (k == s) return true;
  }
  for (std::string_view k : kMoreInfinities) {
    if (k == s) return true;
  }
  return false;
}

// strconv.ParseUint(s, 0, 64) succeeds (syntax and range), s already free of '_'.
bool parses_as_uint(std::string_view s) {
  if (s.empty()) return false;
  int base = 10;
  if (s[0] == '0') {
    const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
    if (p == 'b' || p == 'o' || p == 'x') {
      base = p == 'b' ? 2 : p == 'o' ? 8 : 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  std::uint64_t n = 0;
  for (char c : s) {
    int d = 0;
    if (is_digit(c)) {
      d = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      d = (c | 0x20) - 'a' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    const auto b = static_cast<std::uint64_t>(base);
    if (n > (UINT64_MAX - static_cast<std::uint64_t>(d)) / b) return false;
    n = n * b + static_cast<std::uint64_t>(d);
  }
  return true;
}

// strconv.ParseInt(s, 0, 64), range included.
bool parses_as_int(std::string_view s) {
  if (s.empty()) return false;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (!parses_as_uint(s)) return false;
  // Re-parse for the int64 range: the magnitude must fit in 2^63 (- side) or 2^63-1.
  std::uint64_t n = 0;
  int base = 10;
  std::string_view digits = s;
  if (s[0] == '0') {
    const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
    base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
    digits.remove_prefix(p == 'b' || p == 'o' || p == 'x' ? 2 : 1);
  }
  for (char c : digits) {
    const int d = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
    n = n * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (n > (std::uint64_t{1} << 63)) return false;
  }
  return negative || n < (std::uint64_t{1} << 63);
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool matches_yaml_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  } else {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool is_base60_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !is_digit(s[i])) return false;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    if (i + 1 < s.size() && s[i] >= '0' && s[i] <= '5' && is_digit(s[i + 1])) {
      i += 2;
    } else if (i < s.size() && is_digit(s[i])) {
      ++i;
    } else {
      return false;
    }
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

// Go's getnum: one or two digits.
bool go_number(std::string_view& s, int& out) {
  if (s.empty() || !is_digit(s[0])) return false;
  out = s[0] - '0';
  s.remove_prefix(1);
  if (!s.empty() && is_digit(s[0])) {
    out = out * 10 + (s[0] - '0');
    s.remove_prefix(1);
  }
  return true;
}

bool literal(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

int days_in(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// One of go-yaml's allowedTimestampFormats, with `separator` 'T', 't', ' ' or
// '\0' for date-only, as Go's time.Parse reads them.
bool parses_with(std::string_view s, char separator) {
  if (s.size() < 4) return false;
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  s.remove_prefix(4);
  int month = 0;
  int day = 0;
  if (!literal(s, '-') || !go_number(s, month) || month < 1 || month > 12) return false;
  if (!literal(s, '-') || !go_number(s, day)) return false;
  if (separator != '\0') {
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (!literal(s, separator) || !go_number(s, hour) || hour > 23) return false;
    if (!literal(s, ':') || !go_number(s, minute) || minute > 59) return false;
    if (!literal(s, ':') || !go_number(s, second) || second > 59) return false;
    if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && is_digit(s[1])) {
      std::size_t n = 1;
      while (n < 10 && n < s.size() && is_digit(s[n])) ++n;
      s.remove_prefix(n);
    }
    if (separator != ' ') {
      if (literal(s, 'Z')) {
        // UTC
      } else if (s.size() >= 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' && is_digit(s[1]) &&
                 is_digit(s[2]) && is_digit(s[4]) && is_digit(s[5])) {
        s.remove_prefix(6);
      } else {
        return false;
      }
    }
  }
  return s.empty() && day >= 1 && day <= days_in(year, month);
}

bool is_letter(char32_t c) {
  // unicode.IsLetter, with non-ASCII approximated as letters: keys here are
  // ASCII in practice (Kubernetes field names, label and data keys).
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0;
}

std::vector<char32_t> runes(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) out.push_back(decode_rune(s, i));
  return out;
}

Analysis analyze(const std::string& value) {
  Analysis a;
  if (value.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = false;
  bool line_breaks = false;
  bool special_characters = false;
  bool leading_space = false;
  bool leading_break = false;
  bool trailing_space = false;
  bool trailing_break = false;
  bool break_space = false;
  bool space_break = false;
  bool previous_space = false;
  bool previous_break = false;
  if (value.size() >= 3 && (value.compare(0, 3, "---") == 0 || value.compare(0, 3, "...") == 0)) {
    block_indicators = true;
  }
  bool preceded_by_whitespace = true;
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t w = std::max<std::size_t>(width(value, i), 1);
    const bool followed_by_whitespace = i + w >= value.size() || is_blank_or_end(value, i + w);
    const char c = value[i];
    if (i == 0) {
      switch (c) {
        case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*': case '!':
        case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
          block_indicators = true;
          break;
        case '?': case ':':
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) block_indicators = true;
          break;
        default: break;
      }
    } else if ((c == ':' && followed_by_whitespace) || (c == '#' && preceded_by_whitespace)) {
      block_indicators = true;
    }
    if (!is_printable(value, i)) special_characters = true;
    if (is_space(value, i)) {
      if (i == 0) leading_space = true;
      if (i + w == value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(value, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_whitespace = is_blank_or_end(value, i);
    i += w;
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
  }
  if (space_break || special_characters) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
    a.block_allowed = false;
  }
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

}  // namespace

bool is_go_yaml_timestamp(std::string_view s) {
  // Quick check, as go-yaml: all formats start with four digits and '-'.
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  for (char separator : {'T', 't', ' ', '\0'}) {
    if (parses_with(s, separator)) return true;
  }
  return false;
}

bool resolves_to_string(std::string_view s) {
  if (s.empty()) return false;  // null
  const char c = s[0];
  const bool in_map_hint = std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos;
  const bool digit_or_sign = is_digit(c) || c == '+' || c == '-';
  if (!in_map_hint && !digit_or_sign && c != '.') return true;
  if (in_resolve_map(s)) return false;
  if (c == '.') return !matches_yaml_float(s);  // ParseFloat of ".5"-like text
  if (in_map_hint) return true;
  if (is_go_yaml_timestamp(s)) return false;
  std::string plain;
  for (char ch : s) {
    if (ch != '_') plain += ch;
  }
  if (parses_as_int(plain) || parses_as_uint(plain) || matches_yaml_float(plain)) return false;
  if (plain.size() > 3 && plain.compare(0, 3, "-0b") == 0) return !parses_as_uint("0b" + plain.substr(3));
  return true;
}

Scalar string_scalar(const std::string& value) {
  Scalar s;
  s.value = value;
  s.analysis = analyze(value);
  const bool can_use_plain = resolves_to_string(value) && !is_base60_float(value);
  if (value.find('\n') != std::string::npos) {
    s.style = Style::kLiteral;
  } else if (can_use_plain) {
    s.style = Style::kPlain;
  } else {
    s.style = Style::kDoubleQuoted;
  }
  return s;
}

Scalar plain_scalar(std::string text) {
  Scalar s;
  s.analysis = analyze(text);
  s.value = std::move(text);
  return s;
}

bool key_less(const std::string& a, const std::string& b) {
  const std::vector<char32_t> ar = runes(a);
  const std::vector<char32_t> br = runes(b);
  for (std::size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    const bool al = is_letter(ar[i]);
    const bool bl = is_letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    auto digit = [](char32_t r) { return r >= '0' && r <= '9'; };
    std::uint64_t an = 0;
    std::uint64_t bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (std::size_t j = i; j-- > 0 && digit(ar[j]);) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    std::size_t ai = i;
    std::size_t bi = i;
    for (; ai < ar.size() && digit(ar[ai]); ++ai) an = an * 10 + (ar[ai] - '0');
    for (; bi < br.size() && digit(br[bi]); ++bi) bn = bn * 10 + (br[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

std::size_t width(const std::string& s, std::size_t i) {
  if (i >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[i]);
  if ((c & 0x80) == 0x00) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 0;
}

bool is_space(const std::string& s, std::size_t i) { return i < s.size() && s[i] == ' '; }

bool is_break(const std::string& s, std::size_t i) {
  if (i >= s.size()) return false;
  const auto at = [&](std::size_t k) -> unsigned char { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  return s[i] == '\r' || s[i] == '\n' || (at(i) == 0xC2 && at(i + 1) == 0x85) ||
         (at(i) == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9));
}

bool is_blank_or_end(const std::string& s, std::size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\0' || is_break(s, i);
}

bool is_printable(const std::string& s, std::size_t i) {
  const auto at = [&](std::size_t k) -> unsigned char { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  const unsigned char b = at(i);
  return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && at(i + 1) >= 0xA0) || (b > 0xC2 && b < 0xED) ||
         (b == 0xED && at(i + 1) < 0xA0) || b == 0xEE ||
         (b == 0xEF && !(at(i + 1) == 0xBB && at(i + 2) == 0xBF) &&
          !(at(i + 1) == 0xBF && (at(i + 2) == 0xBE || at(i + 2) == 0xBF)));
}

bool is_bom(const std::string& s, std::size_t i) {
  return i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF &&
         static_cast<unsigned char>(s[i + 1]) == 0xBB && static_cast<unsigned char>(s[i + 2]) == 0xBF;
}

char32_t decode_rune(const std::string& s, std::size_t& i) {
  const std::size_t w = std::max<std::size_t>(width(s, i), 1);
  const auto lead = static_cast<unsigned char>(s[i]);
  char32_t v = w == 1 ? lead : w == 2 ? (lead & 0x1Fu) : w == 3 ? (lead & 0x0Fu) : (lead & 0x07u);
  for (std::size_t k = 1; k < w && i + k < s.size(); ++k) {
    v = (v << 6) + (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  }
  i += w;
  return v;
}

}  // namespace sasim::model::yaml
