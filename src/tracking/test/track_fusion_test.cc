#include "tracking/track_fusion.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/random.h"

namespace hyperdef::tracking {
namespace {

using Source = std::pair<int, int>;
using Sources = std::vector<Source>;

StateMatrix Diag6(double a, double b, double c, double d, double e, double f) {
  StateVector v(6);
  v << a, b, c, d, e, f;
  return v.asDiagonal();
}

// A target in low Earth orbit-like motion; targets are offset along x.
StateVector Truth(double offset_m) {
  StateVector x(6);
  x << 7.0e6 + offset_m, 1.0e5, 2.0e5, 10.0, 7000.0, 500.0;
  return x;
}

LocalTrack Make(int node, int local_id, const StateVector& x, const StateMatrix& P,
                double t_s = 0.0) {
  LocalTrack tr;
  tr.node = node;
  tr.local_id = local_id;
  tr.rv.x = x;
  tr.rv.P = P;
  tr.rv.t_s = t_s;
  return tr;
}

// Position sigma 10 m, velocity sigma 1 m/s per axis.
StateMatrix SmallP() { return Diag6(100.0, 100.0, 100.0, 1.0, 1.0, 1.0); }

StateVector Shift(const StateVector& x, double dx_m) {
  StateVector y = x;
  y(0) += dx_m;
  return y;
}

// Monte Carlo with errors correlated between nodes: node k's estimate of target t is
// x_t + c_t + e_kt, c_t ~ N(0, Pc) common to all nodes (common process noise / shared prior), e_kt
// ~ N(0, Q_k) private. Each node reports its marginal P_k = Pc + Q_k only. Checks: association
// (one system track per target holding each node's track of it), stable ids over the draws,
// fused trace <= every member's, and the fused NEES. The naive fusion that assumes independent
// errors, P = (sum P_k^-1)^-1, fails the same NEES test, so the test has power.
void RunCorrelatedMonteCarlo(int nodes) {
  const StateMatrix Pc = Diag6(100.0, 100.0, 100.0, 4.0, 4.0, 4.0);
  const std::vector<StateMatrix> Q = {Diag6(50.0, 300.0, 100.0, 2.0, 8.0, 3.0),
                                      Diag6(300.0, 50.0, 100.0, 8.0, 2.0, 3.0),
                                      Diag6(150.0, 150.0, 20.0, 5.0, 5.0, 1.0)};
  const int kTargets = 2, kDraws = 300;
  const std::vector<double> offsets = {0.0, 50.0e3};  // 50 km apart: ~ 2000 sigma
  core::RandomStream rng(11, static_cast<std::uint64_t>(nodes), "t2t", "correlated-mc");
  const StateMatrix Lc = Eigen::LLT<StateMatrix>(Pc).matrixL();
  std::vector<StateMatrix> L, P;
  for (int k = 0; k < nodes; ++k) {
    L.push_back(Eigen::LLT<StateMatrix>(Q[k]).matrixL());
    P.push_back(Pc + Q[k]);
  }
  StateMatrix Ynaive = StateMatrix::Zero(6, 6);
  for (int k = 0; k < nodes; ++k) Ynaive += P[k].inverse();
  const StateMatrix Pnaive = Ynaive.inverse();

  const auto normal6 = [&rng]() {
    StateVector n(6);
    for (int i = 0; i < 6; ++i) n(i) = rng.Normal();
    return n;
  };
  TrackFusion fusion;
  double nees = 0.0, nees_naive = 0.0;
  for (int draw = 0; draw < kDraws; ++draw) {
    const double t_s = 10.0 * draw;
    std::vector<LocalTrack> tracks;
    for (int t = 0; t < kTargets; ++t) {
      const StateVector c = Lc * normal6();
      for (int k = 0; k < nodes; ++k) {
        const StateVector x = Truth(offsets[t]) + c + L[k] * normal6();
        tracks.push_back(Make(k + 1, 10 * (k + 1) + t, x, P[k], t_s));
      }
    }
    const std::vector<SystemTrack> sys = fusion.Fuse(t_s, tracks);
    ASSERT_EQ(sys.size(), 2u) << "draw " << draw;
    for (int t = 0; t < kTargets; ++t) {
      const SystemTrack& s = sys[t];
      // Ids 1 and 2 from the first draw on: the local ids persist, so do the system ids.
      EXPECT_EQ(s.id, t + 1);
      Sources expected;
      for (int k = 0; k < nodes; ++k) expected.push_back({k + 1, 10 * (k + 1) + t});
      ASSERT_EQ(s.sources, expected) << "draw " << draw;
      EXPECT_EQ(s.rv.t_s, t_s);
      for (int k = 0; k < nodes; ++k) {
        // CI returns an input or strictly improves on it; 1e-12 relative for round-off.
        EXPECT_LE(s.rv.P.trace(), P[k].trace() * (1.0 + 1e-12));
      }
      const StateVector e = s.rv.x - Truth(offsets[t]);
      nees += e.dot(s.rv.P.ldlt().solve(e));
      StateVector yn = StateVector::Zero(6);
      for (const LocalTrack& tr : tracks) {
        if (tr.local_id % 10 == t) yn += tr.rv.P.ldlt().solve(tr.rv.x);
      }
      const StateVector en = Pnaive * yn - Truth(offsets[t]);
      nees_naive += en.dot(Pnaive.ldlt().solve(en));
    }
  }
  // A consistent-or-conservative fused covariance gives NEES with mean <= 6: the sample mean of
  // N = 600 draws against the upper 99.5 % point of chi2(6 N) / N (~ 6.4). (The CI weights
  // depend on the covariances only, so the expected NEES is tr(P^-1 Sigma) with Sigma the true
  // fused-error covariance: 4.34 for two nodes, 4.42 for three, computed offline with numpy;
  // the naive fusion's is ~ 8.7 and ~ 12.2.)
  const int n = kTargets * kDraws;
  const double upper = boost::math::quantile(boost::math::chi_squared(6.0 * n), 0.995) / n;
  EXPECT_LT(nees / n, upper);
  EXPECT_GT(nees_naive / n, upper);  // ~ 8-9: overconfident under the common error
  EXPECT_EQ(fusion.IdsIssued(), 2);
}

TEST(TrackFusion, TwoNodesTwoTargetsCorrelatedErrorsConsistent) { RunCorrelatedMonteCarlo(2); }

TEST(TrackFusion, ThreeNodesTwoTargetsCorrelatedErrorsConsistent) { RunCorrelatedMonteCarlo(3); }

TEST(TrackFusion, ThreeNodesWithPartialCoverage) {
  // Node 1 sees targets A, B; node 2 sees B, C; node 3 sees A, B, C (targets 20 km apart).
  // Node 3's track of C must join the system track node 2 started, not a new one.
  const StateVector a = Truth(0.0), b = Truth(20e3), c = Truth(40e3);
  const StateMatrix P1 = SmallP(), P2 = 2.0 * SmallP(), P3 = Diag6(400, 50, 50, 2, 0.5, 0.5);
  const std::vector<LocalTrack> tracks = {
      Make(1, 1, Shift(a, 5.0), P1),  Make(1, 2, Shift(b, -4.0), P1), Make(2, 7, Shift(b, 8.0), P2),
      Make(2, 8, Shift(c, -3.0), P2), Make(3, 4, Shift(c, 12.0), P3), Make(3, 5, Shift(b, 1.0), P3),
      Make(3, 6, Shift(a, -9.0), P3),
  };
  TrackFusion fusion;
  const std::vector<SystemTrack> sys = fusion.Fuse(0.0, tracks);
  ASSERT_EQ(sys.size(), 3u);
  // Ids in the order the groups were founded: (1,1) -> A, (1,2) -> B, (2,8) -> C.
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 1}, {3, 6}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 2}, {2, 7}, {3, 5}}));
  EXPECT_EQ(sys[2].id, 3);
  EXPECT_EQ(sys[2].sources, (Sources{{2, 8}, {3, 4}}));
  const StateVector truth[3] = {a, b, c};
  for (int s = 0; s < 3; ++s) {
    for (const Source& src : sys[s].sources) {
      for (const LocalTrack& tr : tracks) {
        if (tr.node == src.first && tr.local_id == src.second) {
          // 1e-12 relative: round-off of the CI inverse.
          EXPECT_LE(sys[s].rv.P.trace(), tr.rv.P.trace() * (1.0 + 1e-12));
        }
      }
    }
    // The fused position lies within the members' spread (<= 12 m from the truth here).
    EXPECT_LE((sys[s].rv.x - truth[s]).head<3>().norm(), 12.0 + 1e-9);
  }
}

