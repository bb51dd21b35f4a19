#include "sensors/line_of_sight.h"

#include <erfa.h>

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::sensors {

namespace {

// Scale ECEF to a frame where the ellipsoid (A, A, B) becomes the unit sphere.
struct UnitSphereScale {
  double inv_a, inv_b;
  explicit UnitSphereScale(double altitude_m)
      : inv_a(1.0 / (core::kWgs84A_m + altitude_m)), inv_b(1.0 / (core::kWgs84B_m + altitude_m)) {}
  Vec3 operator()(const Vec3& r_Ecef) const {
    return Vec3(r_Ecef.x() * inv_a, r_Ecef.y() * inv_a, r_Ecef.z() * inv_b);
  }
};

// Squared scaled radius below which a point is inside, with the kOcclusionTolerance_m margin
// (a 1 um dip lets a grazing line run only sqrt(2 R 1e-6) ~ 4 m further).
double InsideThreshold(double altitude_m) {
  const double eps = kOcclusionTolerance_m / (core::kWgs84A_m + altitude_m);
  return (1.0 - eps) * (1.0 - eps);
}

}  // namespace

bool SegmentClearsEllipsoid(const Vec3& a_Ecef, const Vec3& b_Ecef, double grazing_altitude_m) {
  HYPERDEF_ASSERT(grazing_altitude_m >= 0.0);
  const UnitSphereScale scale(grazing_altitude_m);
  const Vec3 p = scale(a_Ecef);
  const Vec3 d = scale(b_Ecef) - p;
  // Closest approach of p + s d, s in [0, 1], to the origin.
  const double dd = d.squaredNorm();
  const double s = dd > 0.0 ? std::clamp(-p.dot(d) / dd, 0.0, 1.0) : 0.0;
  return (p + s * d).squaredNorm() >= InsideThreshold(grazing_altitude_m);
}

bool LineOfSightEndsOnEarth(const Vec3& sat_Ecef, const Vec3& target_Ecef,
                            double background_altitude_m) {
  HYPERDEF_ASSERT(background_altitude_m >= 0.0);
  const UnitSphereScale scale(background_altitude_m);
  const Vec3 p = scale(sat_Ecef);
  const Vec3 d = scale(target_Ecef) - p;  // target at s = 1
  // |p + s d|^2 = 1: dd s^2 + 2 pd s + (pp - 1) = 0. The ray beyond the target (s > 1) meets the
  // surface iff real roots exist and the larger one exceeds 1.
  const double dd = d.squaredNorm();
  if (dd == 0.0) return false;
  const double pd = p.dot(d);
  const double disc = pd * pd - dd * (p.squaredNorm() - 1.0);
  if (disc < 0.0) return false;
  const double s_far = (-pd + std::sqrt(disc)) / dd;
  return s_far > 1.0;
}

namespace {
Vec3 SunDirectionEci(const core::Epoch& epoch, double t_s) {
  const core::JulianDate tt = epoch.Tt(t_s);
  double pvh[2][3], pvb[2][3];
  eraEpv00(tt.jd1, tt.jd2, pvh, pvb);  // status 1 only warns of a date outside 1900-2100
  return -Vec3(pvh[0][0], pvh[0][1], pvh[0][2]).normalized();
}
}  // namespace

Vec3 SunDirectionEcef(const core::Epoch& epoch, double t_s) {
  return core::R_EciFromEcef(epoch.EarthRotationAngle_rad(t_s)).transpose() *
         SunDirectionEci(epoch, t_s);
}

SunDirectionTable::SunDirectionTable(const core::Epoch& epoch, double step_s)
    : epoch_(epoch), step_s_(step_s) {}

const Vec3& SunDirectionTable::KnotEci(long k) {
  for (int i = 0; i < 2; ++i) {
    if (knot_[i] == k) return knot_eci_[i];
  }
  // Replace the knot farther from k (frames move forward, so usually the older one).
  int slot = 0;
  if (knot_[0] == LONG_MIN) {
    slot = 0;
  } else if (knot_[1] == LONG_MIN) {
    slot = 1;
  } else {
    slot = std::abs(knot_[0] - k) > std::abs(knot_[1] - k) ? 0 : 1;
  }
  knot_[slot] = k;
  knot_eci_[slot] = SunDirectionEci(epoch_, static_cast<double>(k) * step_s_);
  return knot_eci_[slot];
}

Vec3 SunDirectionTable::Ecef(double t_s) {
  const long k = static_cast<long>(std::floor(t_s / step_s_));
  const double f = t_s / step_s_ - static_cast<double>(k);
  const Vec3 a = KnotEci(k);
  const Vec3& b = KnotEci(k + 1);
  const Vec3 sun_Eci = (a + f * (b - a)).normalized();
  return core::R_EciFromEcef(epoch_.EarthRotationAngle_rad(t_s)).transpose() * sun_Eci;
}

bool SunExcluded(const Vec3& sat_Ecef, const Vec3& target_Ecef, const Vec3& sun_dir_Ecef,
                 double exclusion_half_angle_rad) {
  const Vec3 los = target_Ecef - sat_Ecef;
  const double n = los.norm();
  if (n == 0.0) return false;
  return los.dot(sun_dir_Ecef) / n > std::cos(exclusion_half_angle_rad);
}

}  // namespace hyperdef::sensors
