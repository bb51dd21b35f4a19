// Motion models: every Jacobian against a central difference of Predict, Q symmetric PSD, dt = 0
// identity, closed forms (CV, CA), Singer's limits and its Van Loan discretisation, ballistic
// flight against an independent integration of the J2 field and against the drag law, turns
// keeping speed, the factory, parameter validation, and no heap allocation in the hot calls.
#include "tracking/motion_models.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>
#include <unsupported/Eigen/MatrixFunctions>
#include <vector>

#include "core/constants.h"
#include "core/random.h"
#include "earth/atmosphere.h"
#include "earth/gravity.h"
#include "earth/wgs84.h"
#include "flight/integrator.h"

// ---- heap allocation counter (this test binary only)
// --------------------------------------------- The replacement pairs malloc with free
// consistently; GCC cannot see that through inlining.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> g_allocations{0};
}  // namespace
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// Every other replaceable form goes through malloc/free too: the library's nothrow new (used by
// std::stable_sort's temporary buffer, in other tests of this binary) must not be paired with
// the free above (AddressSanitizer reports an alloc-dealloc mismatch).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace hyperdef::tracking {
namespace {

using core::kWgs84A_m;

// A state from its pieces (r, v, extra).
StateVector MakeState(const Vec3& r, const Vec3& v, const std::vector<double>& extra = {}) {
  StateVector x(6 + static_cast<int>(extra.size()));
  x.head<3>() = r;
  x.segment<3>(3) = v;
  for (std::size_t i = 0; i < extra.size(); ++i) x[6 + static_cast<int>(i)] = extra[i];
  return x;
}

// Central difference of Predict; step_i = rel * scale_i.
StateMatrix NumericalJacobian(const MotionModel& m, const StateVector& x, double t, double dt,
                              const StateVector& step) {
  const int n = m.Dim();
  StateMatrix J(n, n);
  for (int j = 0; j < n; ++j) {
    StateVector xp = x, xm = x;
    xp[j] += step[j];
    xm[j] -= step[j];
    J.col(j) = (m.Predict(xp, t, dt) - m.Predict(xm, t, dt)) / (2.0 * step[j]);
  }
  return J;
}

// Compares J with the central difference, element by element, in units scaled by the state's
// typical magnitudes s: |J_ij - Jn_ij| <= tol (|Jn_ij| + s_i / s_j).
void ExpectJacobianMatches(const MotionModel& m, const StateVector& x, double dt,
                           const StateVector& scale, double step_rel, double tol) {
  const StateMatrix J = m.Jacobian(x, 0.0, dt);
  const StateMatrix Jn = NumericalJacobian(m, x, 0.0, dt, (step_rel * scale).eval());
  ASSERT_EQ(J.rows(), m.Dim());
  ASSERT_EQ(J.cols(), m.Dim());
  for (int i = 0; i < m.Dim(); ++i) {
    for (int j = 0; j < m.Dim(); ++j) {
      EXPECT_NEAR(J(i, j), Jn(i, j), tol * (std::abs(Jn(i, j)) + scale[i] / scale[j]))
          << m.Name() << " dt " << dt << " element (" << i << ", " << j << ") state "
          << x.transpose();
    }
  }
}

// Symmetric, and positive semidefinite after scaling to a correlation matrix (Q spans 1e-12 to
// 1e5 across states, so eigenvalues are compared in that dimensionless form).
void ExpectSymmetricPsd(const StateMatrix& Q, const std::string& what) {
  const int n = static_cast<int>(Q.rows());
  ASSERT_EQ(Q.cols(), n);
  StateVector d(n);
  for (int i = 0; i < n; ++i) {
    EXPECT_GE(Q(i, i), 0.0) << what;
    d[i] = Q(i, i) > 0.0 ? 1.0 / std::sqrt(Q(i, i)) : 1.0;
    for (int j = 0; j < n; ++j) {
      // Symmetric by construction (mirrored entries): exact up to one rounding.
      EXPECT_NEAR(Q(i, j), Q(j, i), 1e-15 * (std::abs(Q(i, j)) + std::abs(Q(j, i)))) << what;
    }
  }
  StateMatrix C = Q;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) C(i, j) *= d[i] * d[j];
  }
  // Round-off in a correlation matrix whose eigenvalues sum to n: a shift of 1e-9 (~ 1e7 ulp) is
  // slack for the nearly singular Q of short steps (where the integrated-noise states are almost
  // perfectly correlated); Cholesky then succeeds iff the smallest eigenvalue is > -1e-9.
  C.diagonal().array() += 1e-9;
  const Eigen::LLT<StateMatrix> llt(C);
  EXPECT_EQ(llt.info(), Eigen::Success) << what << "\n" << Q;
}

// Per-model test fixtures: states, the scale of each state component, and dts.
struct Case {
  std::shared_ptr<const MotionModel> model;
  std::vector<StateVector> states;
  StateVector scale;  // typical size of a perturbation of each component
  double tol;         // Jacobian tolerance (see JacobianMatchesCentralDifference)
};

TrackingFrame Frame() { return TrackingFrame{0.3}; }

Vec3 RandomUnit(core::RandomStream& rs) {
  Vec3 u(rs.Normal(), rs.Normal(), rs.Normal());
  return u.normalized();
}

