// Chi-square validation gates and a coarse spatial pre-gate.
//
// Gate. With innovation nu ~ N(0, S) of dimension n_z under the "measurement is the target's"
// hypothesis, the normalised innovation squared NIS = nu' S^-1 nu is chi-square with n_z degrees
// of freedom, so the ellipsoid {NIS <= gamma} with gamma = F^-1_{chi2(n_z)}(P_G) holds the
// target's measurement with probability P_G (Bar-Shalom, Li & Kirubarajan 2001, ch. 5, the
// validation region; Blackman & Popoli 1999, ch. 6). Its volume is V = c_{n_z} gamma^{n_z/2}
// |S|^{1/2} with c_n = pi^{n/2} / Gamma(n/2 + 1) the volume of the unit n-ball (BLK 2001, ibid.); V
// is what a non-parametric PDA/JPDA uses for the clutter density (lambda = m_k / V).
//
// Pre-gate. With many tracks and many 3-D position-like measurements (e.g. radar plots turned
// into Cartesian fixes, triangulated LOS fixes), most pairs are far apart. A track's gate in
// position is contained in the sphere of radius sqrt(gamma * lambda_max(S_pos)) about the
// predicted position; PointPreGate sorts the measurement positions along x once and returns, for
// each such sphere, only the points inside it (a sort-and-sweep on one axis, then the exact
// sphere test), in O(log M + candidates) per track. The survivors still go through InGate on
// the full innovation.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "core/frames.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

// Quantile of the chi-square distribution with `dof` degrees of freedom (Boost.Math):
// P(X <= q) = p. Throws std::invalid_argument unless 0 <= p < 1 and dof >= 1.
double ChiSquareQuantile(double p, int dof);

// Gate threshold gamma on the NIS for gate probability P_G (= ChiSquareQuantile(P_G, dof)).
// Throws std::invalid_argument unless 0 < probability < 1 and dof >= 1.
double GateThreshold(double probability, int dof);

// True if the measurement falls in the gate: nis <= threshold (NaN is never in the gate).
inline bool InGate(double nis, double threshold) { return nis <= threshold; }

// Volume (in measurement units, e.g. m^3 or rad^2) of the gate {nu' S^-1 nu <= threshold} for a
// symmetric positive definite S of size 1..kMaxMeas. Throws std::invalid_argument if S is empty
// or not positive definite, or threshold < 0.
double GateVolume(double threshold, const MeasMatrix& S);

// Radius (m) of the smallest sphere about the predicted position that holds the gate ellipsoid
// {d' P^-1 d <= threshold} of a 3x3 position covariance P (m^2): sqrt(threshold lambda_max(P)).
double BoundingSphereRadius(double threshold, const core::Mat3& P);

// Sort-and-sweep pre-gate over a fixed set of 3-D points (see header comment). Build once per
// scan, then query once per track; buffers are reused across scans.
class PointPreGate {
 public:
  // Indexes `points` (any frame; queries must use the same one). Copies them.
  void Build(const std::vector<core::Vec3>& points);
  // Clears `out` and appends the indices (into the Build() vector), in increasing order, of the
  // points with |p - centre| <= radius. radius < 0 finds nothing.
  void Query(const core::Vec3& centre, double radius, std::vector<int>* out) const;
  int size() const { return static_cast<int>(points_.size()); }

 private:
  std::vector<core::Vec3> points_;
  std::vector<int> order_;  // indices sorted by x
  std::vector<double> xs_;  // x of points_[order_[k]], ascending
};

}  // namespace hyperdef::tracking
