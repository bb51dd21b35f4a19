#include "earth/wgs84.h"

#include <GeographicLib/Geocentric.hpp>
#include <GeographicLib/Geodesic.hpp>
#include <cmath>

#include "core/constants.h"

namespace hyperdef::earth {

using core::kDegToRad;
using core::kRadToDeg;

Vec3 EcefFromGeodetic(const Geodetic& g) {
  Vec3 r;
  GeographicLib::Geocentric::WGS84().Forward(g.lat_rad * kRadToDeg, g.lon_rad * kRadToDeg, g.h_m,
                                             r.x(), r.y(), r.z());
  return r;
}

Geodetic GeodeticFromEcef(const Vec3& r_Ecef) {
  double lat_deg, lon_deg, h_m;
  GeographicLib::Geocentric::WGS84().Reverse(r_Ecef.x(), r_Ecef.y(), r_Ecef.z(), lat_deg, lon_deg,
                                             h_m);
  return {lat_deg * kDegToRad, lon_deg * kDegToRad, h_m};
}

namespace {

// GeodeticFromEcefFast's latitude as the pair (num, den) with tan(phi) = num / den, and its
// height: two Bowring iterations (see wgs84.h).
double BowringHeight(const Vec3& r_Ecef, double* num_out, double* den_out) {
  constexpr double a = core::kWgs84A_m, b = core::kWgs84B_m, e2 = core::kWgs84E2;
  constexpr double ep2 = e2 / (1.0 - e2);  // second eccentricity squared
  const double x = r_Ecef.x(), y = r_Ecef.y(), z = r_Ecef.z();
  const double p = std::sqrt(x * x + y * y);
  // Parametric latitude beta as a (cos, sin) pair: tan(beta) = (b / a) tan(phi); start from the
  // geocentric direction (a z, b p).
  double cb = b * p, sb = a * z;
  double n = std::sqrt(cb * cb + sb * sb);
  cb /= n;
  sb /= n;
  double num = 0.0, den = 0.0;
  for (int it = 0; it < 2; ++it) {
    // Bowring: tan(phi) = (z + e'^2 b sin^3 beta) / (p - e^2 a cos^3 beta).
    num = z + ep2 * b * sb * sb * sb;
    den = p - e2 * a * cb * cb * cb;
    // beta from phi: (cos, sin) of beta along (a cos phi, b sin phi), i.e. (a den, b num).
    cb = a * den;
    sb = b * num;
    n = std::sqrt(cb * cb + sb * sb);
    cb /= n;
    sb /= n;
  }
  const double h_phi = std::sqrt(num * num + den * den);
  const double sphi = num / h_phi, cphi = den / h_phi;
  *num_out = num;
  *den_out = den;
  // h = p cos(phi) + z sin(phi) - a sqrt(1 - e^2 sin^2 phi): accurate at every latitude.
  return p * cphi + z * sphi - a * std::sqrt(1.0 - e2 * sphi * sphi);
}

}  // namespace

Geodetic GeodeticFromEcefFast(const Vec3& r_Ecef) {
  double num = 0.0, den = 0.0;
  Geodetic g;
  g.h_m = BowringHeight(r_Ecef, &num, &den);
  g.lat_rad = std::atan2(num, den);
  g.lon_rad = std::atan2(r_Ecef.y(), r_Ecef.x());
  return g;
}

double HeightFromEcefFast(const Vec3& r_Ecef) {
  double num = 0.0, den = 0.0;
  return BowringHeight(r_Ecef, &num, &den);
}

Mat3 R_EnuFromEcef(double lat_rad, double lon_rad) {
  const double sl = std::sin(lat_rad), cl = std::cos(lat_rad);
  const double so = std::sin(lon_rad), co = std::cos(lon_rad);
  Mat3 r;
  r << -so, co, 0.0,           //
      -sl * co, -sl * so, cl,  //
      cl * co, cl * so, sl;
  return r;
}

Vec3 EnuFromEcef(const Vec3& r_Ecef, const Geodetic& origin) {
  return R_EnuFromEcef(origin.lat_rad, origin.lon_rad) * (r_Ecef - EcefFromGeodetic(origin));
}

Vec3 EcefFromEnu(const Vec3& p_Enu, const Geodetic& origin) {
  return EcefFromGeodetic(origin) +
         R_EnuFromEcef(origin.lat_rad, origin.lon_rad).transpose() * p_Enu;
}

double GeodesicDistance_m(double lat1_rad, double lon1_rad, double lat2_rad, double lon2_rad,
                          double* azimuth1_rad) {
  double s12, azi1, azi2;
  GeographicLib::Geodesic::WGS84().Inverse(lat1_rad * kRadToDeg, lon1_rad * kRadToDeg,
                                           lat2_rad * kRadToDeg, lon2_rad * kRadToDeg, s12, azi1,
                                           azi2);
  if (azimuth1_rad) *azimuth1_rad = azi1 * kDegToRad;
  return s12;
}

void GeodesicDirect(double lat_rad, double lon_rad, double azimuth_rad, double distance_m,
                    double* lat2_rad, double* lon2_rad) {
  double lat2, lon2;
  GeographicLib::Geodesic::WGS84().Direct(lat_rad * kRadToDeg, lon_rad * kRadToDeg,
                                          azimuth_rad * kRadToDeg, distance_m, lat2, lon2);
  *lat2_rad = lat2 * kDegToRad;
  *lon2_rad = lon2 * kDegToRad;
}

}  // namespace hyperdef::earth
