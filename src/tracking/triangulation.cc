#include "tracking/triangulation.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

namespace hyperdef::tracking {

namespace {

constexpr double kSigmaFloor_m = 1e-6;

double LateralVariance(const LineOfSight& l, double range_m) {
  const double a = range_m * l.angle_sigma_rad;
  return std::max(a * a + l.origin_sigma_m * l.origin_sigma_m, kSigmaFloor_m * kSigmaFloor_m);
}

// Angle between undirected lines, in [0, pi/2].
double LineAngle(const Vec3& ua, const Vec3& ub) {
  return std::atan2(ua.cross(ub).norm(), std::abs(ua.dot(ub)));
}

// One weighted solve; range_of(i) gives the range used for line i's weight. False if A is not
// positive definite.
template <typename RangeOf>
bool Solve(const std::vector<LineOfSight>& lines, RangeOf range_of, Vec3* x, Mat3* A_out) {
  Mat3 A = Mat3::Zero();
  Vec3 b = Vec3::Zero();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Vec3 u = lines[i].u_Eci.normalized();
    const Mat3 P = Mat3::Identity() - u * u.transpose();
    const double w = 1.0 / LateralVariance(lines[i], range_of(i));
    A += w * P;
    b += w * (P * lines[i].origin_Eci);
  }
  const Eigen::LLT<Mat3> llt(A);
  if (llt.info() != Eigen::Success) return false;
  *x = llt.solve(b);
  *A_out = A;
  return x->allFinite();
}

}  // namespace

Fix Triangulate(const std::vector<LineOfSight>& lines) {
  Fix fix;
  if (lines.size() < 2) return fix;

  fix.min_angle_rad = 0.5 * core::kPi;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const double ang = LineAngle(lines[i].u_Eci.normalized(), lines[j].u_Eci.normalized());
      fix.min_angle_rad = std::min(fix.min_angle_rad, ang);
      fix.max_angle_rad = std::max(fix.max_angle_rad, ang);
    }
  }

  // Pass 1: common nominal range. Pass 2: each line's range to the pass-1 point (|rho|: a point
  // behind a sensor is flagged below, but still gets a sensible weight).
  Vec3 x;
  Mat3 A;
  if (!Solve(
          lines, [](std::size_t) { return kNominalRange_m; }, &x, &A))
    return fix;
  const Vec3 x1 = x;
  const auto range_to_x1 = [&](std::size_t i) {
    return std::abs(lines[i].u_Eci.normalized().dot(x1 - lines[i].origin_Eci));
  };
  if (!Solve(lines, range_to_x1, &x, &A)) return fix;

  fix.r_Eci = x;
  fix.covariance = A.inverse();
  fix.covariance = 0.5 * (fix.covariance + fix.covariance.transpose()).eval();
  bool in_front = true;
  for (const LineOfSight& l : lines) {
    const Vec3 u = l.u_Eci.normalized();
    const Vec3 d = x - l.origin_Eci;
    const double rho = u.dot(d);
    in_front = in_front && rho > 0.0;
    fix.max_miss_m = std::max(fix.max_miss_m, (d - rho * u).norm());
  }
  fix.ok = in_front && fix.max_angle_rad >= kMinTriangulationAngle_rad;
  return fix;
}

double LineMissDistance(const LineOfSight& a, const LineOfSight& b, double* range_a,
                        double* range_b) {
  const Vec3 ua = a.u_Eci.normalized();
  const Vec3 ub = b.u_Eci.normalized();
  const Vec3 w = b.origin_Eci - a.origin_Eci;
  const Vec3 n = ua.cross(ub);
  const double sin2 = n.squaredNorm();
  // Closest points a0 + ta ua, b0 + tb ub (Eberly's segment-segment form without clamping):
  // w + tb ub - ta ua perpendicular to both directions.
  const double c = ua.dot(ub);
  double ta = 0.0, tb = 0.0, miss = 0.0;
  if (sin2 < 1e-24) {  // parallel to round-off: distance between the lines
    tb = -ub.dot(w);
    miss = (w - ua.dot(w) * ua).norm();
  } else {
    const double wa = ua.dot(w), wb = ub.dot(w);
    ta = (wa - c * wb) / sin2;
    tb = (c * wa - wb) / sin2;
    miss = std::abs(w.dot(n)) / std::sqrt(sin2);
  }
  if (range_a != nullptr) *range_a = ta;
  if (range_b != nullptr) *range_b = tb;
  return miss;
}

Measurement PositionMeasurement(const Fix& fix, double t_s) {
  Measurement m;
  m.kind = MeasKind::kPosition;
  m.t_s = t_s;
  m.z = fix.r_Eci;
  m.R = fix.covariance;
  return m;
}

}  // namespace hyperdef::tracking
