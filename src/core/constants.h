// Physical constants used across hyperdef, SI units. Every value is cited in docs/references.md.
#pragma once

namespace hyperdef::core {

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kTwoPi = 2.0 * kPi;
inline constexpr double kDegToRad = kPi / 180.0;
inline constexpr double kKnot_mps = 1852.0 / 3600.0;  // international knot (exact)
inline constexpr double kRadToDeg = 180.0 / kPi;

// WGS-84 (NIMA TR8350.2, 3rd ed.): ellipsoid, gravitational parameter, rotation rate.
inline constexpr double kWgs84A_m = 6378137.0;
inline constexpr double kWgs84InvF = 298.257223563;
inline constexpr double kWgs84F = 1.0 / kWgs84InvF;
inline constexpr double kWgs84B_m = kWgs84A_m * (1.0 - kWgs84F);
inline constexpr double kWgs84E2 = kWgs84F * (2.0 - kWgs84F);
inline constexpr double kEarthMu_m3ps2 = 3.986004418e14;
inline constexpr double kEarthOmega_radps = 7.292115e-5;

// EGM96 unnormalised zonal harmonics (Lemoine et al. 1998, NASA/TP-1998-206861).
inline constexpr double kJ2 = 1.08262668e-3;
inline constexpr double kJ3 = -2.53265649e-6;
inline constexpr double kJ4 = -1.61962159e-6;

// Mean Earth radius used by the textbook closed forms (horizon, minimum-energy, glide range).
inline constexpr double kEarthMeanRadius_m = 6371000.0;

// Standard gravity (CGPM 1901) and the Stefan–Boltzmann constant (CODATA 2018).
inline constexpr double kG0_mps2 = 9.80665;
inline constexpr double kStefanBoltzmann = 5.670374419e-8;
// Boltzmann constant (CODATA 2018, exact) and speed of light (exact).
inline constexpr double kBoltzmann_JpK = 1.380649e-23;
inline constexpr double kSpeedOfLight_mps = 299792458.0;

}  // namespace hyperdef::core
