#include "tracking/ekf.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <memory>
#include <string>

#include "core/error.h"
#include "tracking/test/filter_test_models.h"

namespace hyperdef::tracking {
namespace {

using testing::AccelNoise;
using testing::CvModel;
using testing::TestModelFor;

Gaussian Prior6(double sigma_p, double sigma_v) {
  Gaussian g;
  g.x = StateVector::Zero(6);
  g.x << 1000.0, -2000.0, 500.0, 100.0, 50.0, -10.0;
  g.P = StateMatrix::Zero(6, 6);
  g.P.diagonal() << Eigen::Vector3d::Constant(sigma_p * sigma_p),
      Eigen::Vector3d::Constant(sigma_v * sigma_v);
  return g;
}

Measurement Position(double t, const Vec3& r, double sigma) {
  Measurement m;
  m.kind = MeasKind::kPosition;
  m.t_s = t;
  m.z = r;
  m.R = MeasMatrix::Identity(3, 3) * sigma * sigma;
  return m;
}

Measurement Radar(double t, double range, double az, double el) {
  Measurement m;
  m.kind = MeasKind::kRadar;
  m.t_s = t;
  m.z.resize(3);
  m.z << range, az, el;
  m.R = MeasMatrix::Zero(3, 3);
  m.R.diagonal() << 25.0, 1e-6, 1e-6;
  return m;
}

// Steady-state gain of the Kalman filter for the DWNA (piecewise-constant white acceleration)
// model with position measurements is the alpha-beta filter of Kalata 1984 (IEEE TAES 20(2)),
// tracking index lambda = sigma_v T^2 / sigma_w (Bar-Shalom, Li & Kirubarajan 2001 §6.5.3):
//   alpha = -(lambda^2 + 8 lambda - (lambda + 4) sqrt(lambda^2 + 8 lambda)) / 8,
//   beta = (lambda^2 + 4 lambda - lambda sqrt(lambda^2 + 8 lambda)) / 4,  K = (alpha, beta / T).
TEST(EkfTest, SteadyStateGainIsKalataAlphaBeta) {
  for (const double lambda : {0.05, 0.5, 3.0}) {
    const double T = 2.0;
    const double sigma_w = 15.0;
    const double sigma_v = lambda * sigma_w / (T * T);
    auto model = std::make_shared<CvModel>(sigma_v * sigma_v, AccelNoise::kPiecewiseConstant);
    EkfFilter f(model, Prior6(1000.0, 100.0), &TestModelFor);
    Innovation inn;
    GainMatrix K;
    for (int k = 1; k <= 400; ++k) {
      f.Predict(k * T);
      // The gain does not depend on the measured values.
      const Measurement m = Position(k * T, Vec3(1000.0, -2000.0, 500.0), sigma_w);
      inn = f.Innovate(m);
      K = inn.Pxz * inn.S.inverse();
      f.Update(m);
    }
    const double s = std::sqrt(lambda * lambda + 8.0 * lambda);
    const double alpha = -(lambda * lambda + 8.0 * lambda - (lambda + 4.0) * s) / 8.0;
    const double beta = (lambda * lambda + 4.0 * lambda - lambda * s) / 4.0;
    for (int axis = 0; axis < 3; ++axis) {
      // The Riccati recursion converges geometrically; after 400 steps only round-off is left.
      EXPECT_NEAR(K(axis, axis), alpha, 1e-9) << "lambda " << lambda;
      EXPECT_NEAR(K(axis + 3, axis) * T, beta, 1e-9) << "lambda " << lambda;
      // Axes are decoupled: no gain from one axis' measurement to another axis' state.
      EXPECT_NEAR(K(axis, (axis + 1) % 3), 0.0, 1e-12);
    }
    // Bar-Shalom et al. 2001 §6.5.3: the optimal pair obeys beta = 2 (2 - alpha) -
    // 4 sqrt(1 - alpha); an independent check of the closed form above.
    EXPECT_NEAR(beta, 2.0 * (2.0 - alpha) - 4.0 * std::sqrt(1.0 - alpha), 1e-12);
  }
}

TEST(EkfTest, RadarJacobianMatchesNumericalDerivative) {
  const testing::RadarModel radar;
  Measurement m = Radar(0.0, 0.0, 0.0, 0.0);
  m.sensor_r_Eci = Vec3(100.0, -50.0, 20.0);
  m.R_EnuFromEci = Eigen::AngleAxisd(0.3, Vec3(1.0, 2.0, 3.0).normalized()).toRotationMatrix();
  StateVector x(7);
  x << 3000.0, 4000.0, 1500.0, 10.0, 20.0, 30.0, 0.1;
  const MeasJacobian H = radar.Jacobian(x, m);
  ASSERT_EQ(H.rows(), 3);
  ASSERT_EQ(H.cols(), 7);
  for (int j = 0; j < 7; ++j) {
    const double h = 1e-3;  // m: central difference error ~ h^2 / range^2, far below 1e-9
    StateVector xp = x, xm = x;
    xp(j) += h;
    xm(j) -= h;
    const MeasVector d = radar.Residual(radar.Predict(xp, m), radar.Predict(xm, m)) / (2.0 * h);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(H(i, j), d(i), 1e-9) << i << "," << j;
  }
}

TEST(EkfTest, PredictIsFPFtPlusQ) {
  auto model = std::make_shared<CvModel>(2.0);
  const Gaussian g0 = Prior6(100.0, 10.0);
  EkfFilter f(model, g0, &TestModelFor);
  f.Predict(3.0);
  const StateMatrix F = model->Jacobian(g0.x, 0.0, 3.0);
  const StateMatrix P = F * g0.P * F.transpose() + model->ProcessNoise(g0.x, 0.0, 3.0);
  EXPECT_EQ(f.Time(), 3.0);
  EXPECT_NEAR((f.State().x - F * g0.x).norm(), 0.0, 1e-9);  // linear model: exact
  EXPECT_NEAR((f.State().P - P).norm(), 0.0, 1e-9);
  f.Predict(3.0);  // same time: a no-op
  EXPECT_NEAR((f.State().P - P).norm(), 0.0, 1e-9);
}

// Joseph form against the information form P^-1 = P-^-1 + H' R^-1 H for a linear update.
TEST(EkfTest, UpdateMatchesInformationForm) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter f(model, Prior6(300.0, 30.0), &TestModelFor);
  f.Predict(1.0);
  const Gaussian prior = f.State();
  const Measurement m = Position(1.0, Vec3(1200.0, -1900.0, 450.0), 20.0);
  f.Update(m);
  MeasJacobian H = MeasJacobian::Zero(3, 6);
  H.leftCols(3).setIdentity();
  const Eigen::MatrixXd info = prior.P.inverse() + H.transpose() * m.R.inverse() * H;
  const Eigen::MatrixXd P = info.inverse();
  const Eigen::VectorXd x = P * (prior.P.inverse() * prior.x + H.transpose() * m.R.inverse() * m.z);
  // Relative round-off of two 6x6 inversions with condition number ~1e3.
  EXPECT_NEAR((f.State().P - P).norm() / P.norm(), 0.0, 1e-10);
  EXPECT_NEAR((f.State().x - x).norm(), 0.0, 1e-8);
  EXPECT_EQ(f.State().P, f.State().P.transpose());  // symmetrised exactly
}

TEST(EkfTest, InnovationLogLikelihoodIsGaussianDensity) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter f(model, Prior6(30.0, 3.0), &TestModelFor);
  const Measurement m = Position(0.0, Vec3(1010.0, -2030.0, 480.0), 10.0);
  const Innovation inn = f.Innovate(m);
  const Eigen::MatrixXd S = inn.S;
  const Eigen::VectorXd nu = inn.nu;
  const double nis = nu.dot(S.inverse() * nu);
  const double ll = -0.5 * (nis + std::log(S.determinant()) + 3.0 * std::log(2.0 * core::kPi));
  EXPECT_NEAR(inn.nis, nis, 1e-12 * nis);
  EXPECT_NEAR(inn.log_likelihood, ll, 1e-12 * std::abs(ll));
  EXPECT_NEAR(inn.nu(1), -30.0, 1e-12);
}

