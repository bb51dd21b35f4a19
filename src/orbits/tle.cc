#include "orbits/tle.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "core/error.h"

namespace hyperdef::orbits {

namespace {

// Reports a malformed field with its 1-based line and column (CelesTrak's column numbering).
[[noreturn]] void Fail(const std::string& source, int line, int col0, const std::string& key,
                       const std::string& what, std::string_view got) {
  throw core::InputError({source, line, col0 + 1}, key,
                         fmt::format("{} (got '{}')", what, std::string(got)));
}

std::string_view Field(std::string_view text, size_t begin, size_t end) {
  if (begin >= text.size()) return {};
  return text.substr(begin, std::min(end, text.size()) - begin);
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return std::string(s.substr(b, e - b));
}

// A decimal number filling the field (blanks around it allowed). strtod rounds correctly, so the
// value is bit-identical to what other SGP4 implementations read from the same text.
double ParseDouble(std::string_view field, const std::string& source, int line, int col0,
                   const std::string& key) {
  const std::string t = Trim(field);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size())
    Fail(source, line, col0, key, "expected a number", field);
  return v;
}

int ParseInt(std::string_view field, const std::string& source, int line, int col0,
             const std::string& key, bool blank_is_zero) {
  const std::string t = Trim(field);
  if (t.empty() && blank_is_zero) return 0;
  char* end = nullptr;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (t.empty() || end != t.c_str() + t.size())
    Fail(source, line, col0, key, "expected an integer", field);
  return static_cast<int>(v);
}

// The "assumed decimal point" fields of line 1 (nddot, B*): [sign]ddddd[sign]e = 0.ddddd x 10^e.
double ParseImpliedDecimal(std::string_view field, const std::string& source, int col0,
                           const std::string& key) {
  if (field.size() < 8)
    Fail(source, 1, col0, key, "expected an 8-column field like ' 12345-3'", field);
  std::string mantissa = (field[0] == '-') ? "-0." : "0.";
  for (char c : field.substr(1, 5)) mantissa += (c == ' ') ? '0' : c;
  const double m = ParseDouble(mantissa, source, 1, col0, key);
  const int e = ParseInt(field.substr(6, 2), source, 1, col0 + 6, key, false);
  return m * std::pow(10.0, e);
}

// Catalogue number, including the Alpha-5 extension (leading letter A-Z without I and O).
int ParseCatalog(std::string_view field, const std::string& source, int line) {
  if (!field.empty() && field[0] >= 'A' && field[0] <= 'Z') {
    const char c = field[0];
    if (c == 'I' || c == 'O')
      Fail(source, line, 2, "catalog_number", "I and O are not Alpha-5 letters", field);
    const int letter = 10 + (c - 'A') - (c > 'I' ? 1 : 0) - (c > 'O' ? 1 : 0);
    return letter * 10000 + ParseInt(field.substr(1), source, line, 3, "catalog_number", false);
  }
  return ParseInt(field, source, line, 2, "catalog_number", false);
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Day of year (1-based) -> month and day of month.
void MonthDay(int year, int day_of_year, int* month, int* day) {
  static constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  *month = 1;
  for (int m = 0; m < 11; ++m) {
    const int len = kDaysInMonth[m] + ((m == 1 && IsLeap(year)) ? 1 : 0);
    if (day_of_year <= len) break;
    day_of_year -= len;
    ++*month;
  }
  *day = day_of_year;
}

}  // namespace

int TleChecksum(std::string_view line) {
  int sum = 0;
  for (size_t k = 0; k < std::min<size_t>(68, line.size()); ++k) {
    const char c = line[k];
    if (c >= '0' && c <= '9') sum += c - '0';
    if (c == '-') sum += 1;
  }
  return sum % 10;
}

Tle ParseTle(std::string_view line1, std::string_view line2, bool check_checksum,
             const std::string& source_name) {
  const std::string& src = source_name;
  while (!line1.empty() && (line1.back() == '\r' || line1.back() == ' ')) line1.remove_suffix(1);
  if (line1.size() < 64 || line1[0] != '1' || line1[1] != ' ') {
    Fail(src, 1, 0, "line1", "expected TLE line 1 ('1 NNNNNC ...', at least 64 columns)", line1);
  }
  if (line2.size() < 63 || line2[0] != '2' || line2[1] != ' ') {
    Fail(src, 2, 0, "line2", "expected TLE line 2 ('2 NNNNN ...', at least 63 columns)", line2);
  }
  Tle tle;
  tle.catalog_number = ParseCatalog(Field(line1, 2, 7), src, 1);
  tle.classification = line1[7] == ' ' ? 'U' : line1[7];
  tle.international_designator = Trim(Field(line1, 9, 17));
  const int yy = ParseInt(Field(line1, 18, 20), src, 1, 18, "epoch_year", false);
  // Two-digit years: 57-99 -> 1957-1999, 00-56 -> 2000-2056 (Sputnik-era convention).
  tle.epoch_year = yy < 57 ? 2000 + yy : 1900 + yy;
  tle.epoch_day = ParseDouble(Field(line1, 20, 32), src, 1, 20, "epoch_day");
  if (tle.epoch_day < 1.0 || tle.epoch_day >= (IsLeap(tle.epoch_year) ? 367.0 : 366.0)) {
    Fail(src, 1, 20, "epoch_day", "day of year out of range", Field(line1, 20, 32));
  }
  tle.ndot_revpday2 = ParseDouble(Field(line1, 33, 43), src, 1, 33, "ndot");
  tle.nddot_revpday3 = ParseImpliedDecimal(Field(line1, 44, 52), src, 44, "nddot");
  tle.bstar_per_er = ParseImpliedDecimal(Field(line1, 53, 61), src, 53, "bstar");
  tle.element_set_number = ParseInt(Field(line1, 64, 68), src, 1, 64, "element_set_number", true);

  if (ParseCatalog(Field(line2, 2, 7), src, 2) != tle.catalog_number) {
    Fail(src, 2, 2, "catalog_number", "line 2 names a different object than line 1",
         Field(line2, 2, 7));
  }
  tle.inclination_deg = ParseDouble(Field(line2, 8, 16), src, 2, 8, "inclination");
  tle.raan_deg = ParseDouble(Field(line2, 17, 25), src, 2, 17, "raan");
  std::string ecc = "0.";
  for (char c : Field(line2, 26, 33)) ecc += (c == ' ') ? '0' : c;
  tle.eccentricity = ParseDouble(ecc, src, 2, 26, "eccentricity");
  tle.arg_perigee_deg = ParseDouble(Field(line2, 34, 42), src, 2, 34, "arg_perigee");
  tle.mean_anomaly_deg = ParseDouble(Field(line2, 43, 51), src, 2, 43, "mean_anomaly");
  tle.mean_motion_revpday = ParseDouble(Field(line2, 52, 63), src, 2, 52, "mean_motion");
  tle.revolution_number = ParseInt(Field(line2, 63, 68), src, 2, 63, "revolution_number", true);

  if (check_checksum) {
    const std::string_view lines[2] = {line1, line2};
    for (int k = 0; k < 2; ++k) {
      const std::string_view l = lines[k];
      if (l.size() < 69 || l[68] < '0' || l[68] > '9')
        Fail(src, k + 1, 68, "checksum", "missing checksum digit", l);
      if (l[68] - '0' != TleChecksum(l)) {
        Fail(src, k + 1, 68, "checksum", fmt::format("checksum should be {}", TleChecksum(l)),
             Field(l, 68, 69));
      }
    }
  }
  return tle;
}

double Tle::DaysSince1950() const {
  // Through a single-double Julian date, exactly as the reference code computes it (Vallado's
  // days2mdhms + jday, 1901-2099). The JD's rounding (ulp ~ 40 us) is part of what the Vallado
  // 2006 verification output encodes: case 23333 (e = 0.97, at perigee at epoch) moves by 4e-6 km
  // if the epoch is instead taken exactly, 20 us earlier.
  int month = 1, day = 0;
  const int doy = static_cast<int>(std::floor(epoch_day));
  MonthDay(epoch_year, doy, &month, &day);
  double temp = (epoch_day - doy) * 24.0;
  const double hour = std::floor(temp);
  temp = (temp - hour) * 60.0;
  const double minute = std::floor(temp);
  const double second = (temp - minute) * 60.0;
  const int y = epoch_year;
  const double jd = 367.0 * y - std::floor((7 * (y + std::floor((month + 9) / 12.0))) * 0.25) +
                    std::floor(275 * month / 9.0) + day + 1721013.5 +
                    ((second / 60.0 + minute) / 60.0 + hour) / 24.0;
  return jd - 2433281.5;  // JD of 1949 December 31 00:00 UTC
}

core::Epoch Tle::Epoch() const {
  int doy = static_cast<int>(std::floor(epoch_day));
  double seconds = (epoch_day - doy) * 86400.0;
  int month = 1;
  MonthDay(epoch_year, doy, &month, &doy);
  const int hour = static_cast<int>(seconds / 3600.0);
  seconds -= hour * 3600.0;
  const int minute = static_cast<int>(seconds / 60.0);
  seconds -= minute * 60.0;
  if (seconds >= 60.0) seconds = std::nextafter(60.0, 0.0);  // guard against rounding
  return core::Epoch::FromUtc(epoch_year, month, doy, hour, minute, seconds);
}

}  // namespace hyperdef::orbits
