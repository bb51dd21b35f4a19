#include "earth/gravity.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::earth {

namespace {

using core::kEarthMu_m3ps2;
using core::kJ2;
using core::kJ3;
using core::kJ4;
using core::kWgs84A_m;
using core::Vec3;

// Zonal part of the geopotential (Vallado 4th ed., eq. 8-19 with only the m = 0 terms):
//   U(r) = -(mu/r) [1 - sum_n J_n (R/r)^n P_n(s)],   s = z/r = sin(geocentric latitude).
// Differentiating r^-(n+1) P_n(z/r) in Cartesian coordinates (Vallado sec. 8.6.1 gives the J2
// case; the general form follows from ds/dx = -x z / r^3, ds/dz = 1/r - z^2/r^3) gives
//   a = -grad U = -(mu/r^2) r_hat + (mu/r^2) sum_n J_n (R/r)^n [((n+1) P_n + s P_n') r_hat - P_n'
//   z_hat]
// so one radial and one axial coefficient carry every zonal term: no pow(), no trigonometry.
struct ZonalTerms {
  double radial = 0.0;     // sum_n J_n (R/r)^n ((n+1) P_n + s P_n')
  double axial = 0.0;      // sum_n J_n (R/r)^n P_n'
  double potential = 0.0;  // sum_n J_n (R/r)^n P_n
};

// Legendre polynomials P2..P4 and their derivatives in s, written out (Abramowitz & Stegun
// 22.3.8) so the compiler can fold the constants.
inline ZonalTerms Zonal(double s, double rr, GravityModel model) {
  const double s2 = s * s;
  const double rr2 = rr * rr;
  const double p2 = 1.5 * s2 - 0.5;
  const double dp2 = 3.0 * s;
  ZonalTerms t;
  const double c2 = kJ2 * rr2;
  t.radial = c2 * (3.0 * p2 + s * dp2);
  t.axial = c2 * dp2;
  t.potential = c2 * p2;
  if (model == GravityModel::kJ2J4) {
    const double rr3 = rr2 * rr;
    const double rr4 = rr2 * rr2;
    const double p3 = s * (2.5 * s2 - 1.5);
    const double dp3 = 7.5 * s2 - 1.5;
    const double p4 = (35.0 * s2 * s2 - 30.0 * s2 + 3.0) * 0.125;
    const double dp4 = s * (17.5 * s2 - 7.5);
    const double c3 = kJ3 * rr3;
    const double c4 = kJ4 * rr4;
    t.radial += c3 * (4.0 * p3 + s * dp3) + c4 * (5.0 * p4 + s * dp4);
    t.axial += c3 * dp3 + c4 * dp4;
    t.potential += c3 * p3 + c4 * p4;
  }
  return t;
}

}  // namespace

bool ParseGravityModel(const std::string& text, GravityModel* out) {
  if (text == "point") {
    *out = GravityModel::kPointMass;
  } else if (text == "j2") {
    *out = GravityModel::kJ2;
  } else if (text == "j4") {
    *out = GravityModel::kJ2J4;
  } else {
    return false;
  }
  return true;
}

const char* GravityModelName(GravityModel model) {
  switch (model) {
    case GravityModel::kPointMass:
      return "point";
    case GravityModel::kJ2:
      return "j2";
    case GravityModel::kJ2J4:
      return "j4";
  }
  return "unknown";
}

Vec3 GravityAcceleration(const Vec3& r, GravityModel model) {
  const double r2 = r.squaredNorm();
  const double inv_r = 1.0 / std::sqrt(r2);
  const double mu_r3 = kEarthMu_m3ps2 * inv_r * inv_r * inv_r;  // mu / r^3
  if (model == GravityModel::kPointMass) return -mu_r3 * r;
  const ZonalTerms t = Zonal(r.z() * inv_r, kWgs84A_m * inv_r, model);
  // (mu/r^2) [(-1 + radial) r_hat - axial z_hat], with r_hat = r / |r|.
  Vec3 a = (mu_r3 * (t.radial - 1.0)) * r;
  a.z() -= kEarthMu_m3ps2 * inv_r * inv_r * t.axial;
  return a;
}

double GravityPotential(const Vec3& r, GravityModel model) {
  const double inv_r = 1.0 / r.norm();
  const double mu_r = kEarthMu_m3ps2 * inv_r;
  if (model == GravityModel::kPointMass) return -mu_r;
  const ZonalTerms t = Zonal(r.z() * inv_r, kWgs84A_m * inv_r, model);
  return -mu_r * (1.0 - t.potential);
}

}  // namespace hyperdef::earth