std::vector<Case> Cases() {
  core::RandomStream rs(7, 0, "motion_models_test", "states");
  std::vector<Case> cases;
  const MotionModelParams params;
  auto scale = [](int dim, double extra) {
    StateVector s(dim);
    s.head<3>().setConstant(1.0);        // m
    s.segment<3>(3).setConstant(1.0);    // m/s
    s.tail(dim - 6).setConstant(extra);  // model's own unit
    return s;
  };
  // Random states around a target at 6,400-6,900 km from the centre, 1-7 km/s.
  auto rv = [&rs]() {
    const Vec3 r = RandomUnit(rs) * rs.Uniform(6.45e6, 6.9e6);
    const Vec3 v = RandomUnit(rs) * rs.Uniform(1e3, 7e3);
    return std::pair<Vec3, Vec3>(r, v);
  };
  {
    Case c{MakeMotionModel("cv", params, Frame()), {}, scale(6, 1.0), 1e-6};
    for (int k = 0; k < 3; ++k) {
      auto [r, v] = rv();
      c.states.push_back(MakeState(r, v));
    }
    cases.push_back(c);
  }
  for (const char* name : {"ca", "singer", "glide"}) {
    Case c{MakeMotionModel(name, params, Frame()), {}, scale(9, 1.0), 1e-6};
    for (int k = 0; k < 3; ++k) {
      auto [r, v] = rv();
      // Glide states: keep the target in the atmosphere's altitude band (irrelevant to the model,
      // but realistic).
      c.states.push_back(MakeState(r, v, {rs.Normal(0, 20), rs.Normal(0, 20), rs.Normal(0, 20)}));
    }
    cases.push_back(c);
  }
  {
    Case c{MakeMotionModel("ct", params, Frame()), {}, scale(9, 1e-3), 1e-6};
    for (int k = 0; k < 3; ++k) {
      auto [r, v] = rv();
      const Vec3 w = RandomUnit(rs) * (k == 0 ? 1e-4 : rs.Uniform(0.01, 0.3));  // small and large
      c.states.push_back(MakeState(r, v, {w.x(), w.y(), w.z()}));
    }
    cases.push_back(c);
  }
  {
    Case c{MakeMotionModel("ballistic", params, Frame()), {}, scale(7, 1e-5), 1e-6};
    // Re-entry at 40 and 65 km (US-76 layers), one in the thermosphere at 95 km and one in vacuum.
    const double heights[] = {40e3, 65e3, 95e3, 300e3};
    for (double h : heights) {
      const Vec3 n = RandomUnit(rs);
      const Vec3 r = n * (kWgs84A_m - 10e3 + h);  // near the ellipsoid, latitude-dependent
      Vec3 v = RandomUnit(rs) * 4e3;
      v -= (v.dot(n) + 1e3) * n;  // descending at 1 km/s
      c.states.push_back(MakeState(r, v, {2.5e-4}));
    }
    cases.push_back(c);
  }
  return cases;
}

TEST(MotionModelsTest, JacobianMatchesCentralDifference) {
  // Central difference with step 1e-2 scale (1 cm, 1 cm/s, 1e-5 rad/s, 1e-7 m^2/kg): truncation
  // ~ step^2 |f'''| / 6 is ~ 1e-10 relative for these smooth flows; round-off ~ eps |x| / step
  // ~ 1e-16 * 7e6 m / 1e-2 m ~ 1e-7 (m per m) in the position rows, which is why each element's
  // tolerance carries the scale term s_i/s_j as well as |J_ij|. Tolerance 1e-6 for every model:
  // the closed forms are exact, and the gravity flows' Jacobian is the exact derivative of the RK4
  // map; the ballistic model's only approximation, d rho / d h as a +-5 m central difference of
  // US-76, is off by ~ (5 m / H)^2 / 6 ~ 1e-7 relative in the drag terms. Worst seen: 2e-7.
  const double dts[] = {0.1, 1.0, 7.3, -2.0};
  for (const Case& c : Cases()) {
    for (const StateVector& x : c.states) {
      for (double dt : dts) {
        SCOPED_TRACE(std::string(c.model->Name()));
        ExpectJacobianMatches(*c.model, x, dt, c.scale, 1e-2, c.tol);
      }
    }
  }
}

// Acceleration (what augmented PN reads of a track) is the flow's dv/dt at the state: against a
// central difference of Predict's velocity over +-1 ms. Truncation ~ h^2 |d3v/dt3| / 6 (worst:
// the fast turn, |Omega|^3 |v| ~ 200 m/s^4, i.e. ~ 3e-5 m/s^2); round-off ~ eps |v| / h ~ 1e-9.
TEST(MotionModelsTest, AccelerationIsTheFlowsVelocityDerivative) {
  constexpr double h = 1e-3;
  for (const Case& c : Cases()) {
    for (const StateVector& x : c.states) {
      const Vec3 fd =
          (c.model->Predict(x, 3.0, h).segment<3>(3) - c.model->Predict(x, 3.0, -h).segment<3>(3)) /
          (2.0 * h);
      const Vec3 a = c.model->Acceleration(x, 3.0);
      EXPECT_LT((a - fd).norm(), 1e-4) << c.model->Name() << " a " << a.transpose();
    }
  }
  // Models that state it: CA's and Singer's acceleration state; glide adds J2 gravity to its
  // aerodynamic state.
  const StateVector x = MakeState(Vec3(6.5e6, 1e5, 2e5), Vec3(100, 3e3, -50), {1.0, -2.0, 3.0});
  const MotionModelParams params;
  EXPECT_EQ(MakeMotionModel("ca", params, Frame())->Acceleration(x, 0.0), Vec3(1.0, -2.0, 3.0));
  EXPECT_EQ(MakeMotionModel("singer", params, Frame())->Acceleration(x, 0.0), Vec3(1.0, -2.0, 3.0));
  EXPECT_EQ(MakeMotionModel("glide", params, Frame())->Acceleration(x, 0.0),
            earth::GravityAcceleration(Vec3(6.5e6, 1e5, 2e5), earth::GravityModel::kJ2) +
                Vec3(1.0, -2.0, 3.0));
}