TEST(TrackFusion, FarTrackStaysItsOwnSystemTrackUnchanged) {
  const StateVector x = Truth(0.0);
  const std::vector<LocalTrack> tracks = {
      Make(1, 1, x, SmallP(), 3.0), Make(2, 1, Shift(x, 3.0), SmallP(), 3.0),
      // 2 km away with sigma 10 m: D^2 ~ 2e4, far beyond the gate (~ 22.5).
      Make(3, 1, Shift(x, 2000.0), SmallP(), 3.0)};
  TrackFusion fusion;
  const std::vector<SystemTrack> sys = fusion.Fuse(3.0, tracks);
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 1}, {2, 1}}));
  EXPECT_EQ(sys[1].sources, (Sources{{3, 1}}));
  // A single-member system track is its input, exactly.
  EXPECT_EQ(sys[1].rv.x, tracks[2].rv.x);
  EXPECT_EQ(sys[1].rv.P, tracks[2].rv.P);
  EXPECT_EQ(sys[1].rv.t_s, 3.0);
  // Gate = chi-square(6) 99.9 % point = 22.458 (tables, e.g. Abramowitz & Stegun 26.8).
  EXPECT_NEAR(fusion.Gate(), 22.458, 1e-3);
}

TEST(TrackFusion, IdsPersistAndNewTargetGetsNewId) {
  const StateVector x = Truth(0.0), y = Truth(30e3);
  TrackFusion fusion;
  auto sys = fusion.Fuse(0.0, {Make(1, 1, x, SmallP()), Make(2, 1, Shift(x, 2.0), SmallP())});
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0].id, 1);
  // Node 1 picks up a second target: a new id.
  sys = fusion.Fuse(1.0, {Make(1, 1, x, SmallP(), 1.0), Make(2, 1, Shift(x, 2.0), SmallP(), 1.0),
                          Make(1, 2, y, SmallP(), 1.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 1}, {2, 1}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 2}}));
  // Node 2 picks it up too (new local id 5): it joins system track 2, no new id.
  sys = fusion.Fuse(2.0, {Make(1, 1, x, SmallP(), 2.0), Make(2, 1, Shift(x, 2.0), SmallP(), 2.0),
                          Make(1, 2, y, SmallP(), 2.0), Make(2, 5, Shift(y, -3.0), SmallP(), 2.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 2}, {2, 5}}));
  // Node 1 drops its track of x; node 2's keeps system id 1 alone.
  sys = fusion.Fuse(3.0, {Make(2, 1, Shift(x, 2.0), SmallP(), 3.0), Make(1, 2, y, SmallP(), 3.0),
                          Make(2, 5, Shift(y, -3.0), SmallP(), 3.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{2, 1}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(fusion.IdsIssued(), 2);
}

TEST(TrackFusion, MergeKeepsTheOlderIdAndSplitGivesANewOne) {
  const StateVector x = Truth(0.0);
  TrackFusion fusion;
  // Node 2's track is first: id 1.
  auto sys = fusion.Fuse(0.0, {Make(2, 7, x, SmallP())});
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0].id, 1);
  // Node 1's track appears 500 m off (D^2 = 500^2 / 200 >> gate): its own system track, id 2.
  sys =
      fusion.Fuse(1.0, {Make(1, 3, Shift(x, 500.0), SmallP(), 1.0), Make(2, 7, x, SmallP(), 1.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{2, 7}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 3}}));
  // Node 1's track converges on the target: the two merge. Node 1 founds the group (nodes are
  // taken in order), but the older id, 1, survives.
  for (int call = 2; call < 4; ++call) {
    const double t = call;
    sys = fusion.Fuse(t, {Make(1, 3, Shift(x, 4.0), SmallP(), t), Make(2, 7, x, SmallP(), t)});
    ASSERT_EQ(sys.size(), 1u);
    EXPECT_EQ(sys[0].id, 1);
    EXPECT_EQ(sys[0].sources, (Sources{{1, 3}, {2, 7}}));
  }
  // Node 2's track leaves the gate: a split. One source each, so the tie goes to the group with
  // the smaller source, (1, 3), which keeps id 1; node 2's track gets a new id (2 is retired).
  sys =
      fusion.Fuse(4.0, {Make(1, 3, x, SmallP(), 4.0), Make(2, 7, Shift(x, 800.0), SmallP(), 4.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 3}}));
  EXPECT_EQ(sys[1].id, 3);
  EXPECT_EQ(sys[1].sources, (Sources{{2, 7}}));
}

