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
