// US Standard Atmosphere 1976 (NOAA-S/T 76-1562), geometric altitude 0 to 1000 km.
// Below 86 km: the standard's hydrostatic layers, exact to round-off. From 86 to 1000 km: the
// standard's temperature profile and species number densities (N2, O, O2, Ar, He, H) integrated
// once at start-up on a fine grid, then interpolated (log-linear in density) in the hot loop.
// Speed of sound: sqrt(gamma R T / M) with the standard's molecular weight; the standard stops
// defining it at 86 km, above which we continue the same formula with the local mean molecular
// weight (documented in docs/references.md; aerodynamics there is negligible anyway).
#pragma once

namespace hyperdef::earth {

struct AtmosphereSample {
  double temperature_K = 0.0;  // kinetic temperature
  double pressure_Pa = 0.0;
  double density_kgpm3 = 0.0;
  double speed_of_sound_mps = 0.0;
};

// Altitudes below 0 are clamped to 0 (the standard starts at -5 km but nothing here flies there);
// above 1000 km density and pressure are 0, temperature is the exospheric 1000 K and the speed of
// sound keeps its 1000 km value (1719 m/s).
// Thread-safe; cheap (< 100 ns) so the flight derivative can call it every evaluation.
AtmosphereSample Us76(double geometric_altitude_m);

// Density alone (kg/m^3), for hot loops that need nothing else (the defender's prediction models):
// log-linear interpolation on a 100 m grid of Us76's own densities (the exponential by its cubic
// Taylor polynomial, < 1e-8 on steps of < 0.02 in ln rho), so it agrees with
// Us76(z).density_kgpm3 to < 1e-5 relative (tested) for a fifth of the cost (earth_bench: 3.8 ns
// against 18 ns). Same clamping.
double Us76Density(double geometric_altitude_m);

}  // namespace hyperdef::earth