// The ECEF acceleration of a tracking-frame (ECI) state against the derivative of its ECEF
// velocity along the motion r(t) = r + v t + a t^2 / 2 (central difference over +-0.1 s: the
// truncation of the rotating frame's terms, ~ w^2 |a| h^2, is far below 1e-6 m/s^2).
TEST(TrackingFrameTest, AccelerationEcefIsTheEcefVelocitysDerivative) {
  const TrackingFrame f{0.3};
  const Vec3 r(6.5e6, 1.2e6, 2e6), v(-1e3, 4e3, 2.5e3), a(3.0, -9.0, 4.0);
  const double t = 100.0, h = 0.1;
  const auto v_ecef = [&](double dt) {
    return f.VelocityEcef(Vec3(r + v * dt + 0.5 * dt * dt * a), Vec3(v + a * dt), t + dt);
  };
  const Vec3 fd = (v_ecef(h) - v_ecef(-h)) / (2.0 * h);
  EXPECT_LT((f.AccelerationEcef(r, v, a, t) - fd).norm(), 1e-6);
}

TEST(MotionModelsTest, PredictWithJacobianEqualsPredictAndJacobian) {
  // The EKF's combined call (one RK4 pass for the integrated models) must give the very values of
  // the two separate calls: the state advances by the same arithmetic whether or not the
  // variational equations ride along, so the comparison is exact, at every step size (one and
  // several substeps, backwards) and at dt = 0.
  const double dts[] = {0.0, 0.1, 1.0, 7.3, -2.0};
  for (const Case& c : Cases()) {
    for (const StateVector& x : c.states) {
      for (double dt : dts) {
        StateMatrix F;
        const StateVector y = c.model->PredictWithJacobian(x, 3.0, dt, &F);
        EXPECT_EQ(y, c.model->Predict(x, 3.0, dt)) << c.model->Name() << " dt " << dt;
        EXPECT_EQ(F, c.model->Jacobian(x, 3.0, dt)) << c.model->Name() << " dt " << dt;
      }
    }
  }
}

TEST(MotionModelsTest, ProcessNoiseIsSymmetricPsd) {
  const double dts[] = {1e-3, 0.5, 1.0, 10.0, 60.0, -3.0};
  for (const Case& c : Cases()) {
    for (const StateVector& x : c.states) {
      for (double dt : dts) {
        const StateMatrix Q = c.model->ProcessNoise(x, 0.0, dt);
        ASSERT_EQ(Q.rows(), c.model->Dim());
        ExpectSymmetricPsd(Q, std::string(c.model->Name()) + " dt " + std::to_string(dt));
      }
    }
  }
}

TEST(MotionModelsTest, ZeroStepIsIdentity) {
  for (const Case& c : Cases()) {
    for (const StateVector& x : c.states) {
      // Exact: every model returns x untouched (or adds exact zeros) at dt = 0.
      EXPECT_EQ(c.model->Predict(x, 5.0, 0.0), x) << c.model->Name();
      EXPECT_EQ(c.model->Jacobian(x, 5.0, 0.0), StateMatrix::Identity(x.size(), x.size()))
          << c.model->Name();
      EXPECT_EQ(c.model->ProcessNoise(x, 5.0, 0.0), StateMatrix::Zero(x.size(), x.size()))
          << c.model->Name();
    }
  }
}

TEST(MotionModelsTest, RetrodictionUndoesPrediction) {
  // Closed forms (CV, CA, Singer, CT) invert to round-off (~ 1e-9 m at 7e6 m). RK4 forward then
  // back leaves its truncation error: for gravity (n h)^5 |r| / 120 ~ 1e-10 m per step, but the
  // glide's aero state enters v through int a dt, which RK4 truncates at (h/tau)^4: h |a|
  // (h/tau)^4 / 120 ~ 6e-7 m/s per 0.9 s step with |a| = 35 m/s^2, tau = 20 s. Bounds: 1e-8 m and
  // 1e-9 m/s for the closed forms; 1e-4 m and 1e-5 m/s (10 steps, plus margin) otherwise.
  for (const Case& c : Cases()) {
    const bool integrated = c.model->Name() == "ballistic" || c.model->Name() == "glide";
    const double tol_r = integrated ? 1e-4 : 1e-8;
    const double tol_v = integrated ? 1e-5 : 1e-9;
    for (const StateVector& x : c.states) {
      const StateVector back = c.model->Predict(c.model->Predict(x, 0.0, 4.5), 4.5, -4.5);
      EXPECT_LT((back - x).head<3>().norm(), tol_r) << c.model->Name();
      EXPECT_LT((back - x).segment<3>(3).norm(), tol_v) << c.model->Name();
    }
  }
}

