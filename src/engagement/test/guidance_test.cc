// Guidance laws: kinematic identities, perpendicularity, the planar small-angle reduction to
// Zarchan's linear command, APN's exact augmentation, the ZEM form, PIP midcourse, limits and lag.
#include "engagement/guidance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/constants.h"
#include "core/error.h"
#include "core/random.h"

namespace hyperdef::engagement {
namespace {

Vec3 RandomVec(core::RandomStream& rs, double sigma) {
  return Vec3(rs.Normal(0.0, sigma), rs.Normal(0.0, sigma), rs.Normal(0.0, sigma));
}

TEST(Guidance, HeadOnKinematics) {
  const Vec3 p(10000.0, 0.0, 0.0);
  const Vec3 v(-3000.0, 0.0, 0.0);
  EXPECT_DOUBLE_EQ(ClosingSpeed(p, v), 3000.0);
  EXPECT_DOUBLE_EQ(TimeToGo(p, v), 10000.0 / 3000.0);
  EXPECT_EQ(LosRate(p, v).norm(), 0.0);
  EXPECT_EQ(TruePnAccel(p, v, 4.0).norm(), 0.0);  // on a collision course: no command
  // Opening or purely tangential: no time to go.
  EXPECT_EQ(TimeToGo(p, -v), std::numeric_limits<double>::infinity());
  EXPECT_EQ(TimeToGo(p, Vec3(0.0, 100.0, 0.0)), std::numeric_limits<double>::infinity());
}

TEST(Guidance, LosRateOfACrossingTarget) {
  // Target 1 km ahead crossing at 100 m/s to the left (+y): Omega = r x v / r^2 = 0.1 rad/s about
  // +z (exact).
  const Vec3 omega = LosRate(Vec3(1000.0, 0.0, 0.0), Vec3(0.0, 100.0, 0.0));
  EXPECT_DOUBLE_EQ(omega.z(), 0.1);
  EXPECT_EQ(omega.x(), 0.0);
  EXPECT_EQ(omega.y(), 0.0);
}

TEST(Guidance, PropertiesOnRandomGeometries) {
  core::RandomStream rs(1, 0, "guidance_test", "geometry");
  int closing = 0;
  for (int i = 0; i < 1000; ++i) {
    const Vec3 p = RandomVec(rs, 20e3);
    const Vec3 v = RandomVec(rs, 2e3);
    const Vec3 v_Int = RandomVec(rs, 2e3);
    const Vec3 a_Tgt = RandomVec(rs, 50.0);
    const double n = rs.Uniform(2.5, 5.0);
    const double r = p.norm();
    const Vec3 u = p / r;
    const Vec3 omega = LosRate(p, v);
    const double vc = ClosingSpeed(p, v);
    // Round-off scale of the commands: N' |v|^2 / R (all laws are of this size or smaller).
    const double scale = n * v.squaredNorm() / r + n * a_Tgt.norm();

    // True PN: the textbook form N' Vc (Omega x u), perpendicular to the LOS, magnitude
    // N' Vc |Omega| (Omega is perpendicular to u by construction). 1e-12: round-off.
    const Vec3 a_tpn = TruePnAccel(p, v, n);
    EXPECT_NEAR((a_tpn - n * vc * omega.cross(u)).norm(), 0.0, 1e-12 * scale);
    EXPECT_NEAR(a_tpn.dot(u), 0.0, 1e-12 * scale);
    EXPECT_NEAR(a_tpn.norm(), n * std::fabs(vc) * omega.norm(), 1e-12 * scale);

    // Pure PN: perpendicular to the interceptor velocity (and to Omega).
    const Vec3 a_ppn = PurePnAccel(p, v, v_Int, n);
    EXPECT_NEAR(a_ppn.dot(v_Int) / v_Int.norm(), 0.0, 1e-12 * scale);
    EXPECT_NEAR(a_ppn.dot(omega) / (omega.norm() + 1e-300), 0.0, 1e-12 * scale);
    // When the interceptor flies along the LOS, pure PN with N = N' Vc / V_Int is true PN.
    const double s = rs.Uniform(500.0, 3000.0);
    EXPECT_NEAR((PurePnAccel(p, v, s * u, n * vc / s) - a_tpn).norm(), 0.0, 1e-12 * scale);

    // Augmented PN adds exactly (N'/2) a_T,perp; a target acceleration along the LOS adds nothing.
    const Vec3 a_perp = a_Tgt - a_Tgt.dot(u) * u;
    EXPECT_NEAR((AugmentedPnAccel(p, v, a_Tgt, n) - a_tpn - 0.5 * n * a_perp).norm(), 0.0,
                1e-12 * scale);
    EXPECT_NEAR((AugmentedPnAccel(p, v, 30.0 * u, n) - a_tpn).norm(), 0.0, 1e-12 * scale);

    if (vc > 0.0) {
      ++closing;
      // The ZEM form with tgo = R / Vc and no acceleration is true PN (ZEM_perp = v_perp tgo);
      // with the target acceleration it is augmented PN. 1e-10: tgo^2 amplifies round-off in
      // ZEM when tgo is long (slow closing), the identity itself is exact.
      const double tgo = TimeToGo(p, v);
      const Vec3 zem0 = ZeroEffortMiss(p, v, Vec3::Zero(), tgo);
      EXPECT_NEAR((ZemAccel(zem0, p, tgo, n) - a_tpn).norm(), 0.0, 1e-10 * scale);
      const Vec3 zem_a = ZeroEffortMiss(p, v, a_Tgt, tgo);
      EXPECT_NEAR((ZemAccel(zem_a, p, tgo, n) - AugmentedPnAccel(p, v, a_Tgt, n)).norm(), 0.0,
                  1e-10 * scale);
    }
  }
  EXPECT_GT(closing, 300);  // both branches exercised
}

// Relative error of TruePn's lateral component against the linear law N' (y + y' tgo) / tgo^2
// for a planar geometry: target at (X, y) closing at Vc along -x with lateral rate y'.
double PlanarRelativeError(double y, double ydot) {
  const double x = 30e3;
  const double vc = 3000.0;
  const double n = 4.0;
  const double tgo = x / vc;
  const Vec3 a = TruePnAccel(Vec3(x, y, 0.0), Vec3(-vc, ydot, 0.0), n);
  const double linear = n * (y + ydot * tgo) / (tgo * tgo);
  EXPECT_EQ(a.z(), 0.0);  // stays in the engagement plane
  return std::fabs(a.y() - linear) / std::fabs(linear);
}

TEST(Guidance, TruePnReducesToTheLinearLawForSmallAngles) {
  // Zarchan ch. 2: nc = N' Vc lambda_dot = N' (y + y' tgo) / tgo^2 is the small-angle form. The
  // 3-D law differs by terms of second order in the angles y/X and y'/Vc: here y/X = 0.01 and
  // y'/Vc = 0.05, so the difference is ~1e-3 relative, and halving both angles divides it by 4.
  const double e1 = PlanarRelativeError(300.0, 150.0);
  const double e2 = PlanarRelativeError(150.0, 75.0);
  EXPECT_LT(e1, 5e-3);
  EXPECT_GT(e1, 1e-5);             // not trivially equal: the test would see a first-order term
  EXPECT_NEAR(e1 / e2, 4.0, 0.2);  // second order (0.2: third-order residue)
}

TEST(Guidance, PipMidcourseIsZeroOnCourseAndSteersToThePoint) {
  const Vec3 v_Int(1000.0, 0.0, 0.0);
  // Already on course: the PIP is where the interceptor coasts in tgo.
  EXPECT_NEAR(PipMidcourseAccel(Vec3::Zero(), v_Int, Vec3(10000.0, 0.0, 0.0), 10.0, 3.0).norm(),
              0.0, 1e-12);
  // Offset PIP: initial command N' ZEM_perp / tgo^2 with ZEM = (0, 400, -300) minus its LOS part.
  const Vec3 r_Pip(10000.0, 400.0, -300.0);
  const Vec3 zem(0.0, 400.0, -300.0);
  const Vec3 u = r_Pip.normalized();
  const Vec3 expected = 3.0 * (zem - zem.dot(u) * u) / 100.0;
  EXPECT_NEAR((PipMidcourseAccel(Vec3::Zero(), v_Int, r_Pip, 10.0, 3.0) - expected).norm(), 0.0,
              1e-12);

  // Closed loop (double integrator, RK4 at 1 ms, command from the planned tgo = 10 - t) until
  // tgo = 10 ms, then coast: the closest approach to the PIP is the residual ZEM across the
  // path, which for N' = 3 decays like tgo^3 (linear theory: 500 m x 1e-9).
  Vec3 r = Vec3::Zero();
  Vec3 v = v_Int;
  const double dt = 1e-3;
  auto accel = [&](double t, const Vec3& rr, const Vec3& vv) {
    return PipMidcourseAccel(rr, vv, r_Pip, 10.0 - t, 3.0);
  };
  for (int k = 0; k < 9990; ++k) {
    const double t = k * dt;
    const Vec3 k1r = v, k1v = accel(t, r, v);
    const Vec3 k2r = v + 0.5 * dt * k1v, k2v = accel(t + 0.5 * dt, r + 0.5 * dt * k1r, k2r);
    const Vec3 k3r = v + 0.5 * dt * k2v, k3v = accel(t + 0.5 * dt, r + 0.5 * dt * k2r, k3r);
    const Vec3 k4r = v + dt * k3v, k4v = accel(t + dt, r + dt * k3r, k4r);
    r += dt / 6.0 * (k1r + 2.0 * k2r + 2.0 * k3r + k4r);
    v += dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
  }
  const Vec3 to_pip = r_Pip - r;
  const double closest = (to_pip - to_pip.dot(v.normalized()) * v.normalized()).norm();
  // 1 cm: RK4 error at 1 ms plus the linear-theory residue, both far below.
  EXPECT_LT(closest, 0.01);
  // It does arrive about on time (the law does not control the along-LOS ZEM, ~25 m here, which
  // shifts the arrival by ~25 ms at 1 km/s; 0.1 s bound).
  EXPECT_NEAR(to_pip.dot(v.normalized()) / v.norm(), 0.01, 0.1);
}

TEST(Guidance, AeroLimitFallsWithDynamicPressure) {
  AeroAccelLimit lim{30.0 * core::kG0_mps2, 0.05, 20.0};
  lim.Validate();
  const double m = 300.0;
  EXPECT_EQ(MaxLateralAccel(lim, 0.0, m), 0.0);  // no air, no aerodynamic control
  // Below the crossover q* = a_struct m / (S CLmax) it is q S CLmax / m exactly.
  const double q_star = lim.structural_limit_mps2 * m / (0.05 * 20.0);
  EXPECT_DOUBLE_EQ(MaxLateralAccel(lim, 0.5 * q_star, m), 0.5 * lim.structural_limit_mps2);
  EXPECT_DOUBLE_EQ(MaxLateralAccel(lim, 10.0 * q_star, m), lim.structural_limit_mps2);
  // Monotone in q.
  double last = 0.0;
  for (double q = 0.0; q < 3.0 * q_star; q += 0.01 * q_star) {
    const double a = MaxLateralAccel(lim, q, m);
    EXPECT_GE(a, last);
    last = a;
  }
  AeroAccelLimit bad = lim;
  bad.cl_max = 0.0;
  try {
    bad.Validate();
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "aero_limit.cl_max");
  }
}

TEST(Guidance, DivertDeltaVBookkeeping) {
  const DivertPropulsion kv{2000.0, 280.0};
  kv.Validate();
  const DivertState full{60.0, 15.0, 0.0};
  const double ve = 280.0 * core::kG0_mps2;
  EXPECT_DOUBLE_EQ(MaxDivertAccel(kv, full), 2000.0 / 60.0);
  const double dv_total = ve * std::log(60.0 / 45.0);  // rocket equation, ~790 m/s
  EXPECT_DOUBLE_EQ(RemainingDeltaV(kv, full), dv_total);

  // Burning at 20 m/s^2 in 100 steps of 0.1 s equals one 10 s burn (the exponential mass law is
  // exact for constant acceleration); Delta-v used = a t exactly; Delta-v used + remaining is
  // conserved. 1e-12 relative: round-off over 100 steps.
  DivertState s = full;
  for (int k = 0; k < 100; ++k) s = BurnDivert(kv, s, 20.0, 0.1);
  const DivertState once = BurnDivert(kv, full, 20.0, 10.0);
  EXPECT_NEAR(s.mass_kg, once.mass_kg, 1e-12 * 60.0);
  EXPECT_NEAR(s.mass_kg, 60.0 * std::exp(-200.0 / ve), 1e-12 * 60.0);
  EXPECT_NEAR(s.delta_v_used_mps, 200.0, 1e-12 * 200.0);
  EXPECT_NEAR(s.delta_v_used_mps + RemainingDeltaV(kv, s), dv_total, 1e-12 * dv_total);
  EXPECT_NEAR(s.propellant_kg, 15.0 - (60.0 - s.mass_kg), 1e-12 * 15.0);

  // Full thrust until burnout: the burn stops early, at exactly the rocket-equation Delta-v,
  // with the propellant gone and nothing left to divert with.
  double burned = 0.0;
  const DivertState empty = BurnDivert(kv, full, 1e9, 1000.0, &burned);  // clamped to T/m0
  EXPECT_EQ(empty.propellant_kg, 0.0);
  EXPECT_DOUBLE_EQ(empty.mass_kg, 45.0);
  EXPECT_NEAR(empty.delta_v_used_mps, dv_total, 1e-12 * dv_total);
  EXPECT_NEAR(burned, dv_total / (2000.0 / 60.0), 1e-9);
  EXPECT_LT(burned, 1000.0);
  EXPECT_EQ(MaxDivertAccel(kv, empty), 0.0);
  const DivertState after = BurnDivert(kv, empty, 10.0, 1.0, &burned);
  EXPECT_EQ(burned, 0.0);
  EXPECT_EQ(after.delta_v_used_mps, empty.delta_v_used_mps);

  DivertPropulsion bad = kv;
  bad.isp_s = -1.0;
  try {
    bad.Validate();
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "divert.isp");
  }
}

