// JPDA marginals against the single-target PDA closed form, symmetry, and brute-force
// enumeration of every joint event of the whole (unclustered) problem; the k-best fallback
// against its error bound.
#include "tracking/jpda.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/random.h"

namespace hyperdef::tracking {
namespace {

// All joint events of the whole problem, straight from the definition in jpda.h (no clusters,
// no scaling): weight and each track's choice (0 missed, 1 + j measurement j).
struct Event {
  double weight;
  std::vector<int> choice;
};

std::vector<Event> AllEvents(const Eigen::MatrixXd& L, const std::vector<double>& pd, double pg,
                             double lambda) {
  const int T = static_cast<int>(L.rows());
  const int M = static_cast<int>(L.cols());
  std::vector<Event> events;
  std::vector<int> choice(T, 0);
  std::vector<char> used(M, 0);
  std::function<void(int, double)> rec = [&](int t, double w) {
    if (t == T) {
      events.push_back({w, choice});
      return;
    }
    choice[t] = 0;
    rec(t + 1, w * (1.0 - pd[t] * pg));
    for (int j = 0; j < M; ++j) {
      if (used[j] || L(t, j) <= 0.0) continue;
      used[j] = 1;
      choice[t] = 1 + j;
      rec(t + 1, w * pd[t] * L(t, j) / lambda);
      used[j] = 0;
    }
  };
  rec(0, 1.0);
  return events;
}

Eigen::MatrixXd BruteForceBeta(const std::vector<Event>& events, int T, int M) {
  Eigen::MatrixXd beta = Eigen::MatrixXd::Zero(T, 1 + M);
  double total = 0.0;
  for (const Event& e : events) {
    total += e.weight;
    for (int t = 0; t < T; ++t) beta(t, e.choice[t]) += e.weight;
  }
  return beta / total;
}

void ExpectRowsSumToOne(const Eigen::MatrixXd& beta) {
  for (int t = 0; t < beta.rows(); ++t) {
    EXPECT_NEAR(beta.row(t).sum(), 1.0, 1e-13) << "row " << t;  // normalised sums: rounding
    EXPECT_GE(beta.row(t).minCoeff(), 0.0);
  }
}

Eigen::MatrixXd RandomLikelihoods(core::RandomStream& rng, int T, int M, double p_gated) {
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(T, M);
  for (int t = 0; t < T; ++t) {
    for (int j = 0; j < M; ++j) {
      if (rng.Uniform() < p_gated) L(t, j) = rng.Uniform(1e-9, 1e-6);  // like N(nu; 0, S) in m^-3
    }
  }
  return L;
}

// One track: JPDA is the PDA, beta_j = e_j / (1 - Pd Pg + sum e_i), e_j = Pd L_j / lambda
// (Bar-Shalom, Daum & Huang 2009).
TEST(Jpda, OneTrackIsThePdaClosedForm) {
  Eigen::MatrixXd L(1, 4);
  L << 2e-7, 0.0, 5e-8, 1e-6;
  const double pd = 0.9, pg = 0.99, lambda = 1e-7;
  const Eigen::MatrixXd beta = JpdaMarginals(L, {pd}, pg, lambda);
  double denom = 1.0 - pd * pg;
  for (int j = 0; j < 4; ++j) denom += pd * L(0, j) / lambda;
  // Same few operations in another order: 1e-14 relative.
  EXPECT_NEAR(beta(0, 0), (1.0 - pd * pg) / denom, 1e-14);
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(beta(0, 1 + j), pd * L(0, j) / lambda / denom, 1e-14);
  EXPECT_EQ(beta(0, 2), 0.0);  // not gated: exactly zero
  ExpectRowsSumToOne(beta);
}

TEST(Jpda, TwoTracksSharingMeasurementsSymmetric) {
  Eigen::MatrixXd L(2, 3);
  L << 3e-7, 1e-7, 2e-8,  //
      1e-7, 3e-7, 2e-8;   // track 1 is track 0 mirrored in measurements 0 <-> 1
  JpdaSolver solver;
  const Eigen::MatrixXd beta = solver.Solve(L, {0.8, 0.8}, 0.997, 5e-8);
  ExpectRowsSumToOne(beta);
  // The problem maps onto itself under (track 0 <-> 1, meas 0 <-> 1): products of the same
  // factors in another order, so equal to rounding.
  EXPECT_NEAR(beta(0, 0), beta(1, 0), 1e-15);
  EXPECT_NEAR(beta(0, 1), beta(1, 2), 1e-15);
  EXPECT_NEAR(beta(0, 2), beta(1, 1), 1e-15);
  EXPECT_NEAR(beta(0, 3), beta(1, 3), 1e-15);
  // Sharing matters: measurement 1, likelier track 1's, is "explained away" for track 0 (its
  // beta drops below the lone-track PDA value) and track 0's own best measurement gains.
  const Eigen::MatrixXd alone = JpdaMarginals(L.topRows(1), {0.8}, 0.997, 5e-8);
  EXPECT_LT(beta(0, 2), alone(0, 2) - 0.05) << alone;
  EXPECT_GT(beta(0, 1), alone(0, 1) + 0.05) << alone;
  EXPECT_EQ(solver.stats().clusters, 1);
  EXPECT_EQ(solver.stats().approximated_clusters, 0);
  // 2 tracks x {miss, 3 measurements} without sharing: 1 + 3 + 3 + 3 * 2 = 13 events.
  EXPECT_EQ(solver.stats().events, 13);
}

TEST(Jpda, MatchesBruteForceOnRandomCases) {
  core::RandomStream rng(9, 0, "jpda_test", "brute");
  JpdaSolver solver;  // reused: buffers must not carry state between scans
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int T = 1 + static_cast<int>(rng.Bits() % 5);
    const int M = static_cast<int>(rng.Bits() % 6);
    const Eigen::MatrixXd L = RandomLikelihoods(rng, T, M, rng.Uniform(0.2, 0.8));
    std::vector<double> pd(T);
    for (double& p : pd) p = rng.Uniform(0.5, 1.0);
    if (trial % 7 == 0) pd[0] = 1.0;  // Pd Pg close to 1
    const double pg = trial % 5 == 0 ? 1.0 : rng.Uniform(0.9, 0.9999);
    const double lambda = std::exp(rng.Uniform(std::log(1e-9), std::log(1e-5)));
    const Eigen::MatrixXd expected = BruteForceBeta(AllEvents(L, pd, pg, lambda), T, M);
    if (!std::isfinite(expected.sum())) continue;  // a degenerate draw (tested separately)
    const Eigen::MatrixXd beta = solver.Solve(L, pd, pg, lambda);
    ASSERT_EQ(beta.rows(), T);
    ASSERT_EQ(beta.cols(), 1 + M);
    ExpectRowsSumToOne(beta);
    // Clustering and row scaling reorder products and sums of positive terms: 1e-12 absolute
    // on probabilities (a few hundred events at most).
    EXPECT_LT((beta - expected).cwiseAbs().maxCoeff(), 1e-12) << "trial " << trial << "\n" << L;
    ++checked;
  }
  EXPECT_GT(checked, 280);
}

TEST(Jpda, SeparateClustersAreIndependent) {
  core::RandomStream rng(10, 0, "jpda_test", "clusters");
  const Eigen::MatrixXd A = RandomLikelihoods(rng, 3, 3, 0.9);
  const Eigen::MatrixXd B = RandomLikelihoods(rng, 2, 2, 0.9);
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(6, 5);
  L.topLeftCorner(3, 3) = A;
  L.block(3, 3, 2, 2) = B;  // track 5 gates nothing
  const std::vector<double> pd{0.9, 0.8, 0.7, 0.95, 0.6, 0.9};
  JpdaSolver solver;
  const Eigen::MatrixXd beta = solver.Solve(L, pd, 0.99, 1e-7);
  const Eigen::MatrixXd ba = JpdaMarginals(A, {0.9, 0.8, 0.7}, 0.99, 1e-7);
  const Eigen::MatrixXd bb = JpdaMarginals(B, {0.95, 0.6}, 0.99, 1e-7);
  EXPECT_LT((beta.topLeftCorner(3, 4) - ba).cwiseAbs().maxCoeff(), 1e-15);  // same arithmetic
  EXPECT_LT((beta.block(3, 0, 2, 1) - bb.col(0)).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_LT((beta.block(3, 4, 2, 2) - bb.rightCols(2)).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_EQ(beta(5, 0), 1.0);
  EXPECT_EQ(beta.row(5).tail(5).cwiseAbs().sum(), 0.0);
  EXPECT_EQ(solver.stats().clusters, 2);
  EXPECT_EQ(solver.stats().largest_cluster_tracks, 3);
}

// Scaling every likelihood and lambda by 1e-200 changes no probability (the per-track scaling
// keeps the event products in range; unscaled they would underflow to 0).
TEST(Jpda, ExtremeScalesDoNotUnderflow) {
  core::RandomStream rng(12, 0, "jpda_test", "scale");
  const Eigen::MatrixXd L = RandomLikelihoods(rng, 4, 4, 0.8);
  const std::vector<double> pd{0.9, 0.9, 0.8, 0.7};
  const Eigen::MatrixXd ref = JpdaMarginals(L, pd, 0.99, 1e-7);
  const Eigen::MatrixXd tiny = JpdaMarginals(L * 1e-200, pd, 0.99, 1e-207);
  EXPECT_LT((tiny - ref).cwiseAbs().maxCoeff(), 1e-12);  // ratios L / lambda equal to rounding
  // And lambda so small that Pd L / lambda overflows: the log-domain path; measurements win.
  const Eigen::MatrixXd huge = JpdaMarginals(L, pd, 0.99, 1e-320);
  ExpectRowsSumToOne(huge);
  const Eigen::MatrixXd near_zero = JpdaMarginals(L, pd, 0.99, 1e-30);
  EXPECT_LT((huge - near_zero).cwiseAbs().maxCoeff(), 1e-9);  // both: clutter-free limit
}

// The k-best fallback: exact once k covers every event, and otherwise within the left-out
// probability fraction W_r / W of the exact marginals (bound derived in jpda.h).
TEST(Jpda, KBestFallback) {
  core::RandomStream rng(13, 0, "jpda_test", "kbest");
  int bounded = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const int T = 4 + trial % 3;
    const int M = 4 + trial % 4;
    const Eigen::MatrixXd L = RandomLikelihoods(rng, T, M, 0.7);
    std::vector<double> pd(T);
    for (double& p : pd) p = rng.Uniform(0.6, 0.99);
    const double pg = 0.999, lambda = 3e-8;
    std::vector<Event> events = AllEvents(L, pd, pg, lambda);
    const Eigen::MatrixXd exact = BruteForceBeta(events, T, M);

    JpdaOptions all;
    all.max_exact_events = 1;  // force the fallback
    all.murty_hypotheses = static_cast<int>(events.size()) + 5;
    JpdaSolver s_all(all);
    const Eigen::MatrixXd b_all = s_all.Solve(L, pd, pg, lambda);
    EXPECT_GE(s_all.stats().approximated_clusters, 1);
    // All events found: only summation order differs.
    EXPECT_LT((b_all - exact).cwiseAbs().maxCoeff(), 1e-12) << "trial " << trial;

    JpdaOptions few = all;
    few.murty_hypotheses = 25;
    JpdaSolver s_few(few);
    const Eigen::MatrixXd b_few = s_few.Solve(L, pd, pg, lambda);
    ExpectRowsSumToOne(b_few);
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return a.weight > b.weight; });
    double total = 0.0, kept = 0.0;
    for (std::size_t e = 0; e < events.size(); ++e) {
      total += events[e].weight;
      // The fallback works per cluster; with one cluster its k best are the global k best.
      if (e < 25) kept += events[e].weight;
    }
    if (s_few.stats().clusters != 1) continue;
    const double left_out = 1.0 - kept / total;
    EXPECT_LE((b_few - exact).cwiseAbs().maxCoeff(), left_out + 1e-12) << "trial " << trial;
    EXPECT_GT((b_few - exact).cwiseAbs().maxCoeff(), 0.0);  // it is an approximation here
    ++bounded;
  }
  EXPECT_GE(bounded, 10);  // most draws form one cluster
}

