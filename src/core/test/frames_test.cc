// Frames: the ECI <-> ECEF <-> TEME conversions are rotations about z plus omega x r.
#include "core/frames.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>  // cross()
#include <cmath>

#include "core/constants.h"

namespace hyperdef::core {
namespace {

TEST(FramesTest, RotationIsProperAndTurnsByTheAngle) {
  const double era = 1.234;
  const Mat3 r = R_EciFromEcef(era);
  EXPECT_LT((r * r.transpose() - Mat3::Identity()).norm(), 1e-15);
  EXPECT_NEAR(r.determinant(), 1.0, 1e-15);
  // The ECEF x axis (Greenwich) sits at angle ERA from the ECI x axis, counter-clockwise about z.
  EXPECT_LT((r * Vec3::UnitX() - Vec3(std::cos(era), std::sin(era), 0.0)).norm(), 1e-15);
  EXPECT_LT((r * Vec3::UnitZ() - Vec3::UnitZ()).norm(), 1e-15);
}

TEST(FramesTest, PositionRoundTrip) {
  const Vec3 r_Ecef(1.2e6, -5.3e6, 3.9e6);
  for (double era : {0.0, 0.5, 3.0, 6.2}) {
    const Vec3 r_Eci = PositionEciFromEcef(r_Ecef, era);
    EXPECT_NEAR(r_Eci.norm(), r_Ecef.norm(), 1e-8);
    EXPECT_LT((PositionEcefFromEci(r_Eci, era) - r_Ecef).norm(), 1e-8);  // 1e-15 relative
  }
}

TEST(FramesTest, VelocityRoundTrip) {
  const Vec3 r_Ecef(1.2e6, -5.3e6, 3.9e6);
  const Vec3 v_Ecef(-3100.0, 250.0, 4800.0);
  for (double era : {0.0, 0.5, 3.0, 6.2}) {
    const Vec3 v_Eci = VelocityEciFromEcef(r_Ecef, v_Ecef, era);
    const Vec3 r_Eci = PositionEciFromEcef(r_Ecef, era);
    EXPECT_LT((VelocityEcefFromEci(r_Eci, v_Eci, era) - v_Ecef).norm(), 1e-9);
  }
}

TEST(FramesTest, PointFixedOnTheEquatorMovesAtOmegaTimesA) {
  // A point at rest on the equator moves eastward in ECI at omega * a = 465.10 m/s.
  const Vec3 r_Ecef(kWgs84A_m, 0.0, 0.0);
  const double era = 0.8;
  const Vec3 v_Eci = VelocityEciFromEcef(r_Ecef, Vec3::Zero(), era);
  EXPECT_NEAR(v_Eci.norm(), kEarthOmega_radps * kWgs84A_m, 1e-9);
  EXPECT_NEAR(v_Eci.norm(), 465.10, 0.01);
  // Direction: perpendicular to r, towards increasing ECI longitude (east).
  const Vec3 r_Eci = PositionEciFromEcef(r_Ecef, era);
  EXPECT_NEAR(v_Eci.dot(r_Eci), 0.0, 1e-6);
  EXPECT_GT(r_Eci.cross(v_Eci).z(), 0.0);
  // And a point at rest in ECI appears to drift westward in ECEF at the same speed.
  const Vec3 v_Ecef = VelocityEcefFromEci(r_Eci, Vec3::Zero(), era);
  EXPECT_NEAR(v_Ecef.norm(), kEarthOmega_radps * kWgs84A_m, 1e-9);
  EXPECT_LT(r_Ecef.cross(v_Ecef).z(), 0.0);
}

TEST(FramesTest, TemeConversionIsTheEciRotationThroughGmst) {
  // TEME differs from our ECI only in the angle used (GMST82 instead of ERA), so with the same
  // angle the two conversions must coincide, and ECEF -> ECI with that angle gives TEME back.
  const Vec3 r_Teme(-4.1e6, 3.3e6, 4.4e6);
  const Vec3 v_Teme(-5200.0, -4100.0, 1500.0);
  const double gmst = 2.71;
  const Vec3 r_Ecef = PositionEcefFromTeme(r_Teme, gmst);
  const Vec3 v_Ecef = VelocityEcefFromTeme(r_Teme, v_Teme, gmst);
  EXPECT_LT((r_Ecef - PositionEcefFromEci(r_Teme, gmst)).norm(), 1e-8);
  EXPECT_LT((v_Ecef - VelocityEcefFromEci(r_Teme, v_Teme, gmst)).norm(), 1e-9);
  EXPECT_LT((PositionEciFromEcef(r_Ecef, gmst) - r_Teme).norm(), 1e-8);
  EXPECT_LT((VelocityEciFromEcef(r_Ecef, v_Ecef, gmst) - v_Teme).norm(), 1e-9);
}

}  // namespace
}  // namespace hyperdef::core
