// Angles-only initiation: a 3-D position from two or more simultaneous lines of sight (satellites
// of a space IR layer seeing the same target), its covariance, and the line-to-line miss distance
// used to pair lines across satellites before triangulating.
//
// Model. Line i has origin s_i (the reported satellite position, per-axis error origin_sigma_i)
// and unit direction u_i (per-axis angle error angle_sigma_i perpendicular to u_i). At range rho_i
// along the line both errors move the line sideways, isotropically in the plane perpendicular to
// u_i, with per-axis variance
//   sigma_i^2 = (rho_i angle_sigma_i)^2 + origin_sigma_i^2.
// The point x observed by line i is therefore measured in that plane, P_i (x - s_i) = 0 + noise,
// P_i = I - u_i u_i^T, and the weighted least-squares point (the maximum-likelihood one to first
// order) minimises
//   J(x) = sum_i |P_i (x - s_i)|^2 / sigma_i^2,
// with the normal equations A x = b, A = sum_i P_i / sigma_i^2, b = sum_i P_i s_i / sigma_i^2.
// A is the Fisher information of the geometry, so cov(x) = A^-1 (Bar-Shalom, Li & Kirubarajan
// 2001, sec. 3.4, linear LS; Hartley & Zisserman 2004, ch. 12, for the midpoint form). Ranges
// rho_i are unknown at first: the first solve weights lines by origin_sigma and angle_sigma at a
// common nominal range (kNominalRange_m); the ranges of that point set the weights of a second,
// final solve.
//
// Degeneracy. With all lines nearly parallel the solution runs away along them; the fix is
// flagged (ok = false) when the LARGEST pairwise angle between lines is below
// kMinTriangulationAngle_rad (2 deg: at 40 m lateral sigma the along-line error is then
// ~ 40 m / sin(2 deg) ~ 1.1 km, and it grows as 1 / angle below). Lines are undirected for this
// angle (angle in [0, pi/2]). A point behind a sensor (rho_i <= 0) or a singular normal matrix is
// also flagged. min_angle_rad reports the smallest pairwise angle (a pair-quality diagnostic:
// two nearly parallel lines add little to a third).
#pragma once

#include <vector>

#include "tracking/types.h"

namespace hyperdef::tracking {

struct LineOfSight {
  Vec3 origin_Eci = Vec3::Zero();  // sensor position (m)
  Vec3 u_Eci = Vec3::UnitX();      // direction (normalised internally)
  double angle_sigma_rad = 0.0;    // per-axis angle error perpendicular to u
  double origin_sigma_m = 0.0;     // per-axis origin error
};

struct Fix {
  Vec3 r_Eci = Vec3::Zero();
  Mat3 covariance = Mat3::Zero();  // A^-1 (m^2)
  double max_miss_m = 0.0;         // largest perpendicular distance from r_Eci to a line
  double min_angle_rad = 0.0;      // smallest pairwise angle between lines
  double max_angle_rad = 0.0;      // largest pairwise angle between lines (the degeneracy test)
  bool ok = false;
};

inline constexpr double kMinTriangulationAngle_rad = 2.0 * core::kDegToRad;
// Range used for the first-pass weights, before the point is known (a typical LEO-to-target
// distance; it only orders lines of different angle vs origin sigma in the first pass).
inline constexpr double kNominalRange_m = 2.0e6;

// Weighted least-squares intersection of >= 2 lines (fewer: ok = false, r_Eci zero). A line with
// both sigmas zero is given a 1e-6 m floor so the weights stay finite.
Fix Triangulate(const std::vector<LineOfSight>& lines);

// Closest approach (m) of the two infinite lines a and b; for parallel lines the distance between
// them. If range_a / range_b are given they receive the signed distances along u_a and u_b from
// each origin to the closest points (negative: behind the sensor, a false pair); for parallel
// lines range_a is 0 and range_b the projection of a's origin on b. Pairing gate: under the true
// pairing miss^2 / (sigma_a^2 + sigma_b^2) ~ chi-square(1) with sigma_i the lateral sigma above.
double LineMissDistance(const LineOfSight& a, const LineOfSight& b, double* range_a = nullptr,
                        double* range_b = nullptr);

// The fix as a MeasKind::kPosition measurement at t_s: z = r_Eci, R = covariance. Indices and
// truth_id are left for the caller.
Measurement PositionMeasurement(const Fix& fix, double t_s);

}  // namespace hyperdef::tracking