TEST(Guidance, LimitMagnitudeKeepsDirection) {
  const Vec3 a(30.0, 40.0, 0.0);  // |a| = 50
  EXPECT_EQ(LimitMagnitude(a, 100.0), a);
  const Vec3 l = LimitMagnitude(a, 10.0);
  EXPECT_NEAR(l.norm(), 10.0, 1e-12);
  EXPECT_NEAR((l - Vec3(6.0, 8.0, 0.0)).norm(), 0.0, 1e-12);
  EXPECT_EQ(LimitMagnitude(a, 0.0).norm(), 0.0);
}

TEST(Guidance, AutopilotLagStepIsTheExactFirstOrderResponse) {
  const Vec3 cmd(100.0, -50.0, 20.0);
  const double tau = 0.3;
  Vec3 a = Vec3::Zero();
  // 700 steps of 1 ms with the command held: a(t) = cmd (1 - e^{-t/T}) exactly (1e-12: round-off).
  for (int k = 0; k < 700; ++k) a = AutopilotLagStep(a, cmd, tau, 1e-3);
  EXPECT_NEAR((a - cmd * (1.0 - std::exp(-0.7 / tau))).norm(), 0.0, 1e-12 * cmd.norm());
  // The rate helper is (cmd - a)/T; T = 0 passes the command through.
  EXPECT_NEAR((AutopilotLagRate(a, cmd, tau) - (cmd - a) / tau).norm(), 0.0, 1e-12);
  EXPECT_EQ(AutopilotLagStep(Vec3::Zero(), cmd, 0.0, 1e-3), cmd);
  // A tiny step moves by dt/T of the gap: the second-order term (dt/T)^2/2 |cmd| is 6e-16 and
  // the 2e-15 bound would catch 1 - exp(-dt/T) computed naively (cancellation, ~1e-14 here).
  const Vec3 small = AutopilotLagStep(Vec3::Zero(), cmd, tau, 1e-9);
  EXPECT_NEAR((small - cmd * (1e-9 / tau)).norm(), 0.0, 2e-15);
}

}  // namespace
}  // namespace hyperdef::engagement