TEST(MotionModelsTest, HotPathsDoNotAllocate) {
  const std::vector<Case> cases = Cases();
  double sink = 0.0;
  // One warm-up pass: lazily built tables (e.g. the US-76 layers) may allocate on first use.
  for (const Case& c : cases) sink += c.model->Predict(c.states.front(), 0.0, 2.0)[0];
  const long before = g_allocations.load();
  for (const Case& c : cases) {
    for (const StateVector& x : c.states) {
      sink += c.model->Predict(x, 0.0, 2.0)[0];
      sink += c.model->Jacobian(x, 0.0, 2.0)(0, 3);
      sink += c.model->ProcessNoise(x, 0.0, 2.0)(3, 3);
      StateMatrix F;
      sink += c.model->PredictWithJacobian(x, 0.0, 2.0, &F)[0] + F(0, 3);
    }
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_TRUE(std::isfinite(sink));
}

// ---- CV / CA closed forms
// ------------------------------------------------------------------------

TEST(ConstantVelocityTest, ClosedForm) {
  const ConstantVelocity cv({.q_m2ps3 = 4.0});
  const double T = 2.5;
  const StateMatrix F = cv.Jacobian(StateVector::Zero(6), 0.0, T);
  const StateMatrix Q = cv.ProcessNoise(StateVector::Zero(6), 0.0, T);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      const double f = (i == j) ? 1.0 : (j == i + 3 ? T : 0.0);
      EXPECT_EQ(F(i, j), f);  // exact: the entries are 0, 1 and T
      // BLK (6.2.2-12): q [T^3/3 T^2/2; T^2/2 T] per axis.
      double q = 0.0;
      if (i % 3 == j % 3) {
        q = (i < 3 && j < 3) ? T * T * T / 3.0 : (i >= 3 && j >= 3) ? T : T * T / 2.0;
      }
      EXPECT_DOUBLE_EQ(Q(i, j), 4.0 * q);
    }
  }
  const StateVector x = MakeState({1.0, 2.0, 3.0}, {10.0, -20.0, 30.0});
  EXPECT_EQ(cv.Predict(x, 0.0, T), (F * x).eval());
}

TEST(ConstantAccelerationTest, ClosedForm) {
  const ConstantAcceleration ca({.q_m2ps5 = 3.0});
  const double T = 1.5;
  const StateMatrix F = ca.Jacobian(StateVector::Zero(9), 0.0, T);
  const StateMatrix Q = ca.ProcessNoise(StateVector::Zero(9), 0.0, T);
  // BLK (6.2.3-5, -8): per axis F and Q / q.
  const double f[3][3] = {{1, T, T * T / 2}, {0, 1, T}, {0, 0, 1}};
  const double q[3][3] = {{std::pow(T, 5) / 20, std::pow(T, 4) / 8, std::pow(T, 3) / 6},
                          {std::pow(T, 4) / 8, std::pow(T, 3) / 3, T * T / 2},
                          {std::pow(T, 3) / 6, T * T / 2, T}};
  for (int i = 0; i < 9; ++i) {
    for (int j = 0; j < 9; ++j) {
      const bool same_axis = i % 3 == j % 3;
      EXPECT_EQ(F(i, j), same_axis ? f[i / 3][j / 3] : 0.0);
      EXPECT_DOUBLE_EQ(Q(i, j), same_axis ? 3.0 * q[i / 3][j / 3] : 0.0);
    }
  }
  const StateVector x = MakeState({1.0, 2.0, 3.0}, {10.0, -20.0, 30.0}, {0.5, -1.0, 2.0});
  const StateVector y = ca.Predict(x, 0.0, T);
  const StateVector Fx = F * x;
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(y[i], Fx[i], 1e-13 * (1.0 + std::abs(Fx[i])));
}

// ---- Singer
// ----------------------------------------------------------------------------------------

// Van Loan (1978): exp([[-A, B q B'], [0, A']] T) = [[., G12], [0, G22]], F = G22', Q = F G12.
void VanLoan(double tau, double q, double T, Eigen::Matrix3d* F, Eigen::Matrix3d* Q) {
  Eigen::Matrix3d A;
  A << 0, 1, 0, 0, 0, 1, 0, 0, -1.0 / tau;
  Eigen::Matrix<double, 6, 6> M = Eigen::Matrix<double, 6, 6>::Zero();
  M.topLeftCorner<3, 3>() = -A;
  M(2, 5) = q;
  M.bottomRightCorner<3, 3>() = A.transpose();
  const Eigen::Matrix<double, 6, 6> E = (M * T).exp();
  *F = E.bottomRightCorner<3, 3>().transpose();
  *Q = *F * E.topRightCorner<3, 3>();
}

Eigen::Matrix3d AxisBlock(const StateMatrix& m) {
  Eigen::Matrix3d b;
  for (int j = 0; j < 3; ++j) {
    for (int k = 0; k < 3; ++k) b(j, k) = m(3 * j, 3 * k);
  }
  return b;
}

TEST(SingerTest, MatchesVanLoanDiscretisation) {
  // The closed forms (series for alpha T < 1) against a matrix exponential: agreement to 1e-9
  // relative per entry. Van Loan's product F G12 cancels terms of size e^{alpha T} (G12 grows
  // like e^{+x}, F decays), so it loses ~ e^x ulp: alpha T <= 5 keeps it below 1e-12; for longer
  // steps (x = 12.5 we tried) the reference, not the closed form, is the less accurate one.
  const double tau = 8.0;
  const double sigma = 25.0;
  const Singer m({.tau_s = tau, .sigma_a_mps2 = sigma});
  const double q = 2.0 * sigma * sigma / tau;
  for (double T : {0.01, 1.0, 3.999, 4.001, 20.0, 40.0}) {
    Eigen::Matrix3d F, Q;
    VanLoan(tau, q, T, &F, &Q);
    const Eigen::Matrix3d Fm = AxisBlock(m.Jacobian(StateVector::Zero(9), 0.0, T));
    const Eigen::Matrix3d Qm = AxisBlock(m.ProcessNoise(StateVector::Zero(9), 0.0, T));
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(Fm(j, k), F(j, k), 1e-9 * std::abs(F(j, k)) + 1e-15) << T;
        EXPECT_NEAR(Qm(j, k), Q(j, k), 1e-9 * std::abs(Q(j, k))) << "T " << T << " " << j << k;
      }
    }
  }
}

