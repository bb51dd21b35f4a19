// Line-of-sight geometry for sensors, in ECEF (m): Earth occlusion against the WGS-84 ellipsoid,
// the background behind a target (Earth or cold space) and the Sun direction for sun exclusion.
//
// Occlusion is an exact segment-ellipsoid test: scaling z by A/B (A, B the ellipsoid semi-axes)
// turns the ellipsoid into a sphere of radius A and keeps straight lines straight, so the closest
// approach of the scaled segment to the origin decides it (a quadratic, no iteration).
//
// Grazing altitude h > 0 (an atmosphere cut) uses the inflated ellipsoid (a + h, b + h) in place of
// the true surface of constant geodetic height h. The two differ only at second order in the
// flattening f: the inflated ellipsoid's a' - b' = a - b, so its radius at geodetic latitude phi
// matches the constant-height surface to first order in f. Measured against GeographicLib's exact
// geodetic height (line_of_sight_test.cc, InflatedEllipsoidBound): worst 0.03 m at h = 20 km,
// 0.14 m at 100 km, 1.2 m at 1,000 km -- far below the kilometres by which the atmospheric cut
// itself is uncertain.
#pragma once

#include <climits>

#include "core/epoch.h"
#include "core/frames.h"

namespace hyperdef::sensors {

using core::Vec3;

// Tolerance on the scaled radius below which a point counts as under the surface: 1 um at the
// Earth's radius. It keeps a point exactly on the surface (a ground observer) from being declared
// occluded by round-off.
inline constexpr double kOcclusionTolerance_m = 1e-6;

// True if the straight segment a -> b (ECEF, m) nowhere passes below `grazing_altitude_m` (m,
// >= 0) above the WGS-84 ellipsoid (inflated-ellipsoid approximation above; exact for 0). An
// endpoint that is itself below that altitude makes the segment fail.
bool SegmentClearsEllipsoid(const Vec3& a_Ecef, const Vec3& b_Ecef,
                            double grazing_altitude_m = 0.0);

// Whether the ray from the satellite through the target, continued beyond the target, meets the
// ellipsoid inflated by `background_altitude_m` (default: the Earth's surface): true means the
// target is seen against the Earth (clutter), false against cold space. It does not test whether
// the segment satellite -> target itself is clear (SegmentClearsEllipsoid does).
bool LineOfSightEndsOnEarth(const Vec3& sat_Ecef, const Vec3& target_Ecef,
                            double background_altitude_m = 0.0);

// Unit vector from the Earth's centre to the Sun in ECEF at `epoch` + t_s. The Earth's
// heliocentric position comes from ERFA eraEpv00 (BCRS, ~ 1e-6 AU against DE405; TT used for
// TDB, < 2 ms). BCRS/GCRS axes are taken as hyperdef's ECI (core/frames.h): precession-nutation
// (~ 0.4 deg by 2027), annual aberration (20 arcsec) and the geocentric-to-satellite parallax
// (< 10 arcsec for LEO) are neglected, all far below a sun-exclusion cone of degrees. ECI -> ECEF
// is the Earth-rotation-angle rotation of core/frames.h.
Vec3 SunDirectionEcef(const core::Epoch& epoch, double t_s);

// SunDirectionEcef for many nearby times (a sensor's frames): the ERFA ephemeris is evaluated at
// knots every `step_s` and the ECI direction interpolated linearly between the two knots around t,
// then renormalised and rotated to ECEF at t. The Sun moves ~1 deg/day in ECI, so the chord error
// of the interpolation is at most theta^2 / 8 with theta = 2 pi step_s / 1 year: 5.6e-8 rad for
// the default hour, far below the degrees of a sun-exclusion cone. Keeps the last two knots (not
// thread-safe: one table per user).
class SunDirectionTable {
 public:
  explicit SunDirectionTable(const core::Epoch& epoch, double step_s = 3600.0);
  Vec3 Ecef(double t_s);

 private:
  const Vec3& KnotEci(long k);
  core::Epoch epoch_;
  double step_s_;
  long knot_[2] = {LONG_MIN, LONG_MIN};
  Vec3 knot_eci_[2];
};

// True if the line of sight sat -> target is within `exclusion_half_angle_rad` of the Sun
// direction `sun_dir_Ecef` (unit vector; the Sun is treated as at infinity).
bool SunExcluded(const Vec3& sat_Ecef, const Vec3& target_Ecef, const Vec3& sun_dir_Ecef,
                 double exclusion_half_angle_rad);

}  // namespace hyperdef::sensors
