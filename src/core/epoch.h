// Calendar epochs. A scenario has one UTC epoch (its time zero); inside the simulation time is
// `double t_s`, SI seconds since that epoch. Conversions to TT, UT1 and Earth-rotation angles go
// through ERFA (the IAU SOFA algorithms), here and nowhere else.
#pragma once

#include <string>

namespace hyperdef::core {

// A two-part Julian date (jd1 + jd2), as ERFA takes it, in a named time scale.
struct JulianDate {
  double jd1 = 0.0;
  double jd2 = 0.0;
  double Total() const { return jd1 + jd2; }
};

class Epoch {
 public:
  // Calendar UTC. Throws std::invalid_argument on an impossible date (ERFA eraDtf2d).
  static Epoch FromUtc(int year, int month, int day, int hour, int minute, double second,
                       double dut1_s = 0.0);
  // ISO 8601 "YYYY-MM-DDThh:mm:ss[.sss]Z". Throws std::invalid_argument with what was expected.
  static Epoch FromIso8601(const std::string& text, double dut1_s = 0.0);

  // UTC, TT and UT1 (= UTC + dUT1) Julian dates t_s seconds after this epoch. A leap second
  // inside [epoch, epoch + t_s] is neglected: scenarios last hours, not across 31 December.
  JulianDate Utc(double t_s = 0.0) const;
  JulianDate Tt(double t_s = 0.0) const;
  JulianDate Ut1(double t_s = 0.0) const;

  // Earth rotation angle (IAU 2000, eraEra00) at t_s, rad in [0, 2pi).
  double EarthRotationAngle_rad(double t_s = 0.0) const;
  // Greenwich mean sidereal time, IAU 1982 model (eraGmst82), used with SGP4's TEME frame.
  double Gmst82_rad(double t_s = 0.0) const;

  double dut1_s() const { return dut1_s_; }
  // ISO 8601 UTC text of epoch + t_s, millisecond resolution.
  std::string ToIso8601(double t_s = 0.0) const;

 private:
  Epoch(JulianDate utc, double dut1_s) : utc_(utc), dut1_s_(dut1_s) {}
  JulianDate utc_;
  double dut1_s_ = 0.0;
};

}  // namespace hyperdef::core