TEST(TrackFusion, SplitIdGoesToTheGroupWithMoreSources) {
  const StateVector x = Truth(0.0);
  TrackFusion fusion;
  auto sys =
      fusion.Fuse(0.0, {Make(1, 1, x, SmallP()), Make(2, 1, x, SmallP()), Make(3, 1, x, SmallP())});
  ASSERT_EQ(sys.size(), 1u);
  // Node 1's track (the smallest source) leaves; nodes 2 and 3 stay together and keep id 1.
  sys = fusion.Fuse(1.0, {Make(1, 1, Shift(x, 900.0), SmallP(), 1.0), Make(2, 1, x, SmallP(), 1.0),
                          Make(3, 1, Shift(x, 1.0), SmallP(), 1.0)});
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{2, 1}, {3, 1}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 1}}));
}

TEST(TrackFusion, ContinuityBeatsACloserSwapInsideTheGate) {
  const StateVector p = Truth(0.0);
  TrackFusion fusion;
  // Two targets 5 km apart, both nodes agree.
  auto sys = fusion.Fuse(0.0, {Make(1, 1, p, SmallP()), Make(1, 2, Shift(p, 5e3), SmallP()),
                               Make(2, 1, p, SmallP()), Make(2, 2, Shift(p, 5e3), SmallP())});
  ASSERT_EQ(sys.size(), 2u);
  // The targets cross: node 2's tracks now sit on node 1's other track. The continuing pairs
  // have D^2 = 40^2 / 200 = 8 < gate 22.5; the swapped pairs D^2 = 0.
  const std::vector<LocalTrack> crossing = {
      Make(1, 1, p, SmallP(), 1.0), Make(1, 2, Shift(p, 40.0), SmallP(), 1.0),
      Make(2, 1, Shift(p, 40.0), SmallP(), 1.0), Make(2, 2, p, SmallP(), 1.0)};
  sys = fusion.Fuse(1.0, crossing);
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].id, 1);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 1}, {2, 1}}));
  EXPECT_EQ(sys[1].id, 2);
  EXPECT_EQ(sys[1].sources, (Sources{{1, 2}, {2, 2}}));
  // Without history, GNN takes the swapped (closer) pairing: the test above has power.
  TrackFusion fresh;
  sys = fresh.Fuse(1.0, crossing);
  ASSERT_EQ(sys.size(), 2u);
  EXPECT_EQ(sys[0].sources, (Sources{{1, 1}, {2, 2}}));
  EXPECT_EQ(sys[1].sources, (Sources{{1, 2}, {2, 1}}));
}

