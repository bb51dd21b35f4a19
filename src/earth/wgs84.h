// The WGS-84 ellipsoid: geodetic <-> ECEF and local East-North-Up, through GeographicLib
// (Karney 2011, exact to round-off; we do not hand-write what it does well).
#pragma once

#include "core/frames.h"

namespace hyperdef::earth {

using core::Mat3;
using core::Vec3;

// Geodetic coordinates on WGS-84: latitude and longitude in rad, height above the ellipsoid in m.
struct Geodetic {
  double lat_rad = 0.0;
  double lon_rad = 0.0;
  double h_m = 0.0;
};

Vec3 EcefFromGeodetic(const Geodetic& g);
Geodetic GeodeticFromEcef(const Vec3& r_Ecef);

// The same conversion for the flight derivative's hot loop, hand-written because GeographicLib's
// (exact everywhere, including near the Earth's centre, where it needs care) costs ~4x more and
// was 70 % of a threat flight's derivative. Bowring's (1976, Survey Review 23(181)) iteration on
// the parametric latitude, started from the geocentric one and run twice: agrees with
// GeodeticFromEcef to < 1e-6 m in height and < 1e-12 rad in latitude from -10 km to 40,000 km
// (tested). Requires a point more than 100 km from the Earth's centre (always true of flight).
Geodetic GeodeticFromEcefFast(const Vec3& r_Ecef);
// Its height alone (the same bits as GeodeticFromEcefFast(r).h_m), without the two arctangents
// of latitude and longitude: what the flight derivative and its altitude events need.
double HeightFromEcefFast(const Vec3& r_Ecef);

// Rotation taking ECEF components to local ENU components at geodetic (lat, lon).
Mat3 R_EnuFromEcef(double lat_rad, double lon_rad);

// Vector from `origin` to `r_Ecef`, in the ENU frame at `origin`.
Vec3 EnuFromEcef(const Vec3& r_Ecef, const Geodetic& origin);
Vec3 EcefFromEnu(const Vec3& p_Enu, const Geodetic& origin);

// Great-circle (geodesic on the ellipsoid) distance and initial azimuth between two points,
// GeographicLib::Geodesic (Karney 2013). Azimuth clockwise from north, rad.
double GeodesicDistance_m(double lat1_rad, double lon1_rad, double lat2_rad, double lon2_rad,
                          double* azimuth1_rad = nullptr);
// Point reached from (lat, lon) after `distance_m` along the geodesic with initial azimuth.
void GeodesicDirect(double lat_rad, double lon_rad, double azimuth_rad, double distance_m,
                    double* lat2_rad, double* lon2_rad);

}  // namespace hyperdef::earth
