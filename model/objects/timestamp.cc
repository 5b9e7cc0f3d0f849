#include "model/objects/timestamp.h"

#include <array>
#include <limits>

#include <fmt/format.h>

namespace sasim::model {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::string_view kRfc3339Layout = "2006-01-02T15:04:05Z07:00";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-
// Compatible Low-Level Date Algorithms").
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// strconv.Quote for the ASCII text timestamps are made of.
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool is_digit(std::string_view s, std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Go's getnum: one or two digits, exactly two when `fixed`.
bool get_number(std::string_view& s, bool fixed, int& out) {
  if (!is_digit(s, 0)) return false;
  if (!is_digit(s, 1)) {
    if (fixed) return false;
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

}  // namespace

CivilTime civil_from_unix(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, kSecondsPerDay);
  const std::int64_t secs = unix_seconds - days * kSecondsPerDay;
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime c;
  c.year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  c.month = static_cast<int>(m);
  c.day = static_cast<int>(d);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

std::int64_t unix_from_civil(const CivilTime& c) {
  return days_from_civil(c.year, c.month, c.day) * kSecondsPerDay + c.hour * 3600 + c.minute * 60 + c.second;
}

sim::Result<UnixInstant, std::string> parse_rfc3339(std::string_view text) {
  std::string_view rest = text;
  auto cannot_parse = [&](std::string_view element) {
    return sim::unexpected(fmt::format("parsing time {} as {}: cannot parse {} as {}", go_quote(text),
                                       go_quote(kRfc3339Layout), go_quote(rest), go_quote(element)));
  };
  auto out_of_range = [&](std::string_view what) {
    return sim::unexpected(fmt::format("parsing time {}: {} out of range", go_quote(text), what));
  };
  auto literal = [&](char c) {
    if (rest.empty() || rest[0] != c) return false;
    rest.remove_prefix(1);
    return true;
  };

  CivilTime c;
  if (rest.size() < 4 || !is_digit(rest, 0) || !is_digit(rest, 1) || !is_digit(rest, 2) || !is_digit(rest, 3)) {
    return cannot_parse("2006");
  }
  c.year = (rest[0] - '0') * 1000 + (rest[1] - '0') * 100 + (rest[2] - '0') * 10 + (rest[3] - '0');
  rest.remove_prefix(4);
  if (!literal('-')) return cannot_parse("-");
  if (!get_number(rest, true, c.month)) return cannot_parse("01");
  if (c.month < 1 || c.month > 12) return out_of_range("month");
  if (!literal('-')) return cannot_parse("-");
  if (!get_number(rest, true, c.day)) return cannot_parse("02");
  if (!literal('T')) return cannot_parse("T");
  if (!get_number(rest, false, c.hour)) return cannot_parse("15");
  if (c.hour > 23) return out_of_range("hour");
  if (!literal(':')) return cannot_parse(":");
  if (!get_number(rest, true, c.minute)) return cannot_parse("04");
  if (c.minute > 59) return out_of_range("minute");
  if (!literal(':')) return cannot_parse(":");
  if (!get_number(rest, true, c.second)) return cannot_parse("05");
  if (c.second > 59) return out_of_range("second");

  // Go accepts a fraction after the seconds even though the layout has none;
  // digits beyond nanoseconds are read and dropped.
  std::int32_t nanos = 0;
  if (rest.size() >= 2 && rest[0] == '.' && is_digit(rest, 1)) {
    std::size_t n = 1;
    std::int32_t scale = 100'000'000;
    for (; is_digit(rest, n); ++n) {
      if (scale > 0) {
        nanos += (rest[n] - '0') * scale;
        scale /= 10;
      }
    }
    rest.remove_prefix(n);
  }

  std::int64_t offset_seconds = 0;
  if (!rest.empty() && rest[0] == 'Z') {
    rest.remove_prefix(1);
  } else {
    if (rest.size() < 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' || !is_digit(rest, 1) ||
        !is_digit(rest, 2) || !is_digit(rest, 4) || !is_digit(rest, 5)) {
      return cannot_parse("Z07:00");
    }
    const int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset_seconds = (hours * 3600 + minutes * 60) * (rest[0] == '-' ? -1 : 1);
    rest.remove_prefix(6);
  }
  if (!rest.empty()) {
    return sim::unexpected(fmt::format("parsing time {}: extra text: {}", go_quote(text), go_quote(rest)));
  }
  if (c.day < 1 || c.day > days_in_month(c.year, c.month)) return out_of_range("day");
  return UnixInstant{unix_from_civil(c) - offset_seconds, nanos};
}

std::string format_rfc3339(std::int64_t unix_seconds) {
  const CivilTime c = civil_from_unix(unix_seconds);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

std::string format_rfc1123z(std::int64_t unix_seconds) {
  constexpr std::array<std::string_view, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime c = civil_from_unix(unix_seconds);
  // 1970-01-01 was a Thursday.
  const std::int64_t weekday = floor_div(unix_seconds, kSecondsPerDay) % 7;
  const auto wd = static_cast<std::size_t>(weekday < 0 ? weekday + 7 : weekday);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kWeekdays[wd], c.day,
                     kMonths[static_cast<std::size_t>(c.month - 1)], c.year, c.hour, c.minute, c.second);
}

std::int64_t wall_seconds(sim::Time t, std::int64_t epoch_unix_seconds) {
  return epoch_unix_seconds + t.ns() / sim::Duration::kNsPerSecond;
}

sim::Time sim_time_from_wall(const UnixInstant& instant, std::int64_t epoch_unix_seconds) {
  const std::int64_t seconds = instant.seconds - epoch_unix_seconds;
  if (seconds < 0) return sim::Time::zero();
  // Beyond int64 nanoseconds (year 2262 and later): the end of simulated time.
  if (seconds > (std::numeric_limits<std::int64_t>::max() - instant.nanos) / sim::Duration::kNsPerSecond) {
    return sim::Time::never();
  }
  return sim::Time::from_start(sim::Duration::nanoseconds(seconds * sim::Duration::kNsPerSecond + instant.nanos));
}

}  // namespace sasim::model