TEST(SingerTest, SeriesAndClosedFormAgreeAtTheSwitch) {
  // alpha T = 0.5 switches from the Taylor series to the closed form; the series is good to
  // ~ 1e-16 and the closed form to ~ 3e2 ulp there, so the entries must be continuous to 1e-12
  // relative across a 1e-12 relative step in T.
  const Singer m({.tau_s = 3.0, .sigma_a_mps2 = 10.0});
  const StateVector z = StateVector::Zero(9);
  for (double sign : {1.0, -1.0}) {
    const double below = sign * 1.5 * (1.0 - 5e-13);
    const double above = sign * 1.5 * (1.0 + 5e-13);
    const StateMatrix Qa = m.ProcessNoise(z, 0.0, below), Qb = m.ProcessNoise(z, 0.0, above);
    const StateMatrix Fa = m.Jacobian(z, 0.0, below), Fb = m.Jacobian(z, 0.0, above);
    for (int i = 0; i < 9; ++i) {
      for (int j = 0; j < 9; ++j) {
        EXPECT_NEAR(Qa(i, j), Qb(i, j), 1e-11 * std::abs(Qb(i, j))) << i << j;
        EXPECT_NEAR(Fa(i, j), Fb(i, j), 1e-11 * std::abs(Fb(i, j))) << i << j;
      }
    }
  }
}

TEST(SingerTest, LongTimeConstantTendsToConstantAcceleration) {
  // tau -> infinity with the spectral density q = 2 sigma^2 / tau held at CA's: the corrections
  // are O(T / tau) = 1e-8 relative, so 1e-7.
  const double q = 5.0;
  const double tau = 1e9;
  const Singer singer({.tau_s = tau, .sigma_a_mps2 = std::sqrt(q * tau / 2.0)});
  const ConstantAcceleration ca({.q_m2ps5 = q});
  const StateVector z = StateVector::Zero(9);
  for (double T : {0.5, 10.0}) {
    const StateMatrix Fs = singer.Jacobian(z, 0.0, T), Fc = ca.Jacobian(z, 0.0, T);
    const StateMatrix Qs = singer.ProcessNoise(z, 0.0, T), Qc = ca.ProcessNoise(z, 0.0, T);
    for (int i = 0; i < 9; ++i) {
      for (int j = 0; j < 9; ++j) {
        EXPECT_NEAR(Fs(i, j), Fc(i, j), 1e-7 * std::abs(Fc(i, j)));
        EXPECT_NEAR(Qs(i, j), Qc(i, j), 1e-7 * std::abs(Qc(i, j)));
      }
    }
  }
}

TEST(SingerTest, ShortTimeConstantTendsToConstantVelocity) {
  // tau -> 0: the acceleration decorrelates at once. F -> CV's with the acceleration column
  // (tau T, tau, e^-T/tau) -> 0, and the (r, v) noise -> CV's with q_cv = q tau^2 = 2 sigma^2 tau;
  // corrections are O(tau / T) = 1e-5 relative, so 1e-4. The acceleration itself keeps its
  // stationary variance sigma^2.
  const double tau = 2e-5;
  const double sigma = 30.0;
  const double T = 2.0;
  const Singer singer({.tau_s = tau, .sigma_a_mps2 = sigma});
  const ConstantVelocity cv({.q_m2ps3 = 2.0 * sigma * sigma * tau});
  const StateVector z = StateVector::Zero(9);
  const StateMatrix Fs = singer.Jacobian(z, 0.0, T), Fc = cv.Jacobian(StateVector::Zero(6), 0, T);
  const StateMatrix Qs = singer.ProcessNoise(z, 0.0, T);
  const StateMatrix Qc = cv.ProcessNoise(StateVector::Zero(6), 0.0, T);
  EXPECT_EQ(Fs.topLeftCorner(6, 6), Fc);
  EXPECT_NEAR(Fs(0, 6), tau * T, 1e-4 * tau * T);
  EXPECT_NEAR(Fs(3, 6), tau, 1e-4 * tau);
  EXPECT_LT(Fs(6, 6), 1e-300);  // e^-1e5
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) EXPECT_NEAR(Qs(i, j), Qc(i, j), 1e-4 * std::abs(Qc(i, j)));
  }
  EXPECT_NEAR(Qs(6, 6), sigma * sigma, 1e-12 * sigma * sigma);
}

// ---- CT
// ------------------------------------------------------------------------------------------

TEST(CoordinatedTurnTest, ConstantTurnKeepsSpeedAndRotatesVelocity) {
  const CoordinatedTurn3D ct;
  const Vec3 v(300.0, -200.0, 100.0);
  Vec3 w = Vec3(1.0, 2.0, 0.5).cross(v).normalized() * 0.07;  // normal to v
  const StateVector x = MakeState({6.4e6, 1e5, -2e5}, v, {w.x(), w.y(), w.z()});
  for (double T : {0.3, 5.0, 40.0}) {  // turn angles 0.021, 0.35, 2.8 rad
    const StateVector y = ct.Predict(x, 0.0, T);
    const Vec3 v1 = y.segment<3>(3);
    // Rodrigues rotation: |v| kept to round-off (1e-13 relative), angle |Omega| T to 1e-12 rad.
    EXPECT_NEAR(v1.norm(), v.norm(), 1e-13 * v.norm());
    EXPECT_NEAR(std::atan2(v.cross(v1).norm(), v.dot(v1)), 0.07 * T, 1e-12);
    EXPECT_GT(v.cross(v1).dot(w), 0.0);  // turning about +Omega
    EXPECT_EQ(y.tail<3>(), x.tail<3>());
  }
}