TEST(Jpda, DegenerateClusterAndValidation) {
  // Two certain detections (Pd Pg = 1) but one measurement: no event has probability > 0.
  Eigen::MatrixXd L(2, 1);
  L << 1e-6, 1e-6;
  JpdaSolver solver;
  const Eigen::MatrixXd beta = solver.Solve(L, {1.0, 1.0}, 1.0, 1e-7);
  EXPECT_EQ(solver.stats().degenerate_clusters, 1);
  EXPECT_EQ(beta(0, 0), 1.0);
  EXPECT_EQ(beta(1, 0), 1.0);
  // Empty inputs.
  EXPECT_EQ(JpdaMarginals(Eigen::MatrixXd(0, 3), {}, 0.99, 1e-7).rows(), 0);
  EXPECT_EQ(JpdaMarginals(Eigen::MatrixXd(2, 0), {0.9, 0.9}, 0.99, 1e-7),
            Eigen::MatrixXd::Ones(2, 1));
  // Bad input.
  EXPECT_THROW(solver.Solve(L, {0.9}, 0.99, 1e-7), std::invalid_argument);
  EXPECT_THROW(solver.Solve(L, {0.9, 1.1}, 0.99, 1e-7), std::invalid_argument);
  EXPECT_THROW(solver.Solve(L, {0.9, 0.9}, 0.0, 1e-7), std::invalid_argument);
  EXPECT_THROW(solver.Solve(L, {0.9, 0.9}, 0.99, 0.0), std::invalid_argument);
  Eigen::MatrixXd bad = L;
  bad(1, 0) = -1.0;
  EXPECT_THROW(solver.Solve(bad, {0.9, 0.9}, 0.99, 1e-7), std::invalid_argument);
  bad(1, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(solver.Solve(bad, {0.9, 0.9}, 0.99, 1e-7), std::invalid_argument);
  JpdaOptions o;
  o.murty_hypotheses = 0;
  EXPECT_THROW(JpdaSolver{o}, std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::tracking
