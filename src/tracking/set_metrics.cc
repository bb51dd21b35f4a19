#include "tracking/set_metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "tracking/assignment.h"

namespace hyperdef::tracking {
namespace {

void Check(const std::vector<core::Vec3>& X, const std::vector<core::Vec3>& Y, double c, double p,
           const char* who) {
  if (!(c > 0.0 && std::isfinite(c))) {
    throw std::invalid_argument(std::string(who) + ": cut-off c = " + std::to_string(c) +
                                " (expected finite and > 0)");
  }
  if (!(p >= 1.0 && std::isfinite(p))) {
    throw std::invalid_argument(std::string(who) + ": order p = " + std::to_string(p) +
                                " (expected finite and >= 1)");
  }
  for (const auto* set : {&X, &Y}) {
    for (const core::Vec3& x : *set) {
      if (!x.allFinite()) throw std::invalid_argument(std::string(who) + ": a point is not finite");
    }
  }
}

// m x n matrix of min(c, |x_i - y_j|)^p.
Eigen::MatrixXd CutoffCosts(const std::vector<core::Vec3>& X, const std::vector<core::Vec3>& Y,
                            double c, double p) {
  Eigen::MatrixXd cost(X.size(), Y.size());
  for (std::size_t j = 0; j < Y.size(); ++j) {
    for (std::size_t i = 0; i < X.size(); ++i) {
      const double d = std::min(c, (X[i] - Y[j]).norm());
      cost(i, j) = p == 2.0 ? d * d : std::pow(d, p);  // p = 2 is the usual order: skip pow()
    }
  }
  return cost;
}

}  // namespace

double Ospa(const std::vector<core::Vec3>& X, const std::vector<core::Vec3>& Y, double c,
            double p) {
  Check(X, Y, c, p, "Ospa");
  const std::size_t m = std::min(X.size(), Y.size());
  const std::size_t n = std::max(X.size(), Y.size());
  if (n == 0) return 0.0;
  const AssignmentResult a = SolveAssignment(CutoffCosts(X, Y, c, p));
  const double sum = a.cost + std::pow(c, p) * static_cast<double>(n - m);
  // min() guards the <= c bound against rounding in pow(pow(c, p), 1/p).
  return std::min(c, std::pow(sum / static_cast<double>(n), 1.0 / p));
}

GospaResult Gospa(const std::vector<core::Vec3>& truth, const std::vector<core::Vec3>& estimates,
                  double c, double p) {
  Check(truth, estimates, c, p, "Gospa");
  GospaResult r;
  const double half_cp = 0.5 * std::pow(c, p);
  r.truth_to_estimate.assign(truth.size(), -1);
  if (!truth.empty() && !estimates.empty()) {
    const AssignmentResult a = SolveAssignment(CutoffCosts(truth, estimates, c, p));
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const int j = a.row_to_col[i];
      if (j < 0) continue;
      const double d = (truth[i] - estimates[j]).norm();
      if (d < c) {  // at d >= c, pairing costs c^p = leaving both unassigned
        r.truth_to_estimate[i] = j;
        r.localisation += std::pow(d, p);
        ++r.num_assigned;
      }
    }
  }
  r.num_missed = static_cast<int>(truth.size()) - r.num_assigned;
  r.num_false = static_cast<int>(estimates.size()) - r.num_assigned;
  r.missed = half_cp * r.num_missed;
  r.false_targets = half_cp * r.num_false;
  r.distance = std::pow(r.localisation + r.missed + r.false_targets, 1.0 / p);
  return r;
}

double OspaFromGospa(const GospaResult& g, double c, double p) {
  const int n_truth = g.num_assigned + g.num_missed;
  const int n_est = g.num_assigned + g.num_false;
  const int n = std::max(n_truth, n_est);
  if (n == 0) return 0.0;
  const double sum = g.localisation + std::pow(c, p) * static_cast<double>(n - g.num_assigned);
  // min() guards the <= c bound against rounding, as in Ospa().
  return std::min(c, std::pow(sum / static_cast<double>(n), 1.0 / p));
}

}  // namespace hyperdef::tracking
