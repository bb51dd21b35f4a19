#include "tracking/covariance_intersection.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

#include "core/error.h"
#include "core/random.h"

namespace hyperdef::tracking {
namespace {

Gaussian Make(const StateVector& x, const StateMatrix& P, double t_s = 0.0) {
  Gaussian g;
  g.x = x;
  g.P = P;
  g.t_s = t_s;
  return g;
}

StateMatrix Diag(std::initializer_list<double> d) {
  StateVector v(static_cast<int>(d.size()));
  int i = 0;
  for (double e : d) v(i++) = e;
  return v.asDiagonal();
}

TEST(CovarianceIntersection, SymmetricCaseGivesHalfAndKnownTrace) {
  // Pa = diag(1, 4), Pb = diag(4, 1): by symmetry w = 1/2 and
  // P = diag(1 / (0.5 + 0.125), same) = 1.6 I, trace 3.2 (< 5, the trace of either input).
  StateVector xa(2), xb(2);
  xa << 0.0, 10.0;
  xb << 10.0, 0.0;
  double w = -1.0;
  const Gaussian f = CovarianceIntersection(Make(xa, Diag({1, 4})), Make(xb, Diag({4, 1})), &w);
  // Brent to 26 bits (~ 1.5e-8 relative in w); the trace is flat at the minimum so w carries
  // about that error and the covariance its square.
  EXPECT_NEAR(w, 0.5, 1e-6);
  EXPECT_NEAR(f.P.trace(), 3.2, 1e-12);
  EXPECT_NEAR(f.P(0, 0), 1.6, 1e-6);
  EXPECT_NEAR(f.P(1, 1), 1.6, 1e-6);
  EXPECT_NEAR(f.P(0, 1), 0.0, 1e-12);
  // x = P (0.5 Pa^-1 xa + 0.5 Pb^-1 xb) = 1.6 (0.5 * 0.25 * 10, 0.5 * 0.25 * 10) = (2, 2).
  EXPECT_NEAR(f.x(0), 2.0, 1e-6);
  EXPECT_NEAR(f.x(1), 2.0, 1e-6);
}

TEST(CovarianceIntersection, FusedTraceNoLargerThanEitherAndOmegaInRange) {
  // Random positive definite 6 x 6 pairs: w in [0, 1], trace(P) <= min(trace Pa, trace Pb), and
  // the fused P is symmetric positive definite. Also: no w on a grid does better (the search
  // finds the global minimum of the convex trace).
  core::RandomStream rng(5, 0, "ci", "random-pairs");
  for (int k = 0; k < 200; ++k) {
    StateMatrix La(6, 6), Lb(6, 6);
    for (int i = 0; i < 6; ++i) {
      for (int j = 0; j < 6; ++j) {
        La(i, j) = rng.Normal();
        Lb(i, j) = rng.Normal() * (k % 3 == 0 ? 10.0 : 1.0);
      }
    }
    const StateMatrix Pa = La * La.transpose() + 0.1 * StateMatrix::Identity(6, 6);
    const StateMatrix Pb = Lb * Lb.transpose() + 0.1 * StateMatrix::Identity(6, 6);
    StateVector xa(6), xb(6);
    for (int i = 0; i < 6; ++i) {
      xa(i) = rng.Normal();
      xb(i) = rng.Normal();
    }
    double w = -1.0;
    const Gaussian f = CovarianceIntersection(Make(xa, Pa), Make(xb, Pb), &w);
    EXPECT_GE(w, 0.0);
    EXPECT_LE(w, 1.0);
    ASSERT_EQ(f.x.size(), 6);
    // 1e-12 relative: round-off of a 6 x 6 inverse; the endpoints are exact.
    EXPECT_LE(f.P.trace(), std::min(Pa.trace(), Pb.trace()) * (1.0 + 1e-12));
    EXPECT_TRUE(f.P.isApprox(f.P.transpose(), 1e-12));
    EXPECT_EQ(Eigen::LLT<StateMatrix>(f.P).info(), Eigen::Success);
    for (int g = 0; g <= 100; ++g) {
      const Gaussian fg = CovarianceIntersectionAt(Make(xa, Pa), Make(xb, Pb), g / 100.0);
      // The Brent minimum is within ~ 1e-8 of the optimum in w, so within ~ 1e-14 relative in
      // trace; 1e-9 relative margin.
      EXPECT_LE(f.P.trace(), fg.P.trace() * (1.0 + 1e-9)) << "k " << k << " grid w " << g;
    }
  }
}

TEST(CovarianceIntersection, EqualsTheBetterInputWhenTheOtherIsMuchWorse) {
  StateVector xa(3), xb(3);
  xa << 1.0, 2.0, 3.0;
  xb << 50.0, -40.0, 30.0;
  const StateMatrix Pa = Diag({1.0, 2.0, 3.0});
  const StateMatrix Pb = 1e6 * StateMatrix::Identity(3, 3);
  for (bool swap : {false, true}) {
    double w = -1.0;
    const Gaussian f = swap ? CovarianceIntersection(Make(xb, Pb, 7.0), Make(xa, Pa, 7.0), &w)
                            : CovarianceIntersection(Make(xa, Pa, 7.0), Make(xb, Pb, 7.0), &w);
    // The trace is minimised at the endpoint of the good input (d trace / d w < 0 all the way
    // for Pb = 1e6 Pa-scale): exactly that input is returned.
    EXPECT_EQ(w, swap ? 0.0 : 1.0);
    EXPECT_TRUE(f.x.isApprox(xa, 1e-12));
    EXPECT_TRUE(f.P.isApprox(Pa, 1e-12));
    EXPECT_EQ(f.t_s, 7.0);
  }
}

TEST(CovarianceIntersection, ConsistentUnderUnknownCorrelationWhereNaiveFusionIsNot) {
  // Two nodes' estimates of a 3-state x0 share a common error c ~ N(0, Pc) (a common prior or
  // shared measurements) and have private errors ea ~ N(0, Qa), eb ~ N(0, Qb). Each node
  // correctly reports its marginal Pa = Pc + Qa, Pb = Pc + Qb, but not the cross-covariance Pc.
  // CI must be consistent: NEES of the fused error against the fused P has mean <= 3; we test
  // the sample mean against the upper 99% point of chi2(3 N) / N (a consistent-or-conservative
  // P gives a mean at or below 3). The naive fusion that assumes independence,
  // P = (Pa^-1 + Pb^-1)^-1, must fail the same test here (mean ~ 5), so the test has power.
  const StateMatrix Pc = Diag({40.0, 40.0, 40.0});
  const StateMatrix Qa = Diag({10.0, 60.0, 20.0});
  const StateMatrix Qb = Diag({60.0, 10.0, 20.0});
  const StateMatrix Pa = Pc + Qa, Pb = Pc + Qb;
  const Eigen::LLT<StateMatrix> lc(Pc), la(Qa), lb(Qb);
  const StateMatrix Lc = lc.matrixL(), La = la.matrixL(), Lb = lb.matrixL();
  const StateMatrix Pnaive = (Pa.inverse() + Pb.inverse()).inverse();
  core::RandomStream rng(6, 0, "ci", "correlated");
  const int kDraws = 4000;
  double nees_ci = 0.0, nees_naive = 0.0;
  StateVector x0(3);
  x0 << 1000.0, -2000.0, 500.0;
  for (int k = 0; k < kDraws; ++k) {
    StateVector nc(3), na(3), nb(3);
    for (int i = 0; i < 3; ++i) {
      nc(i) = rng.Normal();
      na(i) = rng.Normal();
      nb(i) = rng.Normal();
    }
    const StateVector c = Lc * nc;
    const StateVector xa = x0 + c + La * na;
    const StateVector xb = x0 + c + Lb * nb;
    const Gaussian f = CovarianceIntersection(Make(xa, Pa), Make(xb, Pb));
    const StateVector e = f.x - x0;
    nees_ci += e.dot(f.P.ldlt().solve(e));
    const StateVector xn = Pnaive * (Pa.ldlt().solve(xa) + Pb.ldlt().solve(xb));
    const StateVector en = xn - x0;
    nees_naive += en.dot(Pnaive.ldlt().solve(en));
  }
  const double upper =
      boost::math::quantile(boost::math::chi_squared(3.0 * kDraws), 0.995) / kDraws;
  EXPECT_LT(nees_ci / kDraws, upper);
  EXPECT_GT(nees_naive / kDraws, upper);
}

TEST(CovarianceIntersection, MismatchedDimensionsOrTimesAreInvariantErrors) {
  const Gaussian a = Make(StateVector::Zero(3), StateMatrix::Identity(3, 3), 1.0);
  const Gaussian b = Make(StateVector::Zero(6), StateMatrix::Identity(6, 6), 1.0);
  const Gaussian c = Make(StateVector::Zero(3), StateMatrix::Identity(3, 3), 2.0);
  EXPECT_THROW(CovarianceIntersection(a, b), core::InvariantError);
  EXPECT_THROW(CovarianceIntersection(a, c), core::InvariantError);
}

}  // namespace
}  // namespace hyperdef::tracking