TEST(CoordinatedTurnTest, SeriesAndClosedFormAgreeAtTheSwitch) {
  // |Omega| T = 1 switches the turn functions from their series to the closed forms (both good
  // to ~ 1e-14 there): the Jacobian must be continuous to 1e-11 relative (plus 1e-12 absolute,
  // for the entries that are O(1) sums of near-cancelling terms).
  const CoordinatedTurn3D ct;
  const Vec3 w = Vec3(0.3, -0.2, 0.4).normalized() * 0.1;
  const StateVector x =
      MakeState({6.4e6, 1e5, -2e5}, {300.0, -200.0, 100.0}, {w.x(), w.y(), w.z()});
  const StateMatrix Fa = ct.Jacobian(x, 0.0, 10.0 * (1.0 - 5e-13));
  const StateMatrix Fb = ct.Jacobian(x, 0.0, 10.0 * (1.0 + 5e-13));
  for (int i = 0; i < 9; ++i) {
    for (int j = 0; j < 9; ++j) {
      EXPECT_NEAR(Fa(i, j), Fb(i, j), 1e-11 * std::abs(Fb(i, j)) + 1e-12) << i << j;
    }
  }
}

TEST(CoordinatedTurnTest, PositionMatchesIndependentIntegration) {
  // dr/dt = v, dv/dt = Omega x v (Omega not normal to v) with Dormand-Prince at 1e-13: the closed
  // form must agree to 1e-6 m over a 30 s, 1.3 rad turn (integrator error ~ 1e-13 * 1e4 m).
  const Vec3 w(0.02, -0.03, 0.03);
  const StateVector x =
      MakeState({6.4e6, 1e5, -2e5}, {300.0, -200.0, 100.0}, {w.x(), w.y(), w.z()});
  const CoordinatedTurn3D ct;
  const auto f = [&w](double, const flight::OdeVector<6>& s) {
    flight::OdeVector<6> d;
    d.head<3>() = s.tail<3>();
    d.tail<3>() = w.cross(Vec3(s.tail<3>()));
    return d;
  };
  flight::Dp54Options<6> opt;
  opt.rel_tol = 1e-13;
  opt.SetAbsTol(1e-10);
  const flight::OdeVector<6> x0 = x.head<6>();
  const auto res = flight::IntegrateDp54<6>(f, 0.0, x0, 30.0, opt);
  ASSERT_TRUE(res.ok());
  const StateVector y = ct.Predict(x, 0.0, 30.0);
  EXPECT_LT((y.head<3>() - res.x.head<3>()).norm(), 1e-6);
  EXPECT_LT((y.segment<3>(3) - res.x.tail<3>()).norm(), 1e-9);
}

// ---- Ballistic
// -------------------------------------------------------------------------------------

TEST(BallisticTest, GravityGradientMatchesNumericalDerivative) {
  // Central difference of earth::GravityAcceleration with 1 m steps: truncation ~ h^2 mu / r^5
  // ~ 1e-19, round-off ~ eps * 10 m/s^2 / 1 m ~ 2e-15 1/s^2 against entries ~ 1e-6: 1e-8
  // relative to the largest entry.
  const Vec3 points[] = {{6.4e6, 0.0, 0.0}, {3.0e6, -4.0e6, 3.5e6}, {1e3, -2e3, 6.5e6}};
  for (const Vec3& r : points) {
    const Mat3 G = GravityGradientJ2(r);
    Mat3 Gn;
    for (int j = 0; j < 3; ++j) {
      Vec3 rp = r, rm = r;
      rp[j] += 1.0;
      rm[j] -= 1.0;
      Gn.col(j) = (earth::GravityAcceleration(rp, earth::GravityModel::kJ2) -
                   earth::GravityAcceleration(rm, earth::GravityModel::kJ2)) /
                  2.0;
    }
    EXPECT_LT((G - Gn).cwiseAbs().maxCoeff(), 1e-8 * Gn.cwiseAbs().maxCoeff()) << r.transpose();
    EXPECT_LT((G - G.transpose()).norm(), 1e-12 * G.norm());  // a gradient of a potential
  }
}

