#include "threats/guidance_laws.h"

#include <cmath>

#include "core/constants.h"
#include "core/frames.h"

namespace hyperdef::threats {

using flight::Vec3;

double HeadingError(const Vec3& r_Ecef, const Vec3& v_Ecef, const Vec3& target_Ecef) {
  // BearingTo(r, target) - Heading(r, v) wrapped to [-pi, pi]: the angle from the velocity's
  // (north, east) components to the target direction's, as one arctangent of their cross and dot
  // products (one horizontal frame and one arctangent instead of two of each and a remainder).
  Vec3 east, north;
  flight::EastNorth(r_Ecef, &east, &north);
  const Vec3 d = target_Ecef.normalized() - r_Ecef.normalized();
  const double de = d.dot(east), dn = d.dot(north);
  const double ve = v_Ecef.dot(east), vn = v_Ecef.dot(north);
  return std::atan2(de * vn - dn * ve, dn * vn + de * ve);
}

Vec3 BankedLift(const Vec3& r_Ecef, const Vec3& v_Ecef, double vertical_lift_N, double bank_rad) {
  const Vec3 l0 = flight::LiftDirection(r_Ecef, v_Ecef, 0.0);
  return vertical_lift_N * (l0 + std::tan(bank_rad) * v_Ecef.normalized().cross(l0));
}

Vec3 PerpendicularTo(const Vec3& a, const Vec3& v) {
  const double n2 = v.squaredNorm();
  return n2 > 0.0 ? Vec3(a - (a.dot(v) / n2) * v) : a;
}

Vec3 ProportionalNavigationLiftAccel(const flight::Environment& env, const Vec3& r_Ecef,
                                     const Vec3& v_Ecef, const Vec3& target_Ecef,
                                     double navigation_constant) {
  const Vec3 rho = target_Ecef - r_Ecef;
  const Vec3 rho_dot = -v_Ecef;
  const double rho2 = rho.squaredNorm();
  Vec3 a_cmd = Vec3::Zero();
  if (rho2 > 1.0) {
    const Vec3 omega = rho.cross(rho_dot) / rho2;
    const double closing = -rho.dot(rho_dot) / std::sqrt(rho2);
    a_cmd = navigation_constant * closing * omega.cross(rho / std::sqrt(rho2));
  }
  Vec3 a_free = earth::GravityAcceleration(r_Ecef, env.gravity);
  if (env.earth_rotation) a_free -= core::CoriolisCentripetal_Ecef(r_Ecef, v_Ecef);
  return PerpendicularTo(a_cmd - a_free, v_Ecef);
}

}  // namespace hyperdef::threats
