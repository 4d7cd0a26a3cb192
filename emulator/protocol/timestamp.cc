#include "protocol/timestamp.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace gee::protocol {
namespace {

constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool DaysInMonthOk(int64_t y, unsigned m, unsigned d) {
  static constexpr unsigned kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kLen[m - 1] + (m == 2 && leap ? 1 : 0);
}

struct Parts {
  int64_t year;
  unsigned month, day, hour, minute, second, millis;
};

// Timestamps AWS can print: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z.
constexpr double kMinEpoch = -62135596800.0;
constexpr double kMaxEpoch = 253402300799.999;

Parts Split(double epoch) {
  if (!(epoch >= kMinEpoch)) epoch = kMinEpoch;  // also catches NaN
  if (epoch > kMaxEpoch) epoch = kMaxEpoch;
  // Round to milliseconds first so 0.9995 becomes 1.000, not 0.1000.
  const int64_t total_ms = static_cast<int64_t>(std::llround(epoch * 1000.0));
  int64_t secs = total_ms >= 0 ? total_ms / 1000 : (total_ms - 999) / 1000;
  const unsigned millis = static_cast<unsigned>(total_ms - secs * 1000);
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const int64_t rem = secs - days * 86400;
  Parts p{};
  CivilFromDays(days, &p.year, &p.month, &p.day);
  p.hour = static_cast<unsigned>(rem / 3600);
  p.minute = static_cast<unsigned>(rem % 3600 / 60);
  p.second = static_cast<unsigned>(rem % 60);
  p.millis = millis;
  return p;
}

// Reads exactly `n` digits at text[*pos].
bool Digits(std::string_view text, size_t* pos, int n, unsigned* out) {
  unsigned v = 0;
  for (int i = 0; i < n; ++i) {
    if (*pos >= text.size() || text[*pos] < '0' || text[*pos] > '9') return false;
    v = v * 10 + static_cast<unsigned>(text[(*pos)++] - '0');
  }
  *out = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

std::optional<double> Compose(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                              double fraction, int offset_seconds) {
  if (y < 1 || y > 9999 || !DaysInMonthOk(y, mo, d) || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const int64_t days = DaysFromCivil(y, mo, d);
  const double secs = static_cast<double>(days * 86400 + h * 3600 + mi * 60 + s) + fraction;
  return secs - offset_seconds;
}

}  // namespace

std::string FormatIso8601(double epoch_seconds, bool always_millis) {
  if (!std::isfinite(epoch_seconds)) epoch_seconds = 0;
  const Parts p = Split(epoch_seconds);
  char buf[48];
  if (p.millis == 0 && !always_millis) {
    std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(p.year),
                  p.month, p.day, p.hour, p.minute, p.second);
  } else {
    std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
                  static_cast<long long>(p.year), p.month, p.day, p.hour, p.minute, p.second, p.millis);
  }
  return buf;
}

std::optional<double> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(text, &pos, 4, &y) || !Expect(text, &pos, '-') || !Digits(text, &pos, 2, &mo) ||
      !Expect(text, &pos, '-') || !Digits(text, &pos, 2, &d)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  if (!Digits(text, &pos, 2, &h) || !Expect(text, &pos, ':') || !Digits(text, &pos, 2, &mi) ||
      !Expect(text, &pos, ':') || !Digits(text, &pos, 2, &s)) {
    return std::nullopt;
  }
  double fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    double scale = 0.1;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += (text[pos++] - '0') * scale;
      scale /= 10;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  int offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    unsigned oh = 0, om = 0;
    if (!Digits(text, &pos, 2, &oh)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!Digits(text, &pos, 2, &om) || oh > 23 || om > 59) return std::nullopt;
    offset = sign * static_cast<int>(oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return Compose(y, mo, d, h, mi, s, fraction, offset);
}

std::string FormatRfc822(double epoch_seconds) {
  if (!std::isfinite(epoch_seconds)) epoch_seconds = 0;
  const Parts p = Split(std::floor(epoch_seconds));
  const int64_t days = DaysFromCivil(p.year, p.month, p.day);
  const int64_t weekday = ((days % 7) + 7) % 7;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04lld %02u:%02u:%02u GMT", kDays[weekday], p.day,
                kMonths[p.month - 1], static_cast<long long>(p.year), p.hour, p.minute, p.second);
  return buf;
}

std::optional<double> ParseRfc822(std::string_view text) {
  // "Mon, 01 Jan 2024 00:00:00 GMT"; the weekday is optional and not checked.
  size_t pos = 0;
  const size_t comma = text.find(',');
  if (comma != std::string_view::npos) {
    pos = comma + 1;
    while (pos < text.size() && text[pos] == ' ') ++pos;
  }
  unsigned d = 0, y = 0, h = 0, mi = 0, s = 0;
  const size_t day_start = pos;
  while (pos < text.size() && pos - day_start < 2 && text[pos] >= '0' && text[pos] <= '9') {
    d = d * 10 + static_cast<unsigned>(text[pos++] - '0');
  }
  if (pos == day_start) return std::nullopt;
  if (!Expect(text, &pos, ' ') || pos + 3 > text.size()) return std::nullopt;
  unsigned mo = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (text.substr(pos, 3) == kMonths[i]) mo = i + 1;
  }
  if (mo == 0) return std::nullopt;
  pos += 3;
  if (!Expect(text, &pos, ' ') || !Digits(text, &pos, 4, &y) || !Expect(text, &pos, ' ') ||
      !Digits(text, &pos, 2, &h) || !Expect(text, &pos, ':') || !Digits(text, &pos, 2, &mi) ||
      !Expect(text, &pos, ':') || !Digits(text, &pos, 2, &s) || !Expect(text, &pos, ' ')) {
    return std::nullopt;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "GMT" && zone != "UTC" && zone != "Z" && zone != "+0000") return std::nullopt;
  return Compose(y, mo, d, h, mi, s, 0, 0);
}

}  // namespace gee::protocol