TEST(BallisticTest, VacuumMatchesIndependentJ2Integration) {
  // kappa = 0 at 300-500 km (drag skipped above the ceiling anyway). Reference: Dormand-Prince
  // 5(4) at rel 1e-13 on d^2r/dt^2 = earth::GravityAcceleration(r, J2). Our RK4 takes 5 s steps:
  // local error ~ (n h)^5 |r| / 120 with n ~ 1.2e-3 rad/s, i.e. ~ 4e-7 m per step, at most ~ 5e-5 m
  // if 120 steps all added up (they largely do not: we see 3e-7 m after 600 s). Bounds 1e-3 m and
  // 1e-6 m/s; and the energy integral v^2/2 + U(r) (inertial frame, no drag) to 1e-11 relative
  // (RK4 truncation ~ (n h)^5 ~ 1e-11 per step at most; we see ~ 1e-15).
  const BallisticParams p;
  const Ballistic model(p, Frame());
  const StateVector x = MakeState({6.7e6, 1e5, 1.2e6}, {-500.0, 6500.0, 3000.0}, {0.0});
  const auto f = [](double, const flight::OdeVector<6>& s) {
    flight::OdeVector<6> d;
    d.head<3>() = s.tail<3>();
    d.tail<3>() = earth::GravityAcceleration(Vec3(s.head<3>()), earth::GravityModel::kJ2);
    return d;
  };
  flight::Dp54Options<6> opt;
  opt.rel_tol = 1e-13;
  opt.SetAbsTol(1e-8);
  const flight::OdeVector<6> x0 = x.head<6>();
  for (double T : {10.0, 120.0, 600.0}) {
    const auto res = flight::IntegrateDp54<6>(f, 0.0, x0, T, opt);
    ASSERT_TRUE(res.ok());
    const StateVector y = model.Predict(x, 0.0, T);
    EXPECT_LT((y.head<3>() - res.x.head<3>()).norm(), 1e-3) << T;
    EXPECT_LT((y.segment<3>(3) - res.x.tail<3>()).norm(), 1e-6) << T;
    const auto energy = [](const Vec3& r, const Vec3& v) {
      return 0.5 * v.squaredNorm() + earth::GravityPotential(r, earth::GravityModel::kJ2);
    };
    const double e0 = energy(x.head<3>(), x.segment<3>(3));
    EXPECT_NEAR(energy(y.head<3>(), y.segment<3>(3)), e0, 1e-11 * std::abs(e0)) << T;
  }
}

TEST(BallisticTest, DragDeceleratesByHalfRhoKappaVSquared) {
  // A target at ~ 40 km, 3 km/s. Over dt = 1e-4 s the velocity difference between the kappa and
  // kappa = 0 runs is a_d dt + O(dt^2 da_d/dt): relative error ~ dt |v| / (2 H) ~ 2e-5.
  // Reference: 0.5 rho kappa |u| u with rho from US-76 at the GEODETIC height (GeographicLib) and
  // u = v - omega_E x r; our model uses the height over the ellipsoid along the radius (< 0.25 m
  // off at 40 km: 4e-5 in density at H ~ 6.5 km). We see 3e-5 in total; tolerance 3e-4.
  const TrackingFrame frame{0.3};
  const Ballistic model({}, frame);
  const double kappa = 3e-4;
  const Vec3 r_Eci = Vec3(0.6, 0.5, 0.62).normalized() * (kWgs84A_m - 10e3 + 40e3);
  const Vec3 v_Eci = Vec3(-0.5, 0.9, -0.2).normalized() * 3000.0;
  const double dt = 1e-4;
  const StateVector y1 = model.Predict(MakeState(r_Eci, v_Eci, {kappa}), 0.0, dt);
  const StateVector y0 = model.Predict(MakeState(r_Eci, v_Eci, {0.0}), 0.0, dt);
  const Vec3 a_d = (y1.segment<3>(3) - y0.segment<3>(3)) / dt;

  const Vec3 r_Ecef = frame.PositionEcef(r_Eci, 0.0);
  const earth::Geodetic g = earth::GeodeticFromEcef(r_Ecef);
  const double rho = earth::Us76(g.h_m).density_kgpm3;
  const Vec3 u = v_Eci - Vec3(0.0, 0.0, core::kEarthOmega_radps).cross(r_Eci);
  const Vec3 a_ref = -0.5 * rho * kappa * u.norm() * u;
  ASSERT_GT(a_ref.norm(), 5.0);  // a real deceleration (~ 1 g at these numbers)
  EXPECT_LT((a_d - a_ref).norm(), 3e-4 * a_ref.norm())
      << a_d.transpose() << " vs " << a_ref.transpose();
  // And a state above the ceiling feels no drag at all.
  const Vec3 r_high = r_Eci.normalized() * (kWgs84A_m + 200e3);
  EXPECT_EQ(model.Predict(MakeState(r_high, v_Eci, {kappa}), 0.0, 1.0).head(6),
            model.Predict(MakeState(r_high, v_Eci, {0.0}), 0.0, 1.0).head(6));
}

// ---- Glide
// -----------------------------------------------------------------------------------------

TEST(GlideTest, AeroAccelerationDecaysAndAddsToGravity) {
  // With a_aero = a0 the velocity gains int_0^T a0 e^-t/tau dt = a0 tau (1 - e^-T/tau) beyond the
  // gravity-only flight; the a_aero state decays as e^-T/tau. RK4 of a linear decay with h / tau =
  // 0.05: relative error (h/tau)^5 / 120 ~ 3e-9 per step, 3e-8 over 10 steps: 1e-7 on a_aero.
  // For dv, gravity's dependence on the slightly different path adds ~ |G| a0 T^3 / 6 ~ 2.4e-6 *
  // 19 * 1e3 / 6 ~ 8e-3 m/s against |dv| ~ 170 m/s (5e-5): 1e-4 relative.
  const Glide glide;
  const double tau = glide.params().tau_s;
  const Vec3 a0(10.0, -15.0, 5.0);
  const Vec3 r(6.43e6, 0.0, 4e5);
  const Vec3 v(0.0, 5500.0, 0.0);
  const double T = 10.0;
  const StateVector ya = glide.Predict(MakeState(r, v, {a0.x(), a0.y(), a0.z()}), 0.0, T);
  const StateVector y0 = glide.Predict(MakeState(r, v, {0.0, 0.0, 0.0}), 0.0, T);
  const Vec3 dv = ya.segment<3>(3) - y0.segment<3>(3);
  const Vec3 dv_ref = a0 * tau * (1.0 - std::exp(-T / tau));
  EXPECT_LT((dv - dv_ref).norm(), 1e-4 * dv_ref.norm());
  EXPECT_LT((ya.tail<3>() - a0 * std::exp(-T / tau)).norm(), 1e-7 * a0.norm());
}

