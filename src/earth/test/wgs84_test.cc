// WGS-84 geodesy against GeographicLib's command-line tools (an independent build of the same
// library, so these tests pin our degree/radian handling and argument order, not the algorithm).
#include "earth/wgs84.h"

#include <gtest/gtest.h>

#include <Eigen/LU>  // determinant()
#include <cmath>

#include "core/constants.h"

namespace hyperdef::earth {
namespace {

using core::kDegToRad;
using core::kRadToDeg;

Geodetic Deg(double lat_deg, double lon_deg, double h_m) {
  return {lat_deg * kDegToRad, lon_deg * kDegToRad, h_m};
}

// Expected values produced with `CartConvert -p 6` (GeographicLib 2.1.2, Debian
// geographiclib-tools), input "lat lon h" in degrees and metres.
struct ForwardCase {
  double lat_deg, lon_deg, h_m, x, y, z;
};
constexpr ForwardCase kForward[] = {
    {33.3, 44.4, 6000.0, 3816209.604493, 3737108.550254, 3485109.572568},
    {0.0, 0.0, 0.0, 6378137.000000, 0.0, 0.0},
    {90.0, 0.0, 0.0, 0.0, 0.0, 6356752.314245},
    {-90.0, 0.0, 0.0, 0.0, 0.0, -6356752.314245},
    {45.0, -120.0, 1000000.0, -2612348.830018, -4524720.900684, 5194455.190052},
    {-33.8688, 151.2093, 58.0, -4646093.477288, 2553229.535817, -3534404.710910},
    {89.9999, -179.5, -100.0, -11.168798, -0.097469, 6356652.314235},
    {-45.5, -65.25, 35786000.0, 12375944.450089, -26845498.776872, -30050849.779257},
    {12.34567, -76.54321, -420.5, 1450072.163511, -6060115.408834, 1354692.077356},
};

TEST(Wgs84Test, EcefFromGeodeticMatchesCartConvert) {
  for (const ForwardCase& c : kForward) {
    const Vec3 r = EcefFromGeodetic(Deg(c.lat_deg, c.lon_deg, c.h_m));
    // Tolerance 1 cm (brief); CartConvert prints to 1 micrometre, so agreement is ~1e-6 m.
    EXPECT_NEAR(r.x(), c.x, 0.01) << c.lat_deg << " " << c.lon_deg;
    EXPECT_NEAR(r.y(), c.y, 0.01) << c.lat_deg << " " << c.lon_deg;
    EXPECT_NEAR(r.z(), c.z, 0.01) << c.lat_deg << " " << c.lon_deg;
  }
}

TEST(Wgs84Test, ReadmeExample) {
  // Source: shared/reference/README.md (GeographicLib's documented example), to the 1 cm printed.
  const Vec3 r = EcefFromGeodetic(Deg(33.3, 44.4, 6000.0));
  EXPECT_NEAR(r.x(), 3816209.60, 0.01);
  EXPECT_NEAR(r.y(), 3737108.55, 0.01);
  EXPECT_NEAR(r.z(), 3485109.57, 0.01);
}

// Expected values from `CartConvert -r -p 9` (GeographicLib 2.1.2): "x y z" -> "lat lon h".
struct ReverseCase {
  double x, y, z, lat_deg, lon_deg, h_m;
};
constexpr ReverseCase kReverse[] = {
    {3816209.60, 3737108.55, 3485109.57, 33.29999999742152, 44.40000003177306, 5999.995758294},
    {1000000.0, 2000000.0, 3000000.0, 53.61370300447238, 63.43494882292201, -2622684.572697978},
    {-2000000.0, -4000000.0, -6500000.0, -55.61605619566249, -116.56505117707799,
     1526261.447250014},
    {42164000.0, 0.0, 0.0, 0.0, 0.0, 35785863.0},
};

TEST(Wgs84Test, GeodeticFromEcefMatchesCartConvert) {
  for (const ReverseCase& c : kReverse) {
    const Geodetic g = GeodeticFromEcef(Vec3(c.x, c.y, c.z));
    // 1e-9 deg is 0.1 mm on the ground; heights to 1 cm (brief).
    EXPECT_NEAR(g.lat_rad * kRadToDeg, c.lat_deg, 1e-9) << c.x;
    EXPECT_NEAR(g.lon_rad * kRadToDeg, c.lon_deg, 1e-9) << c.x;
    EXPECT_NEAR(g.h_m, c.h_m, 0.01) << c.x;
  }
}

TEST(Wgs84Test, RoundTripOverAGrid) {
  for (double lat = -90.0; lat <= 90.0; lat += 7.5) {
    for (double lon = -180.0; lon < 180.0; lon += 15.0) {
      for (double h : {-400.0, 0.0, 8848.0, 120e3, 2.0e6, 3.6e7}) {
        const Geodetic g = Deg(lat, lon, h);
        const Geodetic back = GeodeticFromEcef(EcefFromGeodetic(g));
        // Round trip to 1e-9 deg and 1 mm (brief); GeographicLib is exact to round-off.
        ASSERT_NEAR(back.lat_rad * kRadToDeg, lat, 1e-9) << lat << " " << lon << " " << h;
        if (std::abs(lat) < 90.0) {  // longitude is undefined at the poles
          const double dlon = std::remainder(back.lon_rad * kRadToDeg - lon, 360.0);
          ASSERT_NEAR(dlon, 0.0, 1e-9) << lat << " " << lon << " " << h;
        }
        ASSERT_NEAR(back.h_m, h, 1e-3) << lat << " " << lon << " " << h;
      }
    }
  }
}

// Expected values from `CartConvert -l lat0 lon0 h0 -p 6` (GeographicLib 2.1.2): "lat lon h" ->
// local "east north up" (m) at the origin.
struct EnuCase {
  double lat0, lon0, h0, lat, lon, h, e, n, u;
};
constexpr EnuCase kEnu[] = {
    {33.3, 44.4, 6000.0, 33.4, 44.5, 7000.0, 9313.119473, 11107.743846, 983.517730},
    {33.3, 44.4, 6000.0, 34.0, 45.0, 100000.0, 56298.008805, 79022.868589, 93271.872494},
    {33.3, 44.4, 6000.0, 30.0, 40.0, -50.0, -424119.154571, -356756.426243, -30201.276470},
    {-89.5, 170.0, 200.0, -89.0, 10.0, 0.0, -38199.612241, -160786.336766, -2334.199723},
    {-89.5, 170.0, 200.0, -80.0, 0.0, 500000.0, -208028.599707, -1239038.838392, 384440.329630},
};

TEST(Wgs84Test, EnuMatchesCartConvertLocal) {
  for (const EnuCase& c : kEnu) {
    const Geodetic origin = Deg(c.lat0, c.lon0, c.h0);
    const Vec3 r_Ecef = EcefFromGeodetic(Deg(c.lat, c.lon, c.h));
    const Vec3 p_Enu = EnuFromEcef(r_Ecef, origin);
    // 1 cm (brief); CartConvert prints to 1 micrometre.
    EXPECT_NEAR(p_Enu.x(), c.e, 0.01) << c.lat << " " << c.lon;
    EXPECT_NEAR(p_Enu.y(), c.n, 0.01) << c.lat << " " << c.lon;
    EXPECT_NEAR(p_Enu.z(), c.u, 0.01) << c.lat << " " << c.lon;
    // And back: ENU -> ECEF is the inverse (1 mm over 1000 km baselines is 1e-9 relative).
    EXPECT_LT((EcefFromEnu(p_Enu, origin) - r_Ecef).norm(), 1e-3);
  }
}

TEST(Wgs84Test, EnuRotationIsProperOrthonormal) {
  const Mat3 r = R_EnuFromEcef(0.6, -2.1);
  EXPECT_LT((r * r.transpose() - Mat3::Identity()).norm(), 1e-15);
  EXPECT_NEAR(r.determinant(), 1.0, 1e-15);
  // "Up" is the ellipsoid normal: at (lat, lon) = (0, 0) it is +x, east is +y, north is +z.
  const Mat3 r0 = R_EnuFromEcef(0.0, 0.0);
  EXPECT_LT((r0 * Vec3(1, 0, 0) - Vec3(0, 0, 1)).norm(), 1e-15);
  EXPECT_LT((r0 * Vec3(0, 1, 0) - Vec3(1, 0, 0)).norm(), 1e-15);
  EXPECT_LT((r0 * Vec3(0, 0, 1) - Vec3(0, 1, 0)).norm(), 1e-15);
}

TEST(Wgs84Test, GeodesicDistanceSanity) {
  // Expected values from `GeodSolve -i -p 6` (GeographicLib 2.1.2); tolerance 1 mm.
  double azi = 0.0;
  // Karney's JFK -> LHR example: 5551759.400319 m, initial azimuth 51.19888284558 deg.
  EXPECT_NEAR(GeodesicDistance_m(40.6 * kDegToRad, -73.8 * kDegToRad, 51.6 * kDegToRad,
                                 -0.5 * kDegToRad, &azi),
              5551759.400319, 1e-3);
  EXPECT_NEAR(azi * kRadToDeg, 51.19888284558, 1e-9);
  // One degree along the equator is a * pi / 180 = 111319.490793 m, heading east.
  EXPECT_NEAR(GeodesicDistance_m(0.0, 0.0, 0.0, kDegToRad, &azi), 111319.490793, 1e-3);
  EXPECT_NEAR(azi * kRadToDeg, 90.0, 1e-9);
  // Quarter meridian 10001965.729313 m; pole to pole twice that.
  EXPECT_NEAR(GeodesicDistance_m(0.0, 0.0, 0.5 * core::kPi, 0.0), 10001965.729313, 1e-3);
  EXPECT_NEAR(GeodesicDistance_m(-0.5 * core::kPi, 0.0, 0.5 * core::kPi, 0.0), 20003931.458625,
              1e-3);
  EXPECT_EQ(GeodesicDistance_m(0.3, 0.4, 0.3, 0.4), 0.0);
}

TEST(Wgs84Test, GeodesicDirectInvertsInverse) {
  const double lat1 = 21.3 * kDegToRad, lon1 = -157.9 * kDegToRad;
  const double az = 305.0 * kDegToRad, s = 3.2e6;
  double lat2 = 0.0, lon2 = 0.0;
  GeodesicDirect(lat1, lon1, az, s, &lat2, &lon2);
  double az_back = 0.0;
  EXPECT_NEAR(GeodesicDistance_m(lat1, lon1, lat2, lon2, &az_back), s, 1e-6);
  EXPECT_NEAR(std::remainder(az_back - az, core::kTwoPi), 0.0, 1e-12);
}

}  // namespace
}  // namespace hyperdef::earth

