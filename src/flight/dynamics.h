// Point-mass 3-DOF flight over the rotating Earth.
//
// The state is integrated in ECEF (WGS-84): position r_Ecef (m), velocity relative to the rotating
// Earth v_Ecef (m/s), mass (kg). In this frame the air is at rest (no winds), so v_Ecef is also the
// airspeed vector, and the equations of motion carry the Coriolis and centrifugal terms:
//   dr/dt = v,   dv/dt = g(r) + (T + L + D)/m - 2 w x v - w x (w x r),   dm/dt = -mdot
// (e.g. Zipfel, "Modeling and Simulation of Aerospace Vehicle Dynamics", 2nd ed., ch. 5).
// Aerodynamic forces: drag along -v; lift perpendicular to v, rotated about v by the bank angle
// from the local vertical plane (bank > 0 turns right, i.e. heading increases).
#pragma once

#include <Eigen/Core>

#include "core/frames.h"
#include "earth/gravity.h"

namespace hyperdef::flight {

using core::Vec3;
using State = Eigen::Matrix<double, 7, 1>;  // [r_Ecef (m), v_Ecef (m/s), mass (kg)]

inline Vec3 PositionOf(const State& x) { return x.head<3>(); }
inline Vec3 VelocityOf(const State& x) { return x.segment<3>(3); }
inline double MassOf(const State& x) { return x[6]; }
State MakeState(const Vec3& r_Ecef, const Vec3& v_Ecef, double mass_kg);

struct Environment {
  earth::GravityModel gravity = earth::GravityModel::kJ2J4;
  bool earth_rotation = true;  // false: ECEF is treated as inertial (textbook validation cases)
};

// Air data at a state: geodetic altitude (earth::HeightFromEcefFast), US-76 properties, Mach,
// dynamic pressure. (Where the vehicle is over the Earth, latitude and longitude, is not air data
// and costs two arctangents: earth::GeodeticFromEcefFast gives it where it is needed.)
struct AirData {
  double altitude_m = 0.0;
  double density_kgpm3 = 0.0;
  double speed_of_sound_mps = 0.0;
  double temperature_K = 0.0;
  double speed_mps = 0.0;
  double mach = 0.0;
  double dynamic_pressure_Pa = 0.0;
};
AirData ComputeAirData(const Vec3& r_Ecef, const Vec3& v_Ecef);
// The same from an altitude already known (ComputeAirData(r, v) is AirDataAt(height of r, v)).
AirData AirDataAt(double altitude_m, const Vec3& v_Ecef);

// Forces other than gravity, as the vehicle model and its guidance decide them.
struct Forces {
  Vec3 thrust_Ecef_N = Vec3::Zero();
  double mass_flow_kgps = 0.0;  // propellant consumed, >= 0
  double lift_N = 0.0;          // magnitude along the banked lift direction (may be negative)
  double drag_N = 0.0;          // >= 0, along -v
  double bank_rad = 0.0;
};

// Time derivative of the state (see header comment).
State Derivative(const Environment& env, const State& x, const Forces& f);

// Acceleration from all forces except gravity and the frame terms: what an accelerometer reads
// (m/s^2, ECEF components). |a|/g0 is the load factor.
Vec3 SpecificForce(const State& x, const Forces& f);

// Unit lift direction at bank angle `bank_rad`: bank 0 = in the vertical plane, pointing up.
Vec3 LiftDirection(const Vec3& r_Ecef, const Vec3& v_Ecef, double bank_rad);
// The same with the bank given by its cosine and sine (for loops that hold a bank fixed).
Vec3 LiftDirection(const Vec3& r_Ecef, const Vec3& v_Ecef, double cos_bank, double sin_bank);
// The same from the unit vectors up = r / |r| and u_v = v / |v| (|v| > 0) that a caller already
// has (the same bits as from r and v).
Vec3 LiftDirectionFromUnits(const Vec3& up, const Vec3& u_v, double cos_bank, double sin_bank);

// Flight-path angle (rad, + up) and heading (rad clockwise from north) of v_Ecef, with respect to
// the local geocentric horizontal (spherical approximation: for guidance and recording).
double FlightPathAngle(const Vec3& r_Ecef, const Vec3& v_Ecef);
double Heading(const Vec3& r_Ecef, const Vec3& v_Ecef);
// The local geocentric horizontal's unit east and north at r_Ecef (the axes Heading and BearingTo
// measure from; at a pole, east is +y).
void EastNorth(const Vec3& r_Ecef, Vec3* east, Vec3* north);

// Great-circle bearing (rad from north) and central angle (rad) from point a to point b (ECEF),
// on a sphere: cheap enough for guidance laws evaluated every derivative call.
double BearingTo(const Vec3& a_Ecef, const Vec3& b_Ecef);
double CentralAngle(const Vec3& a_Ecef, const Vec3& b_Ecef);

// Velocity in ECEF from speed, flight-path angle and heading at r (inverse of the two above).
Vec3 VelocityFromAngles(const Vec3& r_Ecef, double speed_mps, double flight_path_rad,
                        double heading_rad);

// Stagnation-point convective heat flux, Sutton & Graves (1971, NASA TR R-376):
// q = k sqrt(rho / r_n) v^3 with k = 1.7415e-4 kg^0.5/m (Earth air). W/m^2.
double StagnationHeatFlux_Wpm2(double density_kgpm3, double speed_mps, double nose_radius_m);
// Radiative-equilibrium surface temperature for a heat flux: eps sigma T^4 = q.
double RadiativeEquilibriumTemperature_K(double heat_flux_Wpm2, double emissivity);

}  // namespace hyperdef::flight
