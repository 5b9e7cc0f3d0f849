#include "model/objects/go_float.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace sasim::model {
namespace {

// Shortest decimal digits of |value| and the position of the decimal point
// (value = 0.d1d2d3... * 10^point), as strconv's decimal conversion gives them.
struct Digits {
  std::string digits;
  int point = 0;
};

Digits shortest_digits(double value) {
  std::array<char, 64> buf{};
  auto result = std::to_chars(buf.data(), buf.data() + buf.size(), std::fabs(value), std::chars_format::scientific);
  const std::string text(buf.data(), result.ptr);
  const std::size_t e = text.find('e');
  Digits d;
  for (std::size_t i = 0; i < e; ++i) {
    if (text[i] != '.') d.digits += text[i];
  }
  d.point = std::atoi(text.c_str() + e + 1) + 1;
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  return d;
}

std::string format_e(const Digits& d, bool negative) {
  std::string out = negative ? "-" : "";
  out += d.digits[0];
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  const int exp = d.digits == "0" ? 0 : d.point - 1;
  return out + fmt::format("e{}{:02}", exp < 0 ? '-' : '+', std::abs(exp));
}

std::string format_f(const Digits& d, bool negative) {
  std::string out = negative ? "-" : "";
  const int nd = static_cast<int>(d.digits.size());
  if (d.point <= 0) {
    out += "0";
  } else {
    for (int i = 0; i < d.point; ++i) out += i < nd ? d.digits[static_cast<std::size_t>(i)] : '0';
  }
  if (nd > d.point) {
    out += ".";
    for (int i = d.point; i < nd; ++i) out += i < 0 ? '0' : d.digits[static_cast<std::size_t>(i)];
  }
  return out;
}

}  // namespace

std::string go_format_float(double value, char format) {
  const bool negative = std::signbit(value);
  if (value == 0) return negative ? "-0" : "0";
  const Digits d = shortest_digits(value);
  if (format == 'e') return format_e(d, negative);
  if (format == 'f') return format_f(d, negative);
  const int exp = d.point - 1;
  return exp < -4 || exp >= 6 ? format_e(d, negative) : format_f(d, negative);
}

std::string go_json_float(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    std::string text = go_format_float(value, 'e');
    const std::size_t n = text.size();
    if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') text.erase(n - 2, 1);
    return text;
  }
  return go_format_float(value, 'f');
}

}  // namespace sasim::model
