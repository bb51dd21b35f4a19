// Linear planar engagement: validation against Zarchan's closed forms (Tactical and Strategic
// Missile Guidance, 6th ed. 2012; values as listed in ../shared/reference/README.md), the
// issue-5 criterion being 1e-3 relative.
//
// Zero crossings. The single-lag miss closed forms change sign as x = tF/T varies (N'=3 heading
// error at x = 2, N'=4 at x = 3 -+ sqrt(3), N'=4 step at x = 3, N'=5 step at x = 2 and 6, ...).
// Near a root any relative comparison is meaningless, so every comparison is
//   |miss - closed| <= 1e-3 |closed| + 1e-9 scale,
// with scale the unguided miss (|Vm HE tF| or |nT| tF^2 / 2). The absolute floor only bites
// within ~1e-6 relative of a root (or for x > 20 where the miss is < 1e-7 scale); elsewhere the
// test is the 1e-3 relative one. Separately, the integration error itself is pinned at
// 1e-10 scale (measured ~1e-13): the step is far below what the 1e-3 criterion needs.
#include "engagement/linear_engagement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "core/error.h"

namespace hyperdef::engagement {
namespace {

constexpr double kVm = 3000.0;  // m/s
constexpr double kHe = 0.1;     // rad (the model is linear: any value)
constexpr double kNt = 30.0;    // m/s^2
constexpr double kTf = 10.0;    // s

LinearEngagementParams Base(int n) {
  LinearEngagementParams p;
  p.navigation_ratio = n;
  p.interceptor_speed_mps = kVm;
  p.closing_speed_mps = 4000.0;
  p.flight_time_s = kTf;
  return p;
}

TEST(LinearEngagement, ZeroLagHeadingErrorCommandHistoryAndZeroMiss) {
  for (int n : {3, 4, 5}) {
    LinearEngagementParams p = Base(n);
    p.heading_error_rad = kHe;
    const LinearEngagementResult r = SimulateLinearEngagement(p);
    ASSERT_GT(r.history.size(), 1000u);
    int checked = 0;
    for (const LinearEngagementSample& s : r.history) {
      // Zarchan ch. 2: nc(t) = -(N' Vm HE / tF)(1 - t/tF)^(N'-2).
      const double closed = -(n * kVm * kHe / kTf) * std::pow(1.0 - s.t_s / kTf, n - 2);
      // 1e-3 relative is the criterion; it holds at every sample, even at tgo ~ 1e-9 tF
      // where the command is ~1e-27 of its start (measured worst: 4e-6 relative).
      ASSERT_NEAR(s.command_mps2, closed, 1e-3 * std::fabs(closed)) << "N'=" << n << " t=" << s.t_s;
      // No lag: the achieved acceleration is the command.
      ASSERT_EQ(s.achieved_mps2, s.command_mps2);
      ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(r.history.size()));
    // Zero miss: the ZEM decays like tgo^N', so at tgo = 1e-9 tF it is ~1e-27 of Vm HE tF.
    // Bound at 1e-12 of the unguided miss (round-off level).
    EXPECT_LT(std::fabs(r.miss_m), 1e-12 * kVm * kHe * kTf) << "N'=" << n;
  }
}

TEST(LinearEngagement, ZeroLagStepManeuverFinalCommand) {
  for (int n : {3, 4, 5}) {
    LinearEngagementParams p = Base(n);
    p.target_accel_mps2 = kNt;
    const LinearEngagementResult r = SimulateLinearEngagement(p);
    // Zarchan ch. 2: nc -> N'/(N'-2) nT as t -> tF (here at tgo = 1e-9 tF, where the exact
    // command differs from the limit by (1e-9)^(N'-2) relative). Issue tolerance 1e-3 relative;
    // measured 3e-7.
    const double limit = n / (n - 2.0) * kNt;
    EXPECT_NEAR(r.final_command_mps2, limit, 1e-3 * limit) << "N'=" << n;
    // The whole history: nc(t) = N'/(N'-2) nT (1 - (1 - t/tF)^(N'-2)), same tolerance, except
    // at t = 0 where it is 0 (absolute floor 1e-9 nT, far above the integration error).
    for (const LinearEngagementSample& s : r.history) {
      const double closed = limit * (1.0 - std::pow(1.0 - s.t_s / kTf, n - 2));
      ASSERT_NEAR(s.command_mps2, closed, 1e-3 * std::fabs(closed) + 1e-9 * kNt)
          << "N'=" << n << " t=" << s.t_s;
    }
    // The miss is zero with no lag (the ZEM decays like tgo^2).
    EXPECT_LT(std::fabs(r.miss_m), 1e-12 * kNt * kTf * kTf) << "N'=" << n;
  }
}

void CheckSingleLag(bool heading_error) {
  int checked = 0;
  for (int n : {3, 4, 5}) {
    for (int k = 1; k <= 40; ++k) {
      const double x = 0.5 * k;  // tF / T from 0.5 to 20, including 2, 5, 10
      const double tau = kTf / x;
      LinearEngagementParams p = Base(n);
      p.time_constant_s = tau;
      p.record_history = false;
      double closed = 0.0;
      double scale = 0.0;
      if (heading_error) {
        p.heading_error_rad = kHe;
        closed = SingleLagHeadingErrorMiss(n, kVm, kHe, kTf, tau);
        scale = kVm * kHe * kTf;
      } else {
        p.target_accel_mps2 = kNt;
        closed = SingleLagStepManeuverMiss(n, kNt, kTf, tau);
        scale = 0.5 * kNt * kTf * kTf;
      }
      const double miss = SimulateLinearEngagement(p).miss_m;
      // The criterion (with the zero-crossing floor explained at the top of the file).
      EXPECT_NEAR(miss, closed, 1e-3 * std::fabs(closed) + 1e-9 * scale)
          << "N'=" << n << " x=" << x;
      // The integrator's own accuracy: measured <= 5e-14 scale; 1e-10 leaves 2000x margin.
      EXPECT_NEAR(miss, closed, 1e-10 * scale) << "N'=" << n << " x=" << x;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 120);
}

TEST(LinearEngagement, SingleLagHeadingErrorMissMatchesClosedForms) { CheckSingleLag(true); }

TEST(LinearEngagement, SingleLagStepManeuverMissMatchesClosedForms) { CheckSingleLag(false); }

TEST(LinearEngagement, SingleLagSpotValuesAreNotTrivial) {
  // Guards the sweep above against comparing zeros with zeros: at x = 5 the closed forms are
  // of order 1e-3..1e-2 of the unguided miss and have the signs Zarchan's curves show.
  EXPECT_GT(SingleLagHeadingErrorMiss(3, kVm, kHe, kTf, 2.0), 10.0);     // -Vm HE tF e^-5 (1-2.5)
  EXPECT_LT(SingleLagHeadingErrorMiss(4, kVm, kHe, kTf, 2.0), -1.0);     // (1 - 5 + 25/6) > 0
  EXPECT_LT(SingleLagStepManeuverMiss(4, kNt, kTf, 2.0), -1.0);          // 1 - 5/3 < 0
  EXPECT_NEAR(SingleLagStepManeuverMiss(5, kNt, kTf, 5.0), 0.0, 1e-12);  // x = 2 is a root
  EXPECT_THROW(SingleLagHeadingErrorMiss(6, kVm, kHe, kTf, 1.0), std::invalid_argument);
}

TEST(LinearEngagement, AugmentedPnNullsAKnownStepManeuverWithoutLag) {
  for (int n : {3, 4, 5}) {
    LinearEngagementParams p = Base(n);
    p.target_accel_mps2 = kNt;
    p.augmented = true;
    const LinearEngagementResult r = SimulateLinearEngagement(p);
    // Zarchan ch. 8: zero miss (round-off level, 1e-12 of the unguided miss)...
    EXPECT_LT(std::fabs(r.miss_m), 1e-12 * 0.5 * kNt * kTf * kTf) << "N'=" << n;
    // ... with the command (N'/2) nT (1 - t/tF)^(N'-2), largest at launch, where PN's is 0.
    for (const LinearEngagementSample& s : r.history) {
      const double closed = 0.5 * n * kNt * std::pow(1.0 - s.t_s / kTf, n - 2);
      ASSERT_NEAR(s.command_mps2, closed, 1e-3 * std::fabs(closed)) << "N'=" << n;
    }
  }
  // The zero miss is a property of the law with no lag, not of the integrator: with a lag
  // T = 1 s (x = 10) APN misses by ~0.5 m (measured 0.52 m; bound 0.1 m).
  LinearEngagementParams lagged = Base(4);
  lagged.target_accel_mps2 = kNt;
  lagged.time_constant_s = 1.0;
  lagged.augmented = true;
  lagged.record_history = false;
  EXPECT_GT(std::fabs(SimulateLinearEngagement(lagged).miss_m), 0.1);
}

TEST(LinearEngagement, HistoryIsConsistent) {
  LinearEngagementParams p = Base(4);
  p.heading_error_rad = kHe;
  p.target_accel_mps2 = kNt;
  p.time_constant_s = 1.0;
  const LinearEngagementResult r = SimulateLinearEngagement(p);
  const LinearEngagementSample& first = r.history.front();
  EXPECT_EQ(first.t_s, 0.0);
  EXPECT_EQ(first.y_m, 0.0);
  EXPECT_DOUBLE_EQ(first.ydot_mps, -kVm * kHe);
  EXPECT_EQ(first.achieved_mps2, 0.0);
  // lambda_dot = (y + y' tgo) / (Vc tgo^2) and nc = N' Vc lambda_dot (defining identities).
  for (const LinearEngagementSample& s : r.history) {
    const double tgo = kTf - s.t_s;
    // Round-off of the subtraction y = z - y' tgo only.
    ASSERT_NEAR(s.zem_m, s.y_m + s.ydot_mps * tgo,
                1e-12 * (std::fabs(s.y_m) + std::fabs(s.ydot_mps * tgo) + 1.0));
    ASSERT_NEAR(s.command_mps2, 4.0 * 4000.0 * s.lambda_dot_radps,
                1e-12 * std::fabs(s.command_mps2) + 1e-300);
  }
  // Time increases strictly and ends at tF - 1e-9 tF; the miss is the last y up to y' tgo there
  // (y' grows like ln(tgo) with a lag, ~1e3 m/s, so y' tgo ~ 1e-5 m; bound 1e-3 m).
  for (std::size_t i = 1; i < r.history.size(); ++i) {
    ASSERT_GT(r.history[i].t_s, r.history[i - 1].t_s);
  }
  EXPECT_NEAR(r.history.back().t_s, kTf, 2e-9 * kTf);
  EXPECT_NEAR(r.miss_m, r.history.back().y_m, 1e-3);
}

TEST(LinearEngagement, SuperpositionAndStepConvergence) {
  // The model is linear: the miss from HE and nT together is the sum of the two.
  LinearEngagementParams he = Base(4);
  he.heading_error_rad = kHe;
  he.time_constant_s = 2.0;
  he.record_history = false;
  LinearEngagementParams nt = he;
  nt.heading_error_rad = 0.0;
  nt.target_accel_mps2 = kNt;
  LinearEngagementParams both = he;
  both.target_accel_mps2 = kNt;
  const double m_he = SimulateLinearEngagement(he).miss_m;
  const double m_nt = SimulateLinearEngagement(nt).miss_m;
  EXPECT_NEAR(SimulateLinearEngagement(both).miss_m, m_he + m_nt, 1e-9 * kVm * kHe * kTf);
  // Halving both step controls changes the miss by < 1e-11 of the unguided miss: converged.
  LinearEngagementParams fine = both;
  fine.max_step_s = 0.5e-4 * kTf;
  fine.tgo_step_fraction = 1e-3;
  EXPECT_NEAR(SimulateLinearEngagement(fine).miss_m, m_he + m_nt, 1e-11 * kVm * kHe * kTf);
}

TEST(LinearEngagement, ValidateRejectsBadInput) {
  LinearEngagementParams p = Base(4);
  p.flight_time_s = 0.0;
  try {
    SimulateLinearEngagement(p);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "linear_engagement.flight_time");
  }
  p = Base(4);
  p.time_constant_s = -1.0;
  EXPECT_THROW(p.Validate(), core::InputError);
  p = Base(4);
  p.navigation_ratio = 0.0;
  EXPECT_THROW(p.Validate(), core::InputError);
  p = Base(4);
  p.tgo_step_fraction = 0.5;
  EXPECT_THROW(p.Validate(), core::InputError);
}

}  // namespace
}  // namespace hyperdef::engagement
