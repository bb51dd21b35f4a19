// Joint probabilistic data association (JPDA) marginal association probabilities.
//
// Model (Fortmann, Bar-Shalom & Scheffe, "Sonar tracking of multiple targets using joint
// probabilistic data association", IEEE J. Oceanic Eng. 8(3), 1983; parametric form with Poisson
// clutter as in Blackman & Popoli 1999, ch. 6). T tracks, M measurements of one scan. A feasible
// joint event theta assigns each track either no measurement or one measurement in its gate, no
// measurement to two tracks; measurements left over are clutter, Poisson with spatial density
// lambda. Then
//
//   P(theta | Z) = (1/c) prod_{t detected in theta} Pd_t L(t, j_t) / lambda
//                        prod_{t missed in theta}   (1 - Pd_t Pg),
//
// with L(t, j) = N(nu_tj; 0, S_t) the measurement likelihood (0 outside the gate), Pd_t the
// detection probability and Pg the gate probability. The marginals are
//
//   beta(t, 0)     = sum of P(theta) over events in which t is missed,
//   beta(t, 1 + j) = sum of P(theta) over events in which t takes measurement j,
//
// each row summing to 1. For one track this is exactly the PDA of Bar-Shalom & Tse 1975:
// beta_j = e_j / (1 - Pd Pg + sum e_i), e_j = Pd L_j / lambda (Bar-Shalom, Daum & Huang, "The
// probabilistic data association filter", IEEE Control Systems 29(6), 2009).
//
// Computation. Tracks are split into clusters, the connected components of the bipartite gating
// graph (track t -- measurement j when L(t, j) > 0); the joint-event probability factorises over
// clusters, so each is solved alone. A track with no gated measurement gets beta(t, 0) = 1.
// Each track's factors are divided by their largest value first (a common factor of every event,
// so the marginals are unchanged), which keeps products of many likelihoods in range.
// Within a cluster the feasible events are enumerated exactly by depth-first search (events of
// zero probability are pruned). That count grows combinatorially, so it is capped: once a
// cluster has produced more than `max_exact_events` events the enumeration is abandoned and the
// marginals are computed over the `murty_hypotheses` most probable joint events instead, found
// as the k best assignments (Murty 1968, assignment.h) of the cluster's cost matrix
// -log(factor) with one "missed" column per track (ranked assignments in tracking: Cox & Miller,
// "On finding ranked assignments with application to multitarget tracking and motion
// correspondence", IEEE TAES 31(1), 1995). With W the total weight of all events and W_r that of
// the events left out, every marginal is within W_r / W of the exact one (|N_k/W_k - N/W| =
// |N_k W_r - N_r W_k| / (W_k W) <= W_r / W since N_k <= W_k, N_r <= W_r), and it is exact once k
// covers all events.
//
// Degenerate case: if every feasible event of a cluster has probability 0 (only possible when
// some Pd_t Pg = 1 and the cluster has fewer measurements than such tracks), the model has no
// answer; those tracks get beta(t, 0) = 1 (no update) and the stats count the cluster.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "tracking/assignment.h"

namespace hyperdef::tracking {

struct JpdaOptions {
  // Exact enumeration of a cluster stops after this many non-zero-probability joint events.
  std::int64_t max_exact_events = 100000;
  // Number of most probable joint events kept by the k-best fallback.
  int murty_hypotheses = 1000;
  // Throws std::invalid_argument naming the bad field.
  void Validate() const;
};

struct JpdaStats {
  int clusters = 0;                // clusters with at least one gated measurement
  int largest_cluster_tracks = 0;  // tracks in the largest cluster
  int approximated_clusters = 0;   // clusters solved by the k-best fallback
  int degenerate_clusters = 0;     // clusters with no event of non-zero probability
  std::int64_t events = 0;         // joint events summed over (exact and k-best), all clusters
};

// Reusable JPDA solver: buffers are kept between scans.
class JpdaSolver {
 public:
  explicit JpdaSolver(JpdaOptions options = {});

  // likelihood: T x M, L(t, j) = N(nu_tj; 0, S_t) (1/measurement-volume units) if measurement j
  //   is in track t's gate, exactly 0 otherwise; finite and >= 0.
  // pd: T detection probabilities in [0, 1]. pg: gate probability in (0, 1].
  // clutter_density: lambda > 0, false measurements per unit measurement volume (same units as
  //   1 / L).
  // Returns beta, T x (1 + M): column 0 "no measurement", column 1 + j measurement j; rows sum to
  // 1. The reference stays valid until the next Solve. Throws std::invalid_argument on bad input.
  const Eigen::MatrixXd& Solve(const Eigen::MatrixXd& likelihood, const std::vector<double>& pd,
                               double pg, double clutter_density);
  const JpdaStats& stats() const { return stats_; }

 private:
  void SolveCluster();
  void Enumerate(int k, double weight);
  void Accumulate(double weight);
  bool SolveClusterKBest();

  JpdaOptions options_;
  JpdaStats stats_;
  Eigen::MatrixXd beta_;
  Eigen::MatrixXd factor_;  // T x (1 + M): scaled event factors
  // Current cluster.
  std::vector<int> cl_tracks_, cl_meas_;
  std::vector<int> gated_start_, gated_;  // CSR: per cluster track, its gated measurements
  std::vector<int> choice_;               // per cluster track: 0 missed, 1 + j measurement j
  std::vector<char> meas_used_;
  Eigen::MatrixXd cl_beta_;  // cluster tracks x (1 + M), unnormalised
  double cl_total_ = 0.0;
  std::int64_t cl_events_ = 0;
  bool aborted_ = false;
  // Cluster search.
  std::vector<int> track_cluster_, meas_cluster_, stack_;
};

// One-shot convenience wrapper around JpdaSolver.
Eigen::MatrixXd JpdaMarginals(const Eigen::MatrixXd& likelihood, const std::vector<double>& pd,
                              double pg, double clutter_density, const JpdaOptions& options = {});

}  // namespace hyperdef::tracking
