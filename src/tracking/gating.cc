#include "tracking/gating.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/constants.h"

namespace hyperdef::tracking {

double ChiSquareQuantile(double p, int dof) {
  if (!(p >= 0.0 && p < 1.0)) {
    throw std::invalid_argument("ChiSquareQuantile: p = " + std::to_string(p) +
                                " (expected 0 <= p < 1)");
  }
  if (dof < 1) {
    throw std::invalid_argument("ChiSquareQuantile: dof = " + std::to_string(dof) +
                                " (expected >= 1)");
  }
  const boost::math::chi_squared_distribution<double> chi2(static_cast<double>(dof));
  return boost::math::quantile(chi2, p);
}

double GateThreshold(double probability, int dof) {
  if (!(probability > 0.0 && probability < 1.0)) {
    throw std::invalid_argument("GateThreshold: gate probability = " + std::to_string(probability) +
                                " (expected 0 < P_G < 1)");
  }
  return ChiSquareQuantile(probability, dof);
}

double GateVolume(double threshold, const MeasMatrix& S) {
  const Eigen::Index n = S.rows();
  if (n < 1 || S.cols() != n) {
    throw std::invalid_argument("GateVolume: S is " + std::to_string(S.rows()) + "x" +
                                std::to_string(S.cols()) + " (expected square, 1..4)");
  }
  if (!(threshold >= 0.0)) {
    throw std::invalid_argument("GateVolume: threshold = " + std::to_string(threshold) +
                                " (expected >= 0)");
  }
  const Eigen::LLT<MeasMatrix> llt(S);
  if (llt.info() != Eigen::Success) {
    throw std::invalid_argument("GateVolume: S is not positive definite");
  }
  // sqrt|S| = prod diag(L).
  const double sqrt_det = llt.matrixL().toDenseMatrix().diagonal().prod();
  const double half_n = 0.5 * static_cast<double>(n);
  const double unit_ball = std::pow(core::kPi, half_n) / std::tgamma(half_n + 1.0);
  return unit_ball * std::pow(threshold, half_n) * sqrt_det;
}

double BoundingSphereRadius(double threshold, const core::Mat3& P) {
  Eigen::SelfAdjointEigenSolver<core::Mat3> es;
  es.computeDirect(P, Eigen::EigenvaluesOnly);
  const double lambda_max = std::max(0.0, es.eigenvalues()(2));
  return std::sqrt(std::max(0.0, threshold) * lambda_max);
}

void PointPreGate::Build(const std::vector<core::Vec3>& points) {
  points_ = points;
  order_.resize(points_.size());
  std::iota(order_.begin(), order_.end(), 0);
  std::sort(order_.begin(), order_.end(),
            [&](int a, int b) { return points_[a].x() < points_[b].x(); });
  xs_.resize(points_.size());
  for (std::size_t k = 0; k < order_.size(); ++k) xs_[k] = points_[order_[k]].x();
}

void PointPreGate::Query(const core::Vec3& centre, double radius, std::vector<int>* out) const {
  out->clear();
  if (!(radius >= 0.0)) return;
  const auto lo = std::lower_bound(xs_.begin(), xs_.end(), centre.x() - radius);
  const auto hi = std::upper_bound(lo, xs_.end(), centre.x() + radius);
  const double r2 = radius * radius;
  for (auto it = lo; it != hi; ++it) {
    const int k = order_[it - xs_.begin()];
    if ((points_[k] - centre).squaredNorm() <= r2) out->push_back(k);
  }
  std::sort(out->begin(), out->end());
}

}  // namespace hyperdef::tracking
