#include "model/auth/legacy_tracking.h"

#include <fmt/format.h>

#include "model/objects/timestamp.h"

namespace sasim::model::auth {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string utc_date(std::int64_t unix_seconds) {
  const CivilTime civil = civil_from_unix(unix_seconds);
  return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

std::optional<std::int64_t> parse_utc_date(std::string_view text) {
  // "2006-01-02": four-digit year, two-digit month and day, nothing else.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view year = text.substr(0, 4), month = text.substr(5, 2), day = text.substr(8, 2);
  if (!digits(year) || !digits(month) || !digits(day)) return std::nullopt;
  CivilTime civil;
  civil.year = std::stoll(std::string(year));
  civil.month = std::stoi(std::string(month));
  civil.day = std::stoi(std::string(day));
  if (civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > days_in_month(civil.year, civil.month)) {
    return std::nullopt;
  }
  return unix_from_civil(civil);
}

bool last_used_needs_update(std::string_view last_used_label, std::int64_t now_unix_seconds) {
  return last_used_label != utc_date(now_unix_seconds) && last_used_label != utc_date(now_unix_seconds + kSecondsPerDay);
}

}  // namespace sasim::model::auth
