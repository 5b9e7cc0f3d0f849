#include "scenarios/scalar_resolve.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace sasim::scenarios {

namespace {

constexpr std::array<std::string_view, 11> kTrue{"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"};
constexpr std::array<std::string_view, 11> kFalse{"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False",
                                                  "FALSE"};
constexpr std::array<std::string_view, 4> kNull{"~", "null", "Null", "NULL"};

template <std::size_t N>
bool one_of(std::string_view text, const std::array<std::string_view, N>& words) {
  for (std::string_view word : words) {
    if (text == word) return true;
  }
  return false;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Go's strconv.ParseInt/ParseUint with base 0 (sign, then 0x, 0o, 0b or a
// leading 0 for octal), as a magnitude and a sign; nullopt on bad syntax
// or a magnitude beyond uint64.
struct Parsed {
  bool negative = false;
  bool had_sign = false;
  std::uint64_t magnitude = 0;
};

std::optional<Parsed> parse_go_int(std::string_view s) {
  Parsed out;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    out.negative = s[0] == '-';
    out.had_sign = true;
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') base = 16, s.remove_prefix(2);
    else if (p == 'o' || p == 'O') base = 8, s.remove_prefix(2);
    else if (p == 'b' || p == 'B') base = 2, s.remove_prefix(2);
    else base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    const int d = digit_value(c);
    if (d >= static_cast<int>(base)) return std::nullopt;
    const std::uint64_t u = static_cast<std::uint64_t>(d);
    if (out.magnitude > (UINT64_MAX - u) / base) return std::nullopt;
    out.magnitude = out.magnitude * base + u;
  }
  return out;
}

std::optional<nlohmann::json> integer_of(const std::string& plain) {
  const std::optional<Parsed> parsed = parse_go_int(plain);
  if (!parsed) return std::nullopt;
  constexpr std::uint64_t kMaxInt = INT64_MAX;
  if (parsed->negative) {
    if (parsed->magnitude > kMaxInt + 1) return std::nullopt;
    if (parsed->magnitude == kMaxInt + 1) return nlohmann::json(INT64_MIN);
    return nlohmann::json(-static_cast<std::int64_t>(parsed->magnitude));
  }
  if (parsed->magnitude <= kMaxInt) return nlohmann::json(static_cast<std::int64_t>(parsed->magnitude));
  // ParseUint takes no sign.
  if (parsed->had_sign) return std::nullopt;
  return nlohmann::json(parsed->magnitude);
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// strconv.ParseFloat for the decimal forms that reach it; nullopt when out of range.
std::optional<double> parse_float(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

nlohmann::json float_json(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 1e18) return nlohmann::json(static_cast<std::int64_t>(value));
  return nlohmann::json(value);
}

std::string without_underscores(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

}  // namespace

nlohmann::json resolve_plain_scalar(std::string_view text) {
  if (text.empty() || one_of(text, kNull)) return nullptr;
  if (one_of(text, kTrue)) return true;
  if (one_of(text, kFalse)) return false;
  const char first = text[0];
  if (first == '.') {
    if (std::optional<double> f = parse_float(text)) return float_json(*f);
    return std::string(text);
  }
  if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) return std::string(text);
  const std::string plain = without_underscores(text);
  if (std::optional<nlohmann::json> integer = integer_of(plain)) return *integer;
  if (yaml_style_float(plain)) {
    if (std::optional<double> f = parse_float(plain)) return float_json(*f);
  }
  return std::string(text);
}

std::optional<nlohmann::json> resolve_integer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return integer_of(without_underscores(text));
}

}  // namespace sasim::scenarios
