// Track-to-track fusion for distributed tracking nodes: each node (a regional tracker, a ship,
// a ground station) runs its own tracker and reports its local tracks; a fusion centre turns
// them into system tracks. Within a node, measurements are fused centrally (tracker.h); across
// nodes only tracks travel, and their errors are correlated in a way no one knows (common
// process noise, a common prior, shared sensors, earlier fused tracks fed back), so the fusion
// must stay consistent whatever that correlation is.
//
// Association (Bar-Shalom 1981, "On the track-to-track correlation problem", IEEE Trans.
// Automatic Control 26(2); Bar-Shalom & Campo 1986, "The effect of the common process noise on
// the two-sensor fused-track covariance", IEEE Trans. AES 22(6); Blackman & Popoli 1999, on
// track-to-track association and fusion). Two tracks a, b of one target at one time differ
// by d = x_a - x_b with covariance P_a + P_b - P_ab - P_ba. The cross-covariance P_ab is unknown
// here and taken as zero: the test statistic is
//
//   D^2 = d' (P_a + P_b)^-1 d,   same target  <=>  D^2 <= gamma = F^-1_{chi2(6)}(P_G).
//
// With the usual positive correlation of two trackers' errors (common process noise) the true
// difference covariance is smaller than P_a + P_b, so this gate is wider than the exact one:
// it keeps the target's pair at least with probability P_G, at the price of more competitors.
//
// Nodes are taken in increasing node number (sequential GNN): the first node's tracks seed the
// system tracks; each further node's tracks are assigned, by global nearest neighbour (SolveGnn,
// assignment.h) on D^2 against the current fused system estimates, to at most one system track
// each, and a system track takes at most one track per node; a track left over starts a new system
// track. Continuity comes first: a local track whose source (node, local id) belonged, in the
// previous call, to the same system track as a member of the candidate keeps that pairing whenever
// it passes the gate, even if another in-gate pairing has a smaller D^2 (lexicographic cost: the
// number of continuing pairs is maximised first, then the sum of D^2). Outside the gate a track
// always leaves.
//
// Fusion (Julier & Uhlmann 1997, covariance_intersection.h): as each track joins a system
// track, the system estimate becomes CI(system, track). CI of two estimates is consistent for
// any cross-covariance consistent with their marginals; the fused estimate is itself a
// consistent estimate whose correlation with the next node's track is again unknown, so the
// sequential chain is consistent whatever the correlations. Unrolled, it is a batch CI,
// P^-1 = sum_k w_k P_k^-1 with weights on the simplex, whose weights are chosen greedily one
// node at a time instead of jointly: its trace may exceed the batch optimum a little, but it
// needs only the scalar search of covariance_intersection.h.
// Each CI step minimises the trace and returns an input when that is best, so the fused trace
// is <= every member's.
//
// Identity. Each call remembers the system id of every source (node, local id). A new group's
// id is the smallest (oldest) previous id among its sources — so when previously separate
// system tracks merge, the older id survives, and an id lives on while any of its sources
// continues. If a track splits, its id goes to the group holding more of its sources (ties:
// the group with the smallest source (node, local id)); the others take their next oldest
// claim, or a new id. Ids are never reused. A source absent from one call loses its memory.
//
// Determinism: the input is sorted by (node, local id) first, so the output (sorted by system
// id, sources sorted by (node, local id)) does not depend on the input order, bit for bit.
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "tracking/assignment.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

// One node's track, predicted to the fusion time: 6-state (r, v) in the tracking frame.
struct LocalTrack {
  int node = 0;
  int local_id = 0;  // the node's track id; unique within the node
  Gaussian rv;
};

// A fused track: 6-state (r, v) and the local tracks (node, local id) it was made from, sorted.
struct SystemTrack {
  int id = 0;
  Gaussian rv;
  std::vector<std::pair<int, int>> sources;
};

struct TrackFusionConfig {
  // Chi-square gate on the 6-state difference D^2 (6 degrees of freedom).
  double gate_probability = 0.999;
  // Throws std::invalid_argument naming the bad field.
  void Validate() const;
};

class TrackFusion {
 public:
  explicit TrackFusion(TrackFusionConfig config = {});

  // Fuses the nodes' tracks at t_s (see header comment). Each track must be 6-state with a
  // positive definite covariance, at t_s (within 1e-9 s), and (node, local id) pairs must be
  // distinct: caller invariants (core::InvariantError). Returns the system tracks sorted by id.
  std::vector<SystemTrack> Fuse(double t_s, const std::vector<LocalTrack>& tracks);

  const TrackFusionConfig& Config() const { return config_; }
  double Gate() const { return gate_; }  // gamma, the chi-square(6) threshold on D^2
  // Number of system ids issued so far (ids run 1, 2, ...).
  int IdsIssued() const { return next_id_ - 1; }

 private:
  TrackFusionConfig config_;
  double gate_ = 0.0;
  std::map<std::pair<int, int>, int> previous_id_;  // (node, local id) -> system id, last call
  int next_id_ = 1;
  AssignmentSolver solver_;
};

}  // namespace hyperdef::tracking