TEST(TrackFusion, OutputIndependentOfInputOrder) {
  // Three nodes, four targets (two of them close, 30 m apart, so the association is not
  // trivial), jittered, over a sequence of calls; one fusion sees the canonical order, the other
  // a random permutation each call. The outputs must be identical, bit for bit.
  core::RandomStream rng(12, 0, "t2t", "order");
  const std::vector<double> offsets = {0.0, 30.0, 10e3, 25e3};
  TrackFusion ordered, shuffled;
  for (int call = 0; call < 5; ++call) {
    const double t = call;
    std::vector<LocalTrack> tracks;
    for (int node = 1; node <= 3; ++node) {
      for (int tgt = 0; tgt < 4; ++tgt) {
        if ((node + tgt + call) % 5 == 0) continue;  // coverage varies
        const StateMatrix P = (1.0 + 0.5 * node) * SmallP();
        StateVector x = Truth(offsets[tgt]);
        for (int i = 0; i < 6; ++i) x(i) += std::sqrt(P(i, i)) * rng.Normal();
        tracks.push_back(Make(node, 100 * node + tgt, x, P, t));
      }
    }
    std::vector<LocalTrack> perm = tracks;
    for (int i = static_cast<int>(perm.size()) - 1; i > 0; --i) {
      const int j = static_cast<int>(rng.Uniform() * (i + 1));
      std::swap(perm[i], perm[j]);
    }
    const std::vector<SystemTrack> a = ordered.Fuse(t, tracks);
    const std::vector<SystemTrack> b = shuffled.Fuse(t, perm);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GE(a.size(), 3u);  // the two far targets are apart from everything
    for (size_t s = 0; s < a.size(); ++s) {
      EXPECT_EQ(a[s].id, b[s].id);
      EXPECT_EQ(a[s].sources, b[s].sources);
      EXPECT_EQ(a[s].rv.x, b[s].rv.x);  // exact: same operations in the same order
      EXPECT_EQ(a[s].rv.P, b[s].rv.P);
      if (s > 0) {
        EXPECT_LT(a[s - 1].id, a[s].id);
      }
    }
  }
}