// ---- Initialise, factory, validation
// ---------------------------------------------------------------

TEST(MotionModelsTest, InitialiseAppendsDocumentedPrior) {
  Gaussian rv;
  rv.x = MakeState({1.0, 2.0, 3.0}, {4.0, 5.0, 6.0});
  rv.P = StateMatrix::Identity(6, 6) * 100.0;
  rv.P(0, 3) = rv.P(3, 0) = 7.0;
  rv.t_s = 12.0;
  const MotionModelParams p;
  struct Expect {
    const char* name;
    int dim;
    double mean;
    double sigma;
  };
  const Expect expects[] = {
      {"cv", 6, 0.0, 0.0},
      {"ca", 9, 0.0, p.ca.accel_prior_sigma_mps2},
      {"singer", 9, 0.0, p.singer.accel_prior_sigma_mps2},
      {"ct", 9, 0.0, p.ct.omega_prior_sigma_radps},
      {"ballistic", 7, p.ballistic.kappa_prior_mean_m2pkg, p.ballistic.kappa_prior_sigma_m2pkg},
      {"glide", 9, 0.0, p.glide.aero_prior_sigma_mps2}};
  for (const Expect& e : expects) {
    const auto m = MakeMotionModel(e.name, p, Frame());
    EXPECT_EQ(m->Name(), e.name);
    EXPECT_EQ(m->Dim(), e.dim);
    const Gaussian g = m->Initialise(rv);
    ASSERT_EQ(g.x.size(), e.dim);
    ASSERT_EQ(g.P.rows(), e.dim);
    EXPECT_EQ(g.t_s, 12.0);
    EXPECT_EQ(g.x.head(6), rv.x);
    EXPECT_EQ(g.P.topLeftCorner(6, 6), rv.P);
    for (int i = 6; i < e.dim; ++i) {
      EXPECT_EQ(g.x[i], e.mean) << e.name;
      EXPECT_DOUBLE_EQ(g.P(i, i), e.sigma * e.sigma) << e.name;
      for (int j = 0; j < e.dim; ++j) {
        if (j != i) {
          EXPECT_EQ(g.P(i, j), 0.0) << e.name;
        }
      }
    }
  }
  // The documented RV prior covers beta = 2,000-13,000 kg/m^2 within 2 sigma.
  EXPECT_LT(std::abs(1.0 / 2000.0 - p.ballistic.kappa_prior_mean_m2pkg),
            2.0 * p.ballistic.kappa_prior_sigma_m2pkg);
  EXPECT_LT(std::abs(1.0 / 13000.0 - p.ballistic.kappa_prior_mean_m2pkg),
            2.0 * p.ballistic.kappa_prior_sigma_m2pkg);
}

TEST(MotionModelsTest, FactoryRejectsUnknownNameListingValidOnes) {
  try {
    MakeMotionModel("nca", MotionModelParams{}, Frame());
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'nca'"), std::string::npos) << msg;
    for (const char* n : {"cv", "ca", "singer", "ct", "ballistic", "glide"}) {
      EXPECT_NE(msg.find(n), std::string::npos) << msg;
    }
  }
}

TEST(MotionModelsTest, ValidateNamesFieldAndValue) {
  const auto expect_throw = [](auto make, const std::string& field, const std::string& value) {
    try {
      make();
      ADD_FAILURE() << "expected std::invalid_argument for " << field;
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(field), std::string::npos) << msg;
      EXPECT_NE(msg.find("(got " + value + ")"), std::string::npos) << msg;
    }
  };
  expect_throw([] { ConstantVelocity({.q_m2ps3 = -1.0}); }, "ConstantVelocityParams.q_m2ps3", "-1");
  expect_throw([] { Singer({.tau_s = 0.0}); }, "SingerParams.tau_s", "0");
  expect_throw([] { ConstantAcceleration({.accel_prior_sigma_mps2 = NAN}); },
               "ConstantAccelerationParams.accel_prior_sigma_mps2", "nan");
  expect_throw([] { CoordinatedTurn3D({.q_omega_rad2ps3 = -2.5}); },
               "CoordinatedTurnParams.q_omega_rad2ps3", "-2.5");
  expect_throw([] { Ballistic({.max_substep_s = 0.0}); }, "BallisticParams.max_substep_s", "0");
  expect_throw([] { Glide({.tau_s = INFINITY}); }, "GlideParams.tau_s", "inf");
  MotionModelParams p;
  p.glide.sigma_a_mps2 = -3.0;
  expect_throw([&p] { MakeMotionModel("glide", p, Frame()); }, "GlideParams.sigma_a_mps2", "-3");
  expect_throw([&p] { p.Validate(); }, "GlideParams.sigma_a_mps2", "-3");
  EXPECT_NO_THROW(MakeMotionModel("cv", p, Frame()));  // only the chosen model's parameters
  p.glide.sigma_a_mps2 = 3.0;
  EXPECT_NO_THROW(p.Validate());
}

}  // namespace
}  // namespace hyperdef::tracking
