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
    // Only pairs closer than c can be paired (at d >= c pairing costs c^p, as leaving both
    // unassigned), so the assignment decomposes over the connected components of the "closer than
    // c" graph: a component of one truth and one estimate is paired outright (d^p < c^p), a larger
    // one is solved on its own. Scattered targets make nearly every component a single pair.
    const int m = static_cast<int>(truth.size());
    const int n = static_cast<int>(estimates.size());
    std::vector<int> parent(static_cast<std::size_t>(m + n));  // union-find: truths, then estimates
    for (int k = 0; k < m + n; ++k) parent[static_cast<std::size_t>(k)] = k;
    const auto root = [&parent](int k) {
      while (parent[static_cast<std::size_t>(k)] != k)
        k = parent[static_cast<std::size_t>(k)] =
            parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(k)])];
      return k;
    };
    std::vector<int> edges(static_cast<std::size_t>(m + n), 0);  // per component root
    std::vector<std::pair<int, int>> close;
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        if (!((truth[i] - estimates[j]).norm() < c)) continue;
        close.push_back({i, j});
        const int a = root(i), b = root(m + j);
        if (a != b) {
          parent[static_cast<std::size_t>(a)] = b;
          edges[static_cast<std::size_t>(b)] += edges[static_cast<std::size_t>(a)];
        }
        ++edges[static_cast<std::size_t>(b)];
      }
    }
    std::vector<std::vector<int>> rows(static_cast<std::size_t>(m + n)),
        cols(static_cast<std::size_t>(m + n));
    for (const auto& [i, j] : close) {
      const int k = root(i);
      if (edges[static_cast<std::size_t>(k)] == 1) {
        r.truth_to_estimate[static_cast<std::size_t>(i)] = j;  // a lone pair
        continue;
      }
      std::vector<int>& rs = rows[static_cast<std::size_t>(k)];
      std::vector<int>& cs = cols[static_cast<std::size_t>(k)];
      if (std::find(rs.begin(), rs.end(), i) == rs.end()) rs.push_back(i);
      if (std::find(cs.begin(), cs.end(), j) == cs.end()) cs.push_back(j);
    }
    for (int k = 0; k < m + n; ++k) {
      const std::vector<int>& rs = rows[static_cast<std::size_t>(k)];
      const std::vector<int>& cs = cols[static_cast<std::size_t>(k)];
      if (rs.empty()) continue;
      std::vector<core::Vec3> x, y;
      for (int i : rs) x.push_back(truth[static_cast<std::size_t>(i)]);
      for (int j : cs) y.push_back(estimates[static_cast<std::size_t>(j)]);
      const AssignmentResult a = SolveAssignment(CutoffCosts(x, y, c, p));
      for (std::size_t q = 0; q < rs.size(); ++q) {
        const int jq = a.row_to_col[q];
        if (jq >= 0 && (x[q] - y[static_cast<std::size_t>(jq)]).norm() < c)
          r.truth_to_estimate[static_cast<std::size_t>(rs[q])] = cs[static_cast<std::size_t>(jq)];
      }
    }
    for (int i = 0; i < m; ++i) {
      const int j = r.truth_to_estimate[static_cast<std::size_t>(i)];
      if (j < 0) continue;
      r.localisation += std::pow((truth[i] - estimates[j]).norm(), p);
      ++r.num_assigned;
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