TEST(TrackFusion, EmptyInput) {
  TrackFusion fusion;
  EXPECT_TRUE(fusion.Fuse(0.0, {}).empty());
  EXPECT_EQ(fusion.IdsIssued(), 0);
}

TEST(TrackFusion, ConfigValidation) {
  for (double p : {0.0, 1.0, -0.1, std::numeric_limits<double>::quiet_NaN()}) {
    TrackFusionConfig c;
    c.gate_probability = p;
    try {
      TrackFusion f(c);
      ADD_FAILURE() << "accepted gate_probability " << p;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("gate_probability"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(TrackFusion(TrackFusionConfig{0.99}));
}

TEST(TrackFusion, BadTracksAreInvariantErrors) {
  const StateVector x = Truth(0.0);
  TrackFusion fusion;
  // Duplicate source.
  EXPECT_THROW(fusion.Fuse(0.0, {Make(1, 1, x, SmallP()), Make(1, 1, x, SmallP())}),
               core::InvariantError);
  // Wrong time.
  EXPECT_THROW(fusion.Fuse(0.0, {Make(1, 1, x, SmallP(), 1.0)}), core::InvariantError);
  // Not 6-state.
  StateVector x9 = StateVector::Zero(9);
  EXPECT_THROW(fusion.Fuse(0.0, {Make(1, 1, x9, StateMatrix::Identity(9, 9))}),
               core::InvariantError);
  // Not positive definite.
  EXPECT_THROW(fusion.Fuse(0.0, {Make(1, 1, x, -SmallP())}), core::InvariantError);
}

}  // namespace
}  // namespace hyperdef::tracking