// Average NEES and NIS over 500 Monte Carlo runs of the radar pass must lie in the two-sided 95%
// chi-square band for 500 x dof degrees of freedom divided by 500 (Bar-Shalom et al. 2001
// §5.4.2). The steps checked are after convergence (20), approaching (60), at closest approach
// (83, largest angle rates) and receding (115).
TEST(EkfTest, RadarPassNeesAndNisAreConsistent) {
  const int runs = 500;
  const testing::RadarPassScenario sc;
  const testing::ConsistencyStats st =
      testing::RadarPassConsistency(sc, runs, [](const Gaussian& g0) {
        return MakeEkf(std::make_shared<CvModel>(testing::RadarPassScenario{}.q), g0,
                       &TestModelFor);
      });
  const boost::math::chi_squared nees_dist(runs * 6.0), nis_dist(runs * 3.0);
  const double nees_lo = boost::math::quantile(nees_dist, 0.025) / runs;
  const double nees_hi = boost::math::quantile(nees_dist, 0.975) / runs;
  const double nis_lo = boost::math::quantile(nis_dist, 0.025) / runs;
  const double nis_hi = boost::math::quantile(nis_dist, 0.975) / runs;
  for (const int k : {20, 60, 83, 115}) {
    EXPECT_GT(st.mean_nees[k], nees_lo) << "step " << k;
    EXPECT_LT(st.mean_nees[k], nees_hi) << "step " << k;
    EXPECT_GT(st.mean_nis[k], nis_lo) << "step " << k;
    EXPECT_LT(st.mean_nis[k], nis_hi) << "step " << k;
  }
}

