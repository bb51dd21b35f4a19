#include "tracking/covariance_intersection.h"

#include <Eigen/Cholesky>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <cstdint>

#include "core/error.h"

namespace hyperdef::tracking {

namespace {

// Information form of one input: Y = P^-1, y = P^-1 x.
struct Information {
  StateMatrix Y;
  StateVector y;
};

Information ToInformation(const Gaussian& g) {
  const Eigen::LLT<StateMatrix> llt(g.P);
  HYPERDEF_ASSERT(llt.info() == Eigen::Success);  // covariance must be positive definite
  const int n = static_cast<int>(g.x.size());
  Information info;
  info.Y = llt.solve(StateMatrix::Identity(n, n));
  info.y = llt.solve(g.x);
  return info;
}

void CheckPair(const Gaussian& a, const Gaussian& b) {
  HYPERDEF_ASSERT(a.x.size() == b.x.size());
  HYPERDEF_ASSERT(a.P.rows() == a.x.size() && a.P.cols() == a.x.size());
  HYPERDEF_ASSERT(b.P.rows() == b.x.size() && b.P.cols() == b.x.size());
  HYPERDEF_ASSERT(std::abs(a.t_s - b.t_s) <= 1e-9);
}

Gaussian Fuse(const Information& ia, const Information& ib, double w, double t_s) {
  const StateMatrix Y = w * ia.Y + (1.0 - w) * ib.Y;
  const Eigen::LLT<StateMatrix> llt(Y);
  HYPERDEF_ASSERT(llt.info() == Eigen::Success);
  const int n = static_cast<int>(Y.rows());
  Gaussian g;
  g.t_s = t_s;
  g.P = llt.solve(StateMatrix::Identity(n, n));
  g.P = (0.5 * (g.P + g.P.transpose())).eval();
  g.x = g.P * (w * ia.y + (1.0 - w) * ib.y);
  return g;
}

double FusedTrace(const Information& ia, const Information& ib, double w) {
  const StateMatrix Y = w * ia.Y + (1.0 - w) * ib.Y;
  const Eigen::LLT<StateMatrix> llt(Y);
  if (llt.info() != Eigen::Success) return HUGE_VAL;
  const int n = static_cast<int>(Y.rows());
  return llt.solve(StateMatrix::Identity(n, n)).trace();
}

}  // namespace

Gaussian CovarianceIntersectionAt(const Gaussian& a, const Gaussian& b, double omega) {
  CheckPair(a, b);
  HYPERDEF_ASSERT(omega >= 0.0 && omega <= 1.0);
  if (omega == 1.0) return {a.x, a.P, a.t_s};
  if (omega == 0.0) return {b.x, b.P, a.t_s};
  return Fuse(ToInformation(a), ToInformation(b), omega, a.t_s);
}

Gaussian CovarianceIntersection(const Gaussian& a, const Gaussian& b, double* omega_out) {
  CheckPair(a, b);
  const Information ia = ToInformation(a);
  const Information ib = ToInformation(b);
  // Brent on the open interval; 26 bits ~ sqrt(double epsilon): the limit of a minimiser's
  // accuracy in the argument (the function is flat to second order at the minimum).
  std::uintmax_t max_iter = 100;
  const auto best = boost::math::tools::brent_find_minima(
      [&](double w) { return FusedTrace(ia, ib, w); }, 0.0, 1.0, 26, max_iter);
  double w = best.first;
  double trace = best.second;
  const double trace_a = a.P.trace(), trace_b = b.P.trace();
  Gaussian out;
  if (trace_a <= trace && trace_a <= trace_b) {
    w = 1.0;
    out = {a.x, a.P, a.t_s};
  } else if (trace_b <= trace) {
    w = 0.0;
    out = {b.x, b.P, a.t_s};
  } else {
    out = Fuse(ia, ib, w, a.t_s);
  }
  if (omega_out != nullptr) *omega_out = w;
  return out;
}

}  // namespace hyperdef::tracking