namespace hyperdef::earth {
namespace {

// The fast conversion against GeographicLib's (exact to round-off) over latitudes from pole to
// pole (the poles themselves included), every longitude quadrant and heights from -10 km to
// 40,000 km. Two Bowring iterations leave an error of order e^8 (~1e-9 relative in the
// latitude's tangent), far below the bounds, which are what flight needs: 1e-6 m in height (the
// density changes by 1e-10 relative) and 1e-12 rad (6 um) in latitude.
TEST(Wgs84Test, FastGeodeticMatchesGeographicLib) {
  for (double lat_deg = -90.0; lat_deg <= 90.0; lat_deg += 2.5) {
    for (double lon_deg : {-179.9, -100.0, -3.0, 0.0, 45.0, 135.0, 180.0}) {
      for (double h : {-10e3, 0.0, 1.0, 20e3, 100e3, 1000e3, 6000e3, 40000e3}) {
        const Vec3 r = EcefFromGeodetic({lat_deg * kDegToRad, lon_deg * kDegToRad, h});
        const Geodetic ref = GeodeticFromEcef(r);
        const Geodetic fast = GeodeticFromEcefFast(r);
        ASSERT_NEAR(fast.h_m, ref.h_m, 1e-6) << lat_deg << " " << lon_deg << " " << h;
        // The height-only form is the same arithmetic: the same bits.
        ASSERT_EQ(HeightFromEcefFast(r), fast.h_m) << lat_deg << " " << lon_deg << " " << h;
        ASSERT_NEAR(fast.lat_rad, ref.lat_rad, 1e-12) << lat_deg << " " << lon_deg << " " << h;
        if (std::abs(lat_deg) < 90.0) {  // longitude is undefined on the axis
          ASSERT_NEAR(std::remainder(fast.lon_rad - ref.lon_rad, 2.0 * M_PI), 0.0, 1e-14);
        }
      }
    }
  }
}

}  // namespace
}  // namespace hyperdef::earth
