#include "flight/dynamics.h"

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "core/frames.h"
#include "earth/atmosphere.h"
#include "earth/wgs84.h"

namespace hyperdef::flight {

using core::kEarthOmega_radps;

State MakeState(const Vec3& r_Ecef, const Vec3& v_Ecef, double mass_kg) {
  State x;
  x << r_Ecef, v_Ecef, mass_kg;
  return x;
}

AirData ComputeAirData(const Vec3& r_Ecef, const Vec3& v_Ecef) {
  return AirDataAt(earth::HeightFromEcefFast(r_Ecef), v_Ecef);
}

AirData AirDataAt(double altitude_m, const Vec3& v_Ecef) {
  AirData a;
  a.altitude_m = altitude_m;
  const earth::AtmosphereSample atm = earth::Us76(a.altitude_m);
  a.density_kgpm3 = atm.density_kgpm3;
  a.speed_of_sound_mps = atm.speed_of_sound_mps;
  a.temperature_K = atm.temperature_K;
  a.speed_mps = v_Ecef.norm();
  a.mach = atm.speed_of_sound_mps > 0.0 ? a.speed_mps / atm.speed_of_sound_mps : 0.0;
  a.dynamic_pressure_Pa = 0.5 * atm.density_kgpm3 * a.speed_mps * a.speed_mps;
  return a;
}

Vec3 LiftDirection(const Vec3& r_Ecef, const Vec3& v_Ecef, double bank_rad) {
  return LiftDirection(r_Ecef, v_Ecef, std::cos(bank_rad), std::sin(bank_rad));
}

Vec3 LiftDirection(const Vec3& r_Ecef, const Vec3& v_Ecef, double cos_bank, double sin_bank) {
  const double speed = v_Ecef.norm();
  if (speed <= 0.0) return r_Ecef.normalized();
  return LiftDirectionFromUnits(r_Ecef.normalized(), v_Ecef / speed, cos_bank, sin_bank);
}

Vec3 LiftDirectionFromUnits(const Vec3& up, const Vec3& u_v, double cos_bank, double sin_bank) {
  Vec3 l0 = up - up.dot(u_v) * u_v;  // vertical-plane normal to v, pointing up
  const double n = l0.norm();
  if (n < 1e-12) return up;  // vertical flight: lift direction undefined, lift is ~0 anyway
  l0 /= n;
  const Vec3 right = u_v.cross(l0);
  return cos_bank * l0 + sin_bank * right;
}

Vec3 SpecificForce(const State& x, const Forces& f) {
  const Vec3 r = PositionOf(x), v = VelocityOf(x);
  const double m = MassOf(x);
  Vec3 force = f.thrust_Ecef_N;
  const double speed = v.norm();
  if (speed > 0.0) {
    force -= f.drag_N * (v / speed);
    if (f.lift_N != 0.0) force += f.lift_N * LiftDirection(r, v, f.bank_rad);
  }
  return force / m;
}

State Derivative(const Environment& env, const State& x, const Forces& f) {
  const Vec3 r = PositionOf(x), v = VelocityOf(x);
  Vec3 a = earth::GravityAcceleration(r, env.gravity) + SpecificForce(x, f);
  if (env.earth_rotation) a -= core::CoriolisCentripetal_Ecef(r, v);
  State dx;
  dx << v, a, -f.mass_flow_kgps;
  return dx;
}

double FlightPathAngle(const Vec3& r_Ecef, const Vec3& v_Ecef) {
  const double speed = v_Ecef.norm();
  if (speed <= 0.0) return 0.0;
  return std::asin(std::clamp(r_Ecef.normalized().dot(v_Ecef) / speed, -1.0, 1.0));
}

// Local geocentric east and north unit vectors at r (spherical).
void EastNorth(const Vec3& r_Ecef, Vec3* east, Vec3* north) {
  const Vec3 up = r_Ecef.normalized();
  Vec3 e = Vec3::UnitZ().cross(up);
  if (e.norm() < 1e-12) e = Vec3::UnitY();  // at a pole: any east will do
  *east = e.normalized();
  *north = up.cross(*east);
}

double Heading(const Vec3& r_Ecef, const Vec3& v_Ecef) {
  Vec3 east, north;
  EastNorth(r_Ecef, &east, &north);
  double psi = std::atan2(v_Ecef.dot(east), v_Ecef.dot(north));
  return psi < 0.0 ? psi + core::kTwoPi : psi;
}

double BearingTo(const Vec3& a_Ecef, const Vec3& b_Ecef) {
  Vec3 east, north;
  EastNorth(a_Ecef, &east, &north);
  const Vec3 d = b_Ecef.normalized() - a_Ecef.normalized();
  double psi = std::atan2(d.dot(east), d.dot(north));
  return psi < 0.0 ? psi + core::kTwoPi : psi;
}

double CentralAngle(const Vec3& a_Ecef, const Vec3& b_Ecef) {
  const Vec3 ua = a_Ecef.normalized(), ub = b_Ecef.normalized();
  return std::atan2(ua.cross(ub).norm(), ua.dot(ub));
}

Vec3 VelocityFromAngles(const Vec3& r_Ecef, double speed_mps, double flight_path_rad,
                        double heading_rad) {
  Vec3 east, north;
  EastNorth(r_Ecef, &east, &north);
  const Vec3 up = r_Ecef.normalized();
  const double ch = std::cos(flight_path_rad);
  return speed_mps * (std::sin(flight_path_rad) * up + ch * std::cos(heading_rad) * north +
                      ch * std::sin(heading_rad) * east);
}

double StagnationHeatFlux_Wpm2(double density_kgpm3, double speed_mps, double nose_radius_m) {
  constexpr double kSuttonGraves = 1.7415e-4;
  if (density_kgpm3 <= 0.0 || nose_radius_m <= 0.0) return 0.0;
  return kSuttonGraves * std::sqrt(density_kgpm3 / nose_radius_m) * speed_mps * speed_mps *
         speed_mps;
}

double RadiativeEquilibriumTemperature_K(double heat_flux_Wpm2, double emissivity) {
  if (heat_flux_Wpm2 <= 0.0) return 0.0;
  return std::pow(heat_flux_Wpm2 / (emissivity * core::kStefanBoltzmann), 0.25);
}

}  // namespace hyperdef::flight
