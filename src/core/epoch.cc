#include "core/epoch.h"

#include <erfa.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace hyperdef::core {

namespace {
constexpr double kSecondsPerDay = 86400.0;

JulianDate Shift(JulianDate jd, double t_s) { return {jd.jd1, jd.jd2 + t_s / kSecondsPerDay}; }
}  // namespace

Epoch Epoch::FromUtc(int year, int month, int day, int hour, int minute, double second,
                     double dut1_s) {
  JulianDate utc;
  const int status = eraDtf2d("UTC", year, month, day, hour, minute, second, &utc.jd1, &utc.jd2);
  // ERFA: < 0 invalid field; +2/+3 time past the end of that day (e.g. second 60 on a day with no
  // leap second); +1 alone only flags a "dubious year" (beyond the leap-second table) and is kept.
  if (status < 0 || status >= 2) {
    throw std::invalid_argument(
        fmt::format("not a valid UTC date/time {:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{}", year, month,
                    day, hour, minute, second));
  }
  return Epoch(utc, dut1_s);
}

Epoch Epoch::FromIso8601(const std::string& text, double dut1_s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double s = 0.0;
  char tail = 0;
  int consumed = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%c%n", &y, &mo, &d, &h, &mi, &s,
                            &tail, &consumed);
  if (n != 7 || tail != 'Z' || static_cast<size_t>(consumed) != text.size()) {
    throw std::invalid_argument("expected an ISO 8601 UTC time like 2027-01-01T00:00:00Z (got '" +
                                text + "')");
  }
  return FromUtc(y, mo, d, h, mi, s, dut1_s);
}

JulianDate Epoch::Utc(double t_s) const { return Shift(utc_, t_s); }

JulianDate Epoch::Tt(double t_s) const {
  JulianDate tai, tt;
  eraUtctai(utc_.jd1, utc_.jd2, &tai.jd1, &tai.jd2);
  eraTaitt(tai.jd1, tai.jd2, &tt.jd1, &tt.jd2);
  return Shift(tt, t_s);
}

JulianDate Epoch::Ut1(double t_s) const {
  JulianDate ut1;
  eraUtcut1(utc_.jd1, utc_.jd2, dut1_s_, &ut1.jd1, &ut1.jd2);
  return Shift(ut1, t_s);
}

double Epoch::EarthRotationAngle_rad(double t_s) const {
  const JulianDate ut1 = Ut1(t_s);
  return eraEra00(ut1.jd1, ut1.jd2);
}

double Epoch::Gmst82_rad(double t_s) const {
  const JulianDate ut1 = Ut1(t_s);
  return eraGmst82(ut1.jd1, ut1.jd2);
}

std::string Epoch::ToIso8601(double t_s) const {
  const JulianDate utc = Utc(t_s);
  int y, mo, d, ihmsf[4];
  if (eraD2dtf("UTC", 3, utc.jd1, utc.jd2, &y, &mo, &d, ihmsf) < 0) {
    throw std::invalid_argument("epoch out of ERFA's range");
  }
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", y, mo, d, ihmsf[0],
                     ihmsf[1], ihmsf[2], ihmsf[3]);
}

}  // namespace hyperdef::core
