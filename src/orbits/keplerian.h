// Classical (Keplerian) orbital elements and the two-body problem.
// Conversions: Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., algorithms 9
// (RV2COE) and 10 (COE2RV); Kepler's equation by Newton's method (algorithm 2). Elliptic orbits
// only (0 <= e < 1): everything hyperdef puts in orbit is bound.
// Frame-agnostic: states are in whatever inertial frame the elements are referred to (hyperdef
// uses its ECI, core/frames.h). SI units: m, m/s, rad, s.
#pragma once

#include "core/constants.h"
#include "core/frames.h"

namespace hyperdef::orbits {

struct KeplerianElements {
  double a_m = 0.0;               // semi-major axis
  double e = 0.0;                 // eccentricity, [0, 1)
  double i_rad = 0.0;             // inclination, [0, pi]
  double raan_rad = 0.0;          // right ascension of the ascending node
  double argp_rad = 0.0;          // argument of perigee
  double true_anomaly_rad = 0.0;  // true anomaly

  // Throws std::invalid_argument unless a > 0, 0 <= e < 1, 0 <= i <= pi.
  void Validate() const;
};

struct CartesianState {
  core::Vec3 r_m = core::Vec3::Zero();
  core::Vec3 v_mps = core::Vec3::Zero();
};

// Anomaly conversions (rad). Eccentric <-> true use the half-angle forms (no quadrant ambiguity).
double EccentricFromTrueAnomaly(double nu_rad, double e);
double TrueFromEccentricAnomaly(double E_rad, double e);
double MeanFromEccentricAnomaly(double E_rad, double e);
double MeanFromTrueAnomaly(double nu_rad, double e);
double TrueFromMeanAnomaly(double M_rad, double e);

// Solves Kepler's equation M = E - e sin E for E (rad), Newton's method from E0 = M + e sin M
// (or pi for e > 0.8), to |dE| < 1e-14. M is reduced to (-pi, pi]; the result is in the same
// revolution as that reduced M.
double SolveKepler(double M_rad, double e);

// Elements -> state. mu in m^3/s^2 (default WGS-84 GM).
CartesianState StateFromElements(const KeplerianElements& el,
                                 double mu_m3ps2 = core::kEarthMu_m3ps2);

// State -> elements. Special cases follow Vallado: circular orbits (e < 1e-11) get argp = 0 and
// true anomaly = argument of latitude; equatorial orbits (i < 1e-11 or > pi - 1e-11) get raan = 0
// and argp = longitude of perigee; circular equatorial ones put the true longitude in the anomaly.
// Angles are returned in [0, 2pi). Throws std::invalid_argument for a non-elliptic state.
KeplerianElements ElementsFromState(const CartesianState& state,
                                    double mu_m3ps2 = core::kEarthMu_m3ps2);

// Mean motion sqrt(mu/a^3) (rad/s) and period (s).
double MeanMotion_radps(double a_m, double mu_m3ps2 = core::kEarthMu_m3ps2);
double Period_s(double a_m, double mu_m3ps2 = core::kEarthMu_m3ps2);

// Two-body propagation: the elements dt_s later (only the anomaly changes).
KeplerianElements PropagateTwoBody(const KeplerianElements& el, double dt_s,
                                   double mu_m3ps2 = core::kEarthMu_m3ps2);

}  // namespace hyperdef::orbits