TEST(EkfTest, PdaWithBeta0ZeroAndOneMeasurementIsUpdate) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter a(model, Prior6(300.0, 30.0), &TestModelFor);
  a.Predict(2.0);
  EkfFilter b = a;
  const Measurement m = Radar(2.0, 2500.0, 2.7, 0.2);
  a.Update(m);
  b.UpdatePda({&m}, {1.0}, 0.0);
  // Same conditional update; the mixture adds and subtracts dx dx' (round-off ~1e-16 |dx|^2).
  EXPECT_NEAR((a.State().x - b.State().x).norm(), 0.0, 1e-8);
  EXPECT_NEAR((a.State().P - b.State().P).norm() / a.State().P.norm(), 0.0, 1e-9);
}

TEST(EkfTest, PdaWithBeta0OneLeavesTheState) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter f(model, Prior6(300.0, 30.0), &TestModelFor);
  f.Predict(2.0);
  const Gaussian before = f.State();
  const Measurement m = Position(2.0, Vec3(1500.0, -1800.0, 400.0), 10.0);
  f.UpdatePda({&m}, {0.0}, 1.0);
  EXPECT_EQ(f.State().x, before.x);
  EXPECT_EQ(f.State().P, before.P);
  f.UpdatePda({}, {}, 1.0);  // no measurement at all
  EXPECT_EQ(f.State().x, before.x);
}

// With one sensor (common R, H) the mixture form is the textbook PDAF (Bar-Shalom, Daum & Huang
// 2009 eqs. 35-40): x = x- + K nu, P = beta0 P- + (1 - beta0) Pc + K (sum b_i nu_i nu_i' -
// nu nu') K'.
TEST(EkfTest, PdaMatchesTextbookPdaf) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter f(model, Prior6(300.0, 30.0), &TestModelFor);
  f.Predict(2.0);
  const Gaussian prior = f.State();
  const Measurement m1 = Position(2.0, Vec3(1250.0, -1880.0, 400.0), 40.0);
  const Measurement m2 = Position(2.0, Vec3(1150.0, -1920.0, 520.0), 40.0);
  const double b1 = 0.5, b2 = 0.3, b0 = 0.2;
  const Innovation i1 = f.Innovate(m1), i2 = f.Innovate(m2);
  const Eigen::MatrixXd K = i1.Pxz * i1.S.inverse();
  const Eigen::VectorXd nu = b1 * i1.nu + b2 * i2.nu;
  const Eigen::MatrixXd Pc = prior.P - K * i1.S * K.transpose();
  const Eigen::MatrixXd spread =
      K * (b1 * i1.nu * i1.nu.transpose() + b2 * i2.nu * i2.nu.transpose() - nu * nu.transpose()) *
      K.transpose();
  const Eigen::MatrixXd P = b0 * prior.P + (1.0 - b0) * Pc + spread;
  f.UpdatePda({&m1, &m2}, {b1, b2}, b0);
  EXPECT_NEAR((f.State().x - (prior.x + K * nu)).norm(), 0.0, 1e-8);
  // Joseph form vs short form and different summation order: relative round-off.
  EXPECT_NEAR((f.State().P - P).norm() / P.norm(), 0.0, 1e-10);
  // The spread term makes the PDA covariance larger than the weighted one without it.
  EXPECT_GT(spread.trace(), 0.0);
}

