// Earth gravity: point mass, J2, or zonal J2-J4 (EGM96 coefficients, core/constants.h).
// The zonal field is symmetric about the z axis, so the same function serves ECEF and hyperdef's
// ECI (which shares the z axis): pass r in either, get the acceleration in the same frame.
// Formulas: Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., sec. 8.6.1
// (gradient of the zonal potential), with R = WGS-84 a and mu = WGS-84 GM.
#pragma once

#include <string>

#include "core/frames.h"

namespace hyperdef::earth {

enum class GravityModel { kPointMass, kJ2, kJ2J4 };

// Parses "point", "j2", "j4" (the scenario's spelling); returns false if unknown.
bool ParseGravityModel(const std::string& text, GravityModel* out);
const char* GravityModelName(GravityModel model);

// Gravitational acceleration (m/s^2) at position r (m), same frame in and out. |r| > 0.
core::Vec3 GravityAcceleration(const core::Vec3& r, GravityModel model);

// Gravitational potential energy per unit mass (J/kg, negative), consistent with the
// acceleration above (a = -grad U, so v^2/2 + U is conserved in an inertial frame).
// Used by energy-conservation tests and the assessment layer.
double GravityPotential(const core::Vec3& r, GravityModel model);

}  // namespace hyperdef::earth
