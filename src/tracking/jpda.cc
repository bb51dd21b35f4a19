#include "tracking/jpda.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace hyperdef::tracking {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

void JpdaOptions::Validate() const {
  if (max_exact_events < 1) {
    throw std::invalid_argument("jpda.max_exact_events: must be >= 1 (got " +
                                std::to_string(max_exact_events) + ")");
  }
  if (murty_hypotheses < 1) {
    throw std::invalid_argument("jpda.murty_hypotheses: must be >= 1 (got " +
                                std::to_string(murty_hypotheses) + ")");
  }
}

JpdaSolver::JpdaSolver(JpdaOptions options) : options_(options) { options_.Validate(); }

const Eigen::MatrixXd& JpdaSolver::Solve(const Eigen::MatrixXd& likelihood,
                                         const std::vector<double>& pd, double pg,
                                         double clutter_density) {
  const int T = static_cast<int>(likelihood.rows());
  const int M = static_cast<int>(likelihood.cols());
  if (static_cast<int>(pd.size()) != T) {
    throw std::invalid_argument("JPDA: pd has " + std::to_string(pd.size()) +
                                " entries (expected one per track, " + std::to_string(T) + ")");
  }
  if (!(pg > 0.0 && pg <= 1.0)) {
    throw std::invalid_argument("JPDA: gate probability = " + std::to_string(pg) +
                                " (expected 0 < Pg <= 1)");
  }
  if (!(clutter_density > 0.0 && std::isfinite(clutter_density))) {
    throw std::invalid_argument("JPDA: clutter density = " + std::to_string(clutter_density) +
                                " (expected finite and > 0)");
  }
  for (int t = 0; t < T; ++t) {
    if (!(pd[t] >= 0.0 && pd[t] <= 1.0)) {
      throw std::invalid_argument("JPDA: pd[" + std::to_string(t) + "] = " + std::to_string(pd[t]) +
                                  " (expected 0 <= Pd <= 1)");
    }
    for (int j = 0; j < M; ++j) {
      const double l = likelihood(t, j);
      if (!(l >= 0.0 && std::isfinite(l))) {
        throw std::invalid_argument("JPDA: likelihood(" + std::to_string(t) + ", " +
                                    std::to_string(j) + ") = " + std::to_string(l) +
                                    " (expected finite and >= 0)");
      }
    }
  }

  stats_ = JpdaStats{};
  beta_.setZero(T, 1 + M);
  // Event factors, each track's row scaled by its largest entry (a factor common to every joint
  // event, so the normalised marginals do not change).
  factor_.resize(T, 1 + M);
  for (int t = 0; t < T; ++t) {
    factor_(t, 0) = 1.0 - pd[t] * pg;
    for (int j = 0; j < M; ++j) factor_(t, 1 + j) = pd[t] * (likelihood(t, j) / clutter_density);
    const double row_max = factor_.row(t).maxCoeff();
    if (row_max > 0.0 && std::isfinite(row_max)) {
      factor_.row(t) /= row_max;
    } else if (!std::isfinite(row_max)) {
      // Pd L / lambda overflowed (an absurdly small lambda): redo the row in logarithms.
      double log_max = -kInf;
      for (int j = 0; j < M; ++j) {
        if (likelihood(t, j) > 0.0 && pd[t] > 0.0) {
          factor_(t, 1 + j) =
              std::log(pd[t]) + std::log(likelihood(t, j)) - std::log(clutter_density);
          log_max = std::max(log_max, factor_(t, 1 + j));
        } else {
          factor_(t, 1 + j) = -kInf;
        }
      }
      factor_(t, 0) = std::log(1.0 - pd[t] * pg);  // finite or -inf, far below log_max
      for (int c = 0; c <= M; ++c) factor_(t, c) = std::exp(factor_(t, c) - log_max);
    }
  }

  // Clusters: connected components of the gating graph, by a stack-based search from each
  // unvisited track alternating track -> gated measurements -> their tracks.
  track_cluster_.assign(T, -1);
  meas_cluster_.assign(M, -1);
  meas_used_.assign(M, 0);
  for (int seed = 0; seed < T; ++seed) {
    if (track_cluster_[seed] >= 0) continue;
    const int id = seed;
    cl_tracks_.clear();
    cl_meas_.clear();
    stack_.clear();
    stack_.push_back(seed);
    track_cluster_[seed] = id;
    while (!stack_.empty()) {
      const int t = stack_.back();
      stack_.pop_back();
      cl_tracks_.push_back(t);
      for (int j = 0; j < M; ++j) {
        if (likelihood(t, j) <= 0.0 || meas_cluster_[j] >= 0) continue;
        meas_cluster_[j] = id;
        cl_meas_.push_back(j);
        for (int u = 0; u < T; ++u) {
          if (track_cluster_[u] < 0 && likelihood(u, j) > 0.0) {
            track_cluster_[u] = id;
            stack_.push_back(u);
          }
        }
      }
    }
    if (cl_meas_.empty()) {
      beta_(seed, 0) = 1.0;  // nothing gated: the track is certainly not associated
      continue;
    }
    std::sort(cl_tracks_.begin(), cl_tracks_.end());
    std::sort(cl_meas_.begin(), cl_meas_.end());
    SolveCluster();
  }
  return beta_;
}

