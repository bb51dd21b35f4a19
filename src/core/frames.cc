#include "core/frames.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::core {

namespace {
const Vec3 kOmega_Ecef(0.0, 0.0, kEarthOmega_radps);
}

Mat3 R_EciFromEcef(double era_rad) {
  const double c = std::cos(era_rad), s = std::sin(era_rad);
  Mat3 r;
  r << c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0;
  return r;
}

Vec3 PositionEciFromEcef(const Vec3& r_Ecef, double era_rad) {
  return R_EciFromEcef(era_rad) * r_Ecef;
}

Vec3 PositionEcefFromEci(const Vec3& r_Eci, double era_rad) {
  return R_EciFromEcef(era_rad).transpose() * r_Eci;
}

Vec3 VelocityEciFromEcef(const Vec3& r_Ecef, const Vec3& v_Ecef, double era_rad) {
  return R_EciFromEcef(era_rad) * (v_Ecef + kOmega_Ecef.cross(r_Ecef));
}

Vec3 VelocityEcefFromEci(const Vec3& r_Eci, const Vec3& v_Eci, double era_rad) {
  const Mat3 r_t = R_EciFromEcef(era_rad).transpose();
  const Vec3 r_Ecef = r_t * r_Eci;
  return r_t * v_Eci - kOmega_Ecef.cross(r_Ecef);
}

Vec3 AccelerationEcefFromEci(const Vec3& r_Eci, const Vec3& v_Eci, const Vec3& a_Eci,
                             double era_rad) {
  const Mat3 r_t = R_EciFromEcef(era_rad).transpose();
  const Vec3 r_Ecef = r_t * r_Eci;
  const Vec3 v_Ecef = r_t * v_Eci - kOmega_Ecef.cross(r_Ecef);
  return r_t * a_Eci - CoriolisCentripetal_Ecef(r_Ecef, v_Ecef);
}

Vec3 PositionEcefFromTeme(const Vec3& r_Teme, double gmst_rad) {
  return R_EciFromEcef(gmst_rad).transpose() * r_Teme;
}

Vec3 VelocityEcefFromTeme(const Vec3& r_Teme, const Vec3& v_Teme, double gmst_rad) {
  return VelocityEcefFromEci(r_Teme, v_Teme, gmst_rad);
}

}  // namespace hyperdef::core
