// Covariance intersection (Julier & Uhlmann 1997, "A non-divergent estimation algorithm in the
// presence of unknown correlations", Proc. American Control Conference): track-to-track fusion
// of two estimates of the same state whose cross-correlation is unknown (distributed tracking
// nodes that have shared measurements or priors, so the Kalman/Bar-Shalom-Campo fusion that
// assumes independence would be overconfident).
//
//   P^-1 = w Pa^-1 + (1 - w) Pb^-1
//   x    = P (w Pa^-1 xa + (1 - w) Pb^-1 xb),     w in [0, 1].
//
// For every w in [0, 1] and every cross-covariance consistent with Pa and Pb the result is
// consistent (P >= the true error covariance). w is chosen to minimise the TRACE of P (the sum
// of the state variances; Julier & Uhlmann also discuss the determinant): Brent's bounded
// minimisation on (0, 1) (Brent 1973, ch. 5, via boost::math::tools::brent_find_minima) to
// ~ 1e-8 in w, then compared with the endpoints w = 0 and w = 1, where the search cannot land
// exactly. trace(P(w)) is convex in w (P(w) is the inverse of a matrix affine in w, and
// X -> trace(X^-1) is convex on positive definite matrices), so the minimum found is the global
// one. No heap allocation (fixed-capacity types of types.h).
#pragma once

#include "tracking/types.h"

namespace hyperdef::tracking {

// a and b: same state dimension, positive definite covariances and the same time
// (|a.t_s - b.t_s| <= 1e-9 s; predict both to a common time first). These are the caller's
// invariants, checked with HYPERDEF_ASSERT (core::InvariantError in every build). The result has
// a's time. If omega_out is given it receives w (the weight of a).
Gaussian CovarianceIntersection(const Gaussian& a, const Gaussian& b, double* omega_out = nullptr);

// The fused estimate for a given w in [0, 1] (no search); same invariants as above.
Gaussian CovarianceIntersectionAt(const Gaussian& a, const Gaussian& b, double omega);

}  // namespace hyperdef::tracking