TEST(EkfTest, NonPositiveDefiniteInnovationIsReported) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter f(model, Prior6(10.0, 1.0), &TestModelFor);
  Measurement m = Position(0.0, Vec3(1000.0, -2000.0, 500.0), 1.0);
  m.R = -1e6 * MeasMatrix::Identity(3, 3);  // a corrupted covariance
  const Innovation inn = f.Innovate(m);
  EXPECT_TRUE(std::isinf(inn.nis));
  EXPECT_TRUE(std::isinf(inn.log_likelihood) && inn.log_likelihood < 0.0);
  try {
    f.Update(m);
    FAIL() << "Update accepted a non positive definite S";
  } catch (const core::InvariantError& e) {
    EXPECT_NE(std::string(e.what()).find("EKF: position measurement update: innovation "
                                         "covariance S is not positive definite"),
              std::string::npos)
        << e.what();
  }
}

// Correct() reuses the linearisation of the filter's last Innovate() of the same measurement at
// the same state (gating then update); the result must be exactly that of a fresh update, and a
// stale linearisation (another z in the same Measurement object, or a state moved on by Predict
// or an update) must never be reused.
TEST(EkfTest, UpdateAfterInnovateEqualsFreshUpdate) {
  auto model = std::make_shared<CvModel>(1.0);
  EkfFilter a(model, Prior6(100.0, 10.0), &TestModelFor);
  EkfFilter b(model, Prior6(100.0, 10.0), &TestModelFor);
  auto expect_same = [&](const char* what) {
    EXPECT_EQ(a.State().x, b.State().x) << what;
    EXPECT_EQ(a.State().P, b.State().P) << what;
  };
  Measurement m = Radar(0.0, 2300.0, 2.0, 0.2);
  const Innovation ia = a.Innovate(m);
  const Innovation ua = a.Correct(m);
  const Innovation ub = b.Correct(m);
  expect_same("innovate then update");
  EXPECT_EQ(ia.nis, ub.nis);
  EXPECT_EQ(ua.log_likelihood, ub.log_likelihood);
  // The same object with another z: linearised afresh.
  m.z(0) += 40.0;
  a.Innovate(m);
  m.z(0) += 40.0;
  a.Update(m);
  b.Update(m);
  expect_same("z changed after innovate");
  // The state moved on (a predict) between innovate and update.
  m.t_s = 1.0;
  a.Innovate(m);
  a.Predict(1.0);
  b.Predict(1.0);
  a.Update(m);
  b.Update(m);
  expect_same("predict after innovate");
  // The state moved on by an update between innovate and update.
  a.Innovate(m);
  a.Update(m);
  b.Update(m);
  a.Update(m);
  b.Update(m);
  expect_same("update after update");
}

TEST(EkfTest, CloneIsIndependentAndSingleMode) {
  auto model = std::make_shared<CvModel>(1.0, AccelNoise::kContinuous, "cv_test");
  std::unique_ptr<TrackFilter> f = MakeEkf(model, Prior6(100.0, 10.0), &TestModelFor);
  std::unique_ptr<TrackFilter> g = f->Clone();
  g->Predict(5.0);
  g->Update(Position(5.0, Vec3(0.0, 0.0, 0.0), 5.0));
  EXPECT_EQ(f->Time(), 0.0);
  EXPECT_EQ(f->Estimate().x(0), 1000.0);
  EXPECT_EQ(g->Time(), 5.0);
  EXPECT_EQ(f->ModeNames(), std::vector<std::string>{"cv_test"});
  EXPECT_EQ(f->ModeProbabilities(), std::vector<double>{1.0});
}

}  // namespace
}  // namespace hyperdef::tracking
