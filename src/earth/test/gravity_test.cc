// Gravity: accelerations are the gradient of the potentials, plus magnitude and symmetry checks.
#include "earth/gravity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/constants.h"

namespace hyperdef::earth {
namespace {

using core::kEarthMu_m3ps2;
using core::kWgs84A_m;
using core::Vec3;

constexpr GravityModel kModels[] = {GravityModel::kPointMass, GravityModel::kJ2,
                                    GravityModel::kJ2J4};

Vec3 NumericalMinusGradient(const Vec3& r, GravityModel model, double step_m) {
  Vec3 g;
  for (int i = 0; i < 3; ++i) {
    Vec3 rp = r, rm = r;
    rp[i] += step_m;
    rm[i] -= step_m;
    g[i] = -(GravityPotential(rp, model) - GravityPotential(rm, model)) / (2.0 * step_m);
  }
  return g;
}

TEST(GravityTest, AccelerationIsMinusGradientOfPotential) {
  // Central differences with h = 10 m: truncation ~ h^2 |U'''| ~ 1e-10 m/s^2, round-off
  // ~ eps |U| / h ~ 1e-9 m/s^2; 1e-7 m/s^2 (1e-8 relative) leaves room for both.
  const Vec3 points[] = {{kWgs84A_m, 0.0, 0.0},
                         {4.0e6, -3.0e6, 3.5e6},
                         {-1.2e6, 2.5e6, -5.9e6},
                         {1.0e3, 2.0e3, 6.4e6},
                         {2.0e7, 1.5e7, -1.0e7}};
  for (GravityModel model : kModels) {
    for (const Vec3& r : points) {
      const Vec3 a = GravityAcceleration(r, model);
      const Vec3 a_num = NumericalMinusGradient(r, model, 10.0);
      EXPECT_LT((a - a_num).norm(), 1e-7) << GravityModelName(model) << " at " << r.transpose();
    }
  }
}

TEST(GravityTest, PointMassIsMuOverRSquared) {
  const Vec3 r(3.0e6, -4.0e6, 5.0e6);
  const Vec3 a = GravityAcceleration(r, GravityModel::kPointMass);
  const double r2 = r.squaredNorm();
  EXPECT_NEAR(a.norm(), kEarthMu_m3ps2 / r2, 1e-14 * kEarthMu_m3ps2 / r2);
  EXPECT_NEAR(a.normalized().dot(r.normalized()), -1.0, 1e-15);
  EXPECT_NEAR(GravityPotential(r, GravityModel::kPointMass), -kEarthMu_m3ps2 / std::sqrt(r2), 1e-6);
}

TEST(GravityTest, J2TermMagnitude) {
  // Vallado 4th ed. sec. 8.6.1: a_x = -(mu x/r^3)[1 - (3/2) J2 (R/r)^2 (5 z^2/r^2 - 1)], a_z
  // likewise with (5 z^2/r^2 - 3). On the equator at r = a the bulge adds (3/2) J2 mu/a^2 = 0.0159
  // m/s^2 inward; at the pole (r = a) the J2 term weakens the pull by 3 J2 mu/a^2.
  const double g0 = kEarthMu_m3ps2 / (kWgs84A_m * kWgs84A_m);
  const Vec3 eq(kWgs84A_m, 0.0, 0.0);
  const Vec3 d_eq = GravityAcceleration(eq, GravityModel::kJ2) -
                    GravityAcceleration(eq, GravityModel::kPointMass);
  EXPECT_NEAR(d_eq.x(), -1.5 * core::kJ2 * g0, 1e-12);
  EXPECT_NEAR(d_eq.x(), -0.0159, 1e-4);  // sanity: the figure textbooks quote
  EXPECT_NEAR(d_eq.z(), 0.0, 1e-15);
  const Vec3 pole(0.0, 0.0, kWgs84A_m);
  const Vec3 d_pole = GravityAcceleration(pole, GravityModel::kJ2) -
                      GravityAcceleration(pole, GravityModel::kPointMass);
  EXPECT_NEAR(d_pole.z(), 3.0 * core::kJ2 * g0, 1e-12);
  // J3/J4 are three orders of magnitude below J2.
  const Vec3 r(4.0e6, -3.0e6, 3.5e6);
  const double dj34 =
      (GravityAcceleration(r, GravityModel::kJ2J4) - GravityAcceleration(r, GravityModel::kJ2))
          .norm();
  EXPECT_GT(dj34, 1e-6);
  EXPECT_LT(dj34, 1e-4);
}

TEST(GravityTest, EvenZonalsAreSymmetricAboutTheEquatorAndJ3IsNot) {
  const Vec3 r(4.1e6, -2.2e6, 3.3e6);
  const Vec3 mirror(r.x(), r.y(), -r.z());
  // J2 (even): a(mirror r) = mirror a(r).
  const Vec3 a2 = GravityAcceleration(r, GravityModel::kJ2);
  const Vec3 a2m = GravityAcceleration(mirror, GravityModel::kJ2);
  EXPECT_NEAR(a2m.x(), a2.x(), 1e-15 * a2.norm());
  EXPECT_NEAR(a2m.z(), -a2.z(), 1e-15 * a2.norm());
  // With J3 the axial component no longer just flips: the odd J3 term keeps its sign in z
  // while the even part flips. Half the sum isolates the J3 axial part (P3' is even in s).
  const Vec3 a4 = GravityAcceleration(r, GravityModel::kJ2J4);
  const Vec3 a4m = GravityAcceleration(mirror, GravityModel::kJ2J4);
  const double odd_z = 0.5 * (a4.z() + a4m.z());
  const double rn = r.norm(), s = r.z() / rn, rr = kWgs84A_m / rn;
  const double p3 = 0.5 * (5 * s * s * s - 3 * s), dp3 = 0.5 * (15 * s * s - 3);
  const double j3_z =
      kEarthMu_m3ps2 / (rn * rn) * core::kJ3 * rr * rr * rr * ((4 * p3 + s * dp3) * s - dp3);
  EXPECT_NEAR(odd_z, j3_z, 1e-12);
  EXPECT_GT(std::abs(odd_z), 1e-7);
  // On the equator only J3 has an axial pull: a_z = (3/2) J3 mu / a^2 (P3'(0) = -3/2).
  const Vec3 eq(kWgs84A_m, 0.0, 0.0);
  const double g0 = kEarthMu_m3ps2 / (kWgs84A_m * kWgs84A_m);
  EXPECT_NEAR(GravityAcceleration(eq, GravityModel::kJ2J4).z(), 1.5 * core::kJ3 * g0, 1e-15);
  EXPECT_EQ(GravityAcceleration(eq, GravityModel::kJ2).z(), 0.0);
}

TEST(GravityTest, RotationallySymmetricAboutZ) {
  const Vec3 r(4.1e6, -2.2e6, 3.3e6);
  const double c = std::cos(0.7), s = std::sin(0.7);
  const Vec3 rot(c * r.x() - s * r.y(), s * r.x() + c * r.y(), r.z());
  for (GravityModel model : kModels) {
    const Vec3 a = GravityAcceleration(r, model);
    const Vec3 a_rot = GravityAcceleration(rot, model);
    const Vec3 expected(c * a.x() - s * a.y(), s * a.x() + c * a.y(), a.z());
    EXPECT_LT((a_rot - expected).norm(), 1e-14 * a.norm()) << GravityModelName(model);
  }
}

TEST(GravityTest, ParsesScenarioNames) {
  GravityModel m = GravityModel::kPointMass;
  for (GravityModel model : kModels) {
    ASSERT_TRUE(ParseGravityModel(GravityModelName(model), &m));
    EXPECT_EQ(m, model);
  }
  EXPECT_TRUE(ParseGravityModel("j4", &m));
  EXPECT_EQ(m, GravityModel::kJ2J4);
  EXPECT_FALSE(ParseGravityModel("J2", &m));
  EXPECT_FALSE(ParseGravityModel("egm2008", &m));
  EXPECT_FALSE(ParseGravityModel("", &m));
}

}  // namespace
}  // namespace hyperdef::earth
