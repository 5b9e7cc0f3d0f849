#include "sim/duration_text.h"

#include "sim/int128.h"

#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace sasim::sim {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ns;
  int rank;  // larger unit, larger rank: terms must strictly decrease
};

constexpr std::array<Unit, 7> kUnits{{
    {"h", 3'600'000'000'000, 6},
    {"m", 60'000'000'000, 5},
    {"s", 1'000'000'000, 4},
    {"ms", 1'000'000, 3},
    {"us", 1'000, 2},
    {"\xC2\xB5s", 1'000, 2},  // µs, as Go prints it
    {"ns", 1, 1},
}};

constexpr std::string_view kUnitList = "h, m, s, ms, us, ns";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A unit is a run of letters; "µ" is two bytes in UTF-8.
std::size_t unit_end(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++pos;
    } else if (c == '\xC2' && pos + 1 < text.size() && text[pos + 1] == '\xB5') {
      pos += 2;
    } else {
      break;
    }
  }
  return pos;
}

const Unit* find_unit(std::string_view name) {
  for (const Unit& unit : kUnits) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

Unexpected<Error> fail(std::string message, std::size_t offset) {
  return unexpected(Error{std::move(message), offset});
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return fail("empty duration; write one with a unit, e.g. 5s", 0);
  if (text[0] == '-') return fail("durations cannot be negative: " + quoted(text), 0);
  constexpr Int128 kMax = std::numeric_limits<std::int64_t>::max();
  Int128 total = 0;
  int previous_rank = 100;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t term_start = pos;
    if (!is_digit(text[pos])) {
      return fail("expected a number in duration " + quoted(text), pos);
    }
    Int128 whole = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      whole = whole * 10 + (text[pos] - '0');
      if (whole > kMax) return fail("duration out of range: " + quoted(text), term_start);
      ++pos;
    }
    std::string_view fraction;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t fraction_start = ++pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
      fraction = text.substr(fraction_start, pos - fraction_start);
      if (fraction.empty()) return fail("expected digits after '.' in duration " + quoted(text), pos);
    }
    const std::size_t unit_start = pos;
    pos = unit_end(text, pos);
    const std::string_view unit_name = text.substr(unit_start, pos - unit_start);
    if (unit_name.empty()) {
      if (unit_start == text.size() && term_start == 0) {
        return fail("a duration needs a unit, e.g. " + std::string(text) + "s (units: " +
                        std::string(kUnitList) + ")",
                    unit_start);
      }
      return fail("missing unit in duration " + quoted(text) + " (units: " + std::string(kUnitList) + ")",
                  unit_start);
    }
    const Unit* unit = find_unit(unit_name);
    if (unit == nullptr) {
      return fail("unknown unit " + quoted(unit_name) + " in duration " + quoted(text) +
                      " (units: " + std::string(kUnitList) + ")",
                  unit_start);
    }
    if (unit->rank >= previous_rank) {
      return fail("units must go from largest to smallest, each at most once, in duration " + quoted(text),
                  unit_start);
    }
    previous_rank = unit->rank;

    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    Int128 fraction_ns = 0;
    if (!fraction.empty()) {
      // A unit holds at most 3.6e12 ns, so more than 18 significant fraction
      // digits can never land on a whole nanosecond.
      if (fraction.size() > 18) return fail("duration finer than 1ns: " + quoted(text), term_start);
      Int128 digits = 0;
      Int128 scale = 1;
      for (char c : fraction) {
        digits = digits * 10 + (c - '0');
        scale *= 10;
      }
      const Int128 scaled = digits * unit->ns;
      if (scaled % scale != 0) return fail("duration finer than 1ns: " + quoted(text), term_start);
      fraction_ns = scaled / scale;
    }
    total += whole * unit->ns + fraction_ns;
    if (total > kMax) return fail("duration out of range: " + quoted(text), term_start);
  }
  return Duration::nanoseconds(static_cast<std::int64_t>(total));
}

namespace {

// "<whole>[.<fraction>]" of value/unit_ns with trailing zeros dropped.
std::string decimal(std::uint64_t value, std::uint64_t unit_ns) {
  std::string out = std::to_string(value / unit_ns);
  std::uint64_t rest = value % unit_ns;
  if (rest == 0) return out;
  std::string digits;
  for (std::uint64_t step = unit_ns / 10; step > 0; step /= 10) {
    digits.push_back(static_cast<char>('0' + rest / step));
    rest %= step;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

}  // namespace

std::string format_duration(Duration duration) {
  const std::int64_t ns = duration.ns();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  // Magnitude in unsigned arithmetic: -INT64_MIN does not fit an int64.
  const std::uint64_t mag = ns < 0 ? ~static_cast<std::uint64_t>(ns) + 1 : static_cast<std::uint64_t>(ns);
  constexpr std::uint64_t kUs = 1'000, kMs = 1'000'000, kS = 1'000'000'000;
  if (mag < kUs) return sign + std::to_string(mag) + "ns";
  if (mag < kMs) return sign + decimal(mag, kUs) + "us";
  if (mag < kS) return sign + decimal(mag, kMs) + "ms";

  constexpr std::uint64_t kM = 60 * kS, kH = 60 * kM;
  const std::uint64_t hours = mag / kH;
  const std::uint64_t minutes = (mag % kH) / kM;
  const std::uint64_t second_ns = mag % kM;
  std::string out = sign;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (minutes > 0 || (hours > 0 && second_ns > 0)) out += std::to_string(minutes) + "m";
  if (second_ns > 0) out += decimal(second_ns, kS) + "s";
  return out;
}

}  // namespace sasim::sim