void JpdaSolver::SolveCluster() {
  const int n = static_cast<int>(cl_tracks_.size());
  const int cols = static_cast<int>(beta_.cols());
  ++stats_.clusters;
  stats_.largest_cluster_tracks = std::max(stats_.largest_cluster_tracks, n);
  gated_start_.assign(n + 1, 0);
  gated_.clear();
  for (int k = 0; k < n; ++k) {
    const int t = cl_tracks_[k];
    for (int j : cl_meas_) {
      if (factor_(t, 1 + j) > 0.0) gated_.push_back(j);
    }
    gated_start_[k + 1] = static_cast<int>(gated_.size());
  }
  choice_.assign(n, 0);
  cl_beta_.setZero(n, cols);
  cl_total_ = 0.0;
  cl_events_ = 0;
  aborted_ = false;
  Enumerate(0, 1.0);
  if (aborted_) {
    ++stats_.approximated_clusters;
    for (int j : cl_meas_) meas_used_[j] = 0;
    cl_beta_.setZero(n, cols);
    cl_total_ = 0.0;
    cl_events_ = 0;
    SolveClusterKBest();
  }
  stats_.events += cl_events_;
  if (!(cl_total_ > 0.0)) {
    ++stats_.degenerate_clusters;
    for (int t : cl_tracks_) beta_(t, 0) = 1.0;
    return;
  }
  for (int k = 0; k < n; ++k) beta_.row(cl_tracks_[k]) = cl_beta_.row(k) / cl_total_;
}

// Depth-first enumeration of the cluster's feasible joint events; track k chooses next.
void JpdaSolver::Enumerate(int k, double weight) {
  if (aborted_) return;
  const int n = static_cast<int>(cl_tracks_.size());
  if (k == n) {
    if (++cl_events_ > options_.max_exact_events) {
      aborted_ = true;
      return;
    }
    Accumulate(weight);
    return;
  }
  const int t = cl_tracks_[k];
  const double miss = factor_(t, 0);
  if (miss > 0.0) {
    choice_[k] = 0;
    Enumerate(k + 1, weight * miss);
  }
  for (int g = gated_start_[k]; g < gated_start_[k + 1]; ++g) {
    const int j = gated_[g];
    if (meas_used_[j]) continue;
    meas_used_[j] = 1;
    choice_[k] = 1 + j;
    Enumerate(k + 1, weight * factor_(t, 1 + j));
    meas_used_[j] = 0;
    if (aborted_) return;
  }
}

void JpdaSolver::Accumulate(double weight) {
  cl_total_ += weight;
  const int n = static_cast<int>(cl_tracks_.size());
  for (int k = 0; k < n; ++k) cl_beta_(k, choice_[k]) += weight;
}

// k-best fallback: rows = cluster tracks, columns = cluster measurements then one "missed"
// column per track; cost = -log(factor), +inf where the factor is 0.
bool JpdaSolver::SolveClusterKBest() {
  const int n = static_cast<int>(cl_tracks_.size());
  const int m = static_cast<int>(cl_meas_.size());
  Eigen::MatrixXd cost = Eigen::MatrixXd::Constant(n, m + n, kInf);
  for (int k = 0; k < n; ++k) {
    const int t = cl_tracks_[k];
    for (int q = 0; q < m; ++q) {
      const double f = factor_(t, 1 + cl_meas_[q]);
      if (f > 0.0) cost(k, q) = -std::log(f);
    }
    if (factor_(t, 0) > 0.0) cost(k, m + k) = -std::log(factor_(t, 0));
  }
  const std::vector<AssignmentResult> best = KBestAssignments(cost, options_.murty_hypotheses);
  if (best.empty()) return false;
  const double c0 = best.front().cost;  // weights relative to the most probable event
  for (const AssignmentResult& h : best) {
    for (int k = 0; k < n; ++k) {
      const int q = h.row_to_col[k];
      choice_[k] = q < m ? 1 + cl_meas_[q] : 0;
    }
    ++cl_events_;
    Accumulate(std::exp(c0 - h.cost));
  }
  return true;
}

Eigen::MatrixXd JpdaMarginals(const Eigen::MatrixXd& likelihood, const std::vector<double>& pd,
                              double pg, double clutter_density, const JpdaOptions& options) {
  JpdaSolver solver(options);
  return solver.Solve(likelihood, pd, pg, clutter_density);
}

}  // namespace hyperdef::tracking
