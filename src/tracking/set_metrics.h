// Multi-target set metrics: OSPA and GOSPA between finite sets of 3-D points.
//
// With d(x, y) = |x - y| (Euclidean, m), the cut-off distance d_c = min(c, d) and an order
// p >= 1:
//
// OSPA (Schuhmacher, Vo & Vo, "A consistent metric for performance evaluation of multi-object
// filters", IEEE Trans. Signal Processing 56(8), 2008), for |X| = m <= |Y| = n (else swap):
//
//   OSPA(X, Y) = ( (1/n) [ min_pi sum_{i=1..m} d_c(x_i, y_pi(i))^p + c^p (n - m) ] )^(1/p),
//
// with the minimum over injections pi of X into Y; 0 if both sets are empty, and always <= c.
// It is normalised per target, which is why it cannot tell "one target badly missed" from a
// general error spread over many.
//
// GOSPA with alpha = 2 (Rahmathullah, Garcia-Fernandez & Svensson, "Generalized optimal
// sub-pattern assignment metric", FUSION 2017):
//
//   GOSPA(X, Y) = ( min_gamma [ sum_{(i,j) in gamma} d(x_i, y_j)^p
//                              + (c^p / 2) (|X| - |gamma|) + (c^p / 2) (|Y| - |gamma|) ] )^(1/p),
//
// the minimum over partial assignments gamma whose pairs are closer than c. Not normalised, it
// splits exactly into a localisation part (assigned pairs), a missed-target part (elements of X,
// the truth, left unassigned) and a false-target part (elements of Y, the estimates, left
// unassigned). Computed as one rectangular assignment on d_c^p: a pair at d >= c costs c^p, the
// same as leaving both ends unassigned, and is reported as one missed and one false target.
//
// Both use SolveAssignment (assignment.h) on the m x n matrix of d_c^p.
#pragma once

#include <vector>

#include "core/frames.h"

namespace hyperdef::tracking {

// OSPA distance (m) between point sets X and Y with cut-off c > 0 (m) and order p >= 1.
// Throws std::invalid_argument on c <= 0, p < 1 or non-finite arguments or points.
double Ospa(const std::vector<core::Vec3>& X, const std::vector<core::Vec3>& Y, double c, double p);

struct GospaResult {
  double distance = 0.0;  // GOSPA (m): (localisation + missed + false_targets)^(1/p)
  // The decomposition of distance^p (units m^p):
  double localisation = 0.0;   // sum over assigned pairs of d^p
  double missed = 0.0;         // (c^p / 2) * num_missed
  double false_targets = 0.0;  // (c^p / 2) * num_false
  int num_assigned = 0;
  int num_missed = 0;                  // truth points left unassigned
  int num_false = 0;                   // estimate points left unassigned
  std::vector<int> truth_to_estimate;  // per truth point: its estimate, or -1
};

// GOSPA (alpha = 2) between the truth set and the estimate set, cut-off c > 0 (m), order
// p >= 1. Throws std::invalid_argument as Ospa does.
GospaResult Gospa(const std::vector<core::Vec3>& truth, const std::vector<core::Vec3>& estimates,
                  double c, double p);

// The OSPA distance of the same two sets, from their GOSPA result with the same c and p (one
// assignment for both metrics): both minimise the sum of d_c^p over assignments of min(m, n)
// pairs, so OSPA's optimal sum is GOSPA's localisation plus c^p for every pair GOSPA left
// unassigned at d >= c and for every point beyond min(m, n): c^p (n - num_assigned).
double OspaFromGospa(const GospaResult& g, double c, double p);

}  // namespace hyperdef::tracking
