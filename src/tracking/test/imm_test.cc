#include "tracking/imm.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/random.h"
#include "tracking/ekf.h"
#include "tracking/test/filter_test_models.h"
#include "tracking/ukf.h"

namespace hyperdef::tracking {
namespace {

using testing::AccelNoise;
using testing::CaModel;
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
  m.R.diagonal() << 100.0, 1e-6, 1e-6;
  return m;
}

Eigen::MatrixXd Transition2(double p11, double p22) {
  Eigen::MatrixXd p(2, 2);
  p << p11, 1.0 - p11, 1.0 - p22, p22;
  return p;
}

// A CV + CA IMM from Prior6(100, 10) with probabilities (0.7, 0.3), predicted to t = 3 s.
std::unique_ptr<TrackFilter> CvCaImmAt3() {
  auto cv = std::make_shared<CvModel>(1.0);
  auto ca = std::make_shared<CaModel>(20.0, 10.0);
  std::unique_ptr<TrackFilter> imm = MakeImm({cv, ca}, Transition2(0.95, 0.9), {0.7, 0.3}, false,
                                             Prior6(100.0, 10.0), &TestModelFor);
  imm->Predict(3.0);
  return imm;
}

// Two identical modes carry no model uncertainty: the IMM must reduce to the single EKF, and the
// mode probabilities only follow the Markov chain (equal likelihoods) to its stationary
// distribution, (0.75, 0.25) for p11 = 0.9, p22 = 0.7.
TEST(ImmTest, IdenticalModesReduceToTheEkf) {
  auto cv = std::make_shared<CvModel>(3.0);
  const Gaussian g0 = Prior6(300.0, 30.0);
  std::unique_ptr<TrackFilter> imm =
      MakeImm({cv, cv}, Transition2(0.9, 0.7), {0.5, 0.5}, false, g0, &TestModelFor);
  EkfFilter ekf(cv, g0, &TestModelFor);
  for (int k = 1; k <= 60; ++k) {
    const double t = 2.0 * k;
    const Measurement m = Radar(t, 2300.0 + 10.0 * k, 2.6 + 0.001 * k, 0.22);
    imm->Predict(t);
    ekf.Predict(t);
    imm->Update(m);
    ekf.Update(m);
  }
  const Gaussian a = imm->Estimate(), b = ekf.Estimate();
  // Mixing identical Gaussians is the identity up to round-off.
  EXPECT_NEAR((a.x - b.x).norm(), 0.0, 1e-6);
  EXPECT_NEAR((a.P - b.P).norm() / b.P.norm(), 0.0, 1e-9);
  const std::vector<double> mu = imm->ModeProbabilities();
  ASSERT_EQ(mu.size(), 2u);
  EXPECT_NEAR(mu[0], 0.75, 1e-9);  // converged geometrically at rate 0.6 per scan
  EXPECT_NEAR(mu[1], 0.25, 1e-9);
}

// Mixing of unequal dimensions (imm.h): the 9-state CA mode receives (r, v) from the CV mode but
// keeps its own acceleration; two modes of the same model share the extra states.
TEST(ImmTest, UnequalDimensionMixingKeepsOwnExtraStates) {
  auto cv = std::make_shared<CvModel>(0.0);
  auto ca = std::make_shared<CaModel>(0.0, 1.0);
  Gaussian g_cv = Prior6(100.0, 10.0);
  Gaussian g_ca = ca->Initialise(Prior6(50.0, 5.0));
  g_ca.x.head(6) += StateVector::Constant(6, 40.0);
  g_ca.x.tail(3) << 30.0, -20.0, 10.0;
  g_ca.P(0, 6) = g_ca.P(6, 0) = 20.0;  // r-a correlation
  auto make = [&](std::shared_ptr<const MotionModel> m1, const Gaussian& s1,
                  std::shared_ptr<const MotionModel> m2, const Gaussian& s2) {
    std::vector<std::unique_ptr<GaussianFilter>> modes;
    modes.push_back(std::make_unique<EkfFilter>(m1, s1, &TestModelFor));
    modes.push_back(std::make_unique<EkfFilter>(m2, s2, &TestModelFor));
    return ImmFilter(std::move(modes), Transition2(0.8, 0.8), {0.5, 0.5});
  };
  // Predicting over 1 ns is mixing only: F = I + O(1e-9), Q = 0.
  const double dt = 1e-9;
  {
    ImmFilter imm = make(cv, g_cv, ca, g_ca);
    imm.Predict(dt);
    // c = (0.5, 0.5); mu_{cv|ca} = 0.2, mu_{ca|ca} = 0.8 and the reverse for the CV mode.
    const Gaussian& m_ca = imm.Mode(1).State();
    const Gaussian& m_cv = imm.Mode(0).State();
    const StateVector rv_ca = 0.2 * g_cv.x + 0.8 * g_ca.x.head(6);
    const StateVector rv_cv = 0.8 * g_cv.x + 0.2 * g_ca.x.head(6);
    // 1e-5: the 1 ns prediction moves r by v dt ~ 1e-7 m.
    EXPECT_NEAR((m_ca.x.head(6) - rv_ca).norm(), 0.0, 1e-5);
    EXPECT_NEAR((m_cv.x - rv_cv).norm(), 0.0, 1e-5);
    EXPECT_NEAR((m_ca.x.tail(3) - g_ca.x.tail(3)).norm(), 0.0, 1e-6);  // own acceleration
    // Own acceleration variance; the r-a correlation is kept with the CA mode's own weight.
    EXPECT_NEAR(m_ca.P(7, 7), g_ca.P(7, 7), 1e-9);
    EXPECT_NEAR(m_ca.P(0, 6), 0.8 * 20.0, 1e-6);
    // (r, v) covariance: the mixture with its spread of means (d = 40 m on every axis).
    const StateVector d = g_cv.x - g_ca.x.head(6);
    const StateMatrix P_rv =
        0.2 * g_cv.P + 0.8 * g_ca.P.topLeftCorner(6, 6) + 0.2 * 0.8 * d * d.transpose();
    EXPECT_NEAR((m_ca.P.topLeftCorner(6, 6) - P_rv).norm() / P_rv.norm(), 0.0, 1e-9);
    EXPECT_EQ(Eigen::LLT<StateMatrix>(m_ca.P).info(), Eigen::Success);  // positive definite
    EXPECT_EQ(imm.ModeNames(), (std::vector<std::string>{"cv", "ca"}));
  }
  {
    // Two modes of the same model ("ca", 9 states): the acceleration is mixed too.
    Gaussian g_ca1 = ca->Initialise(Prior6(100.0, 10.0));
    g_ca1.x.tail(3) << -10.0, 0.0, 0.0;
    ImmFilter imm = make(ca, g_ca1, ca, g_ca);
    imm.Predict(dt);
    EXPECT_NEAR(imm.Mode(1).State().x(6), 0.2 * -10.0 + 0.8 * 30.0, 1e-6);
    EXPECT_NEAR(imm.Mode(0).State().x(6), 0.8 * -10.0 + 0.2 * 30.0, 1e-6);
  }
}

TEST(ImmTest, InnovationIsTheModeMixture) {
  const std::unique_ptr<TrackFilter> imm_ptr = CvCaImmAt3();
  auto& imm = dynamic_cast<ImmFilter&>(*imm_ptr);
  const Measurement m = Radar(3.0, 2400.0, 2.75, 0.2);
  const Innovation inn = imm.Innovate(m);
  const std::vector<double> mu = imm.ModeProbabilities();
  // Predicted probabilities c = P' mu0.
  EXPECT_NEAR(mu[0], 0.95 * 0.7 + 0.1 * 0.3, 1e-12);
  const Innovation i0 = imm.Mode(0).Innovate(m), i1 = imm.Mode(1).Innovate(m);
  EXPECT_NEAR(inn.log_likelihood,
              std::log(mu[0] * std::exp(i0.log_likelihood) + mu[1] * std::exp(i1.log_likelihood)),
              1e-10);
  EXPECT_NEAR((inn.nu - (mu[0] * i0.nu + mu[1] * i1.nu)).norm(), 0.0, 1e-10);
  const MeasVector d = i0.nu - i1.nu;
  const MeasMatrix S = mu[0] * i0.S + mu[1] * i1.S + mu[0] * mu[1] * d * d.transpose();
  EXPECT_NEAR((inn.S - S).norm() / S.norm(), 0.0, 1e-12);
  EXPECT_EQ(inn.Pxz.rows(), 6);
  EXPECT_NEAR(inn.nis, inn.nu.dot(inn.S.inverse() * inn.nu), 1e-9 * inn.nis);
}

// The association shortcuts give Innovate's and Estimate's numbers exactly (the tracker's outputs
// must not depend on which one it called): Score = Innovate's (nis, log-likelihood), and
// PositionEstimate = Estimate's position block, bit for bit.
TEST(ImmTest, ScoreAndPositionEstimateEqualTheFullForms) {
  const std::unique_ptr<TrackFilter> imm_ptr = CvCaImmAt3();
  auto& imm = dynamic_cast<ImmFilter&>(*imm_ptr);
  for (const double range : {2400.0, 2500.0, 9000.0}) {
    const Measurement m = Radar(3.0, range, 2.75, 0.2);
    double nis = 0.0, log_l = 0.0;
    imm.Score(m, &nis, &log_l);
    const Innovation inn = imm.Innovate(m);
    EXPECT_EQ(nis, inn.nis);
    EXPECT_EQ(log_l, inn.log_likelihood);
  }
  Vec3 r;
  Mat3 P;
  imm.PositionEstimate(&r, &P);
  const Gaussian e = imm.Estimate();
  EXPECT_EQ(r, Vec3(e.x.head<3>()));
  EXPECT_EQ(P, Mat3(e.P.topLeftCorner<3, 3>()));
}

// The IMM's acceleration estimate is the mixture's mean: the modes' accelerations weighted by
// the current probabilities (here a CV mode, whose acceleration is zero by the default forward
// difference, and a CA mode with its acceleration state, after an update moved both).
TEST(ImmTest, AccelerationEstimateIsTheProbabilityWeightedMean) {
  const std::unique_ptr<TrackFilter> imm_ptr = CvCaImmAt3();
  auto& imm = dynamic_cast<ImmFilter&>(*imm_ptr);
  imm.Update(Position(3.0, Vec3(1400.0, -1800.0, 440.0), 5.0));
  const std::vector<double> mu = imm.ModeProbabilities();
  Vec3 expected = Vec3::Zero();
  for (int j = 0; j < imm.ModeCount(); ++j) {
    expected += mu[static_cast<size_t>(j)] * imm.Mode(j).AccelerationEstimate();
  }
  const Vec3 a_ca = imm.Mode(1).State().x.segment<3>(6);
  EXPECT_GT(a_ca.norm(), 1.0);  // the update did move the CA mode's acceleration
  EXPECT_LT(imm.Mode(0).AccelerationEstimate().norm(), 1e-6);
  EXPECT_LT((imm.Mode(1).AccelerationEstimate() - a_ca).norm(), 1e-6);
  EXPECT_LT((imm.AccelerationEstimate() - expected).norm(), 1e-12);
}

TEST(ImmTest, PdaReducesToUpdateAndToNoUpdate) {
  auto cv = std::make_shared<CvModel>(1.0);
  auto ca = std::make_shared<CaModel>(20.0, 10.0);
  auto a = MakeImm({cv, ca}, Transition2(0.95, 0.9), {0.7, 0.3}, false, Prior6(100.0, 10.0),
                   &TestModelFor);
  a->Predict(3.0);
  auto b = a->Clone();
  auto c = a->Clone();
  const Measurement m = Radar(3.0, 2400.0, 2.75, 0.2);
  a->Update(m);
  b->UpdatePda({&m}, {1.0}, 0.0);
  // Same per-mode conditional updates; the mixture adds and subtracts dx dx'.
  EXPECT_NEAR((a->Estimate().x - b->Estimate().x).norm(), 0.0, 1e-7);
  EXPECT_NEAR((a->Estimate().P - b->Estimate().P).norm() / a->Estimate().P.norm(), 0.0, 1e-9);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(a->ModeProbabilities()[j], b->ModeProbabilities()[j], 1e-12);
  }
  const Gaussian before = c->Estimate();
  const std::vector<double> mu_before = c->ModeProbabilities();
  c->UpdatePda({&m}, {0.0}, 1.0);
  EXPECT_EQ(c->Estimate().x, before.x);
  EXPECT_EQ(c->ModeProbabilities(), mu_before);
}

// On linear models with position measurements the UKF modes equal the EKF modes to round-off
// (the unscented transform is exact for linear maps), so the two IMMs must agree.
TEST(ImmTest, UnscentedModesMatchExtendedOnLinearModels) {
  auto cv = std::make_shared<CvModel>(1.0);
  auto ca = std::make_shared<CaModel>(20.0, 10.0);
  auto e = MakeImm({cv, ca}, Transition2(0.95, 0.9), {0.7, 0.3}, false, Prior6(100.0, 10.0),
                   &TestModelFor);
  auto u = MakeImm({cv, ca}, Transition2(0.95, 0.9), {0.7, 0.3}, true, Prior6(100.0, 10.0),
                   &TestModelFor);
  for (int k = 1; k <= 20; ++k) {
    const Measurement m = Position(k, Vec3(1000.0 + 110.0 * k, -2000.0 + 45.0 * k * k, 400.0), 20);
    e->Predict(k);
    u->Predict(k);
    e->Update(m);
    u->Update(m);
  }
  EXPECT_NEAR((e->Estimate().x - u->Estimate().x).norm(), 0.0, 1e-5);
  EXPECT_NEAR(e->ModeProbabilities()[1], u->ModeProbabilities()[1], 1e-8);
}

// A 3-D constant-turn truth: straight and level at 300 m/s, a 5 g level turn from t = 30 s to
// 45 s (turn rate 0.16 rad/s, 140 degrees), straight again to t = 90 s; position fixes with 30 m
// per axis every second.
struct ManoeuvreRun {
  std::vector<double> mu_ca;  // IMM probability of the CA mode after each update
  double sq_err_imm = 0.0;    // sums over scans of |r_est - r_true|^2
  double sq_err_cv = 0.0;
  double sq_err_ca = 0.0;
};

constexpr double kTurnStart_s = 30.0;
constexpr double kTurnEnd_s = 45.0;
constexpr int kScans = 90;

ManoeuvreRun FlyManoeuvre(int run) {
  core::RandomStream rng(7, run, "imm_manoeuvre", "filters");
  const double speed = 300.0, sigma = 30.0;
  const double omega = 5.0 * core::kG0_mps2 / speed;
  auto cv = std::make_shared<CvModel>(0.5);
  auto ca = std::make_shared<CaModel>(40.0, 5.0);
  Vec3 r(0.0, 0.0, 5000.0), v(speed, 0.0, 0.0);
  Gaussian g0;
  g0.x = StateVector::Zero(6);
  g0.P = StateMatrix::Zero(6, 6);
  g0.P.diagonal() << Eigen::Vector3d::Constant(sigma * sigma), Eigen::Vector3d::Constant(400.0);
  g0.x << r, v;
  g0.x += testing::DrawGaussian(g0.P, rng);
  auto imm = MakeImm({cv, ca}, Transition2(0.95, 0.9), {0.9, 0.1}, false, g0, &TestModelFor);
  auto f_cv = MakeEkf(cv, g0, &TestModelFor);
  auto f_ca = MakeEkf(ca, g0, &TestModelFor);
  ManoeuvreRun out;
  for (int k = 1; k <= kScans; ++k) {
    const double t = k;
    // Exact 1 s of flight: a level turn rotates v about z.
    const double w = (t > kTurnStart_s && t <= kTurnEnd_s) ? omega : 0.0;
    if (w == 0.0) {
      r += v;
    } else {
      const double s = std::sin(w), c = std::cos(w);
      r += Vec3((s * v.x() - (1.0 - c) * v.y()) / w, ((1.0 - c) * v.x() + s * v.y()) / w, 0.0);
      v = Vec3(c * v.x() - s * v.y(), s * v.x() + c * v.y(), v.z());
    }
    const Vec3 z(r.x() + sigma * rng.Normal(), r.y() + sigma * rng.Normal(),
                 r.z() + sigma * rng.Normal());
    const Measurement m = Position(t, z, sigma);
    for (TrackFilter* f : {imm.get(), f_cv.get(), f_ca.get()}) {
      f->Predict(t);
      f->Update(m);
    }
    out.mu_ca.push_back(imm->ModeProbabilities()[1]);
    out.sq_err_imm += (imm->Estimate().x.head<3>() - r).squaredNorm();
    out.sq_err_cv += (f_cv->Estimate().x.head<3>() - r).squaredNorm();
    out.sq_err_ca += (f_ca->Estimate().x.head<3>() - r).squaredNorm();
  }
  return out;
}

// IMM with CV (q = 0.5) and CA (q = 40) modes on a 5 g turn (Bar-Shalom et al. 2001 §11.7
// shows the same qualitative behaviour): over 100 Monte Carlo runs the mean CA probability
// exceeds 0.5 within 5 scans of the onset, drops below 0.5 again within 15 scans of the turn's
// end, and the whole-run position RMSE of the IMM is below that of either mode filter alone.
TEST(ImmTest, ManoeuvreDetectionAndRmse) {
  const int runs = 100;
  std::vector<double> mean_mu(kScans, 0.0);
  double se_imm = 0.0, se_cv = 0.0, se_ca = 0.0;
  for (int run = 0; run < runs; ++run) {
    const ManoeuvreRun r = FlyManoeuvre(run);
    for (int k = 0; k < kScans; ++k) mean_mu[k] += r.mu_ca[k] / runs;
    se_imm += r.sq_err_imm;
    se_cv += r.sq_err_cv;
    se_ca += r.sq_err_ca;
  }
  const int onset = static_cast<int>(kTurnStart_s);  // index of the first turning scan
  const int end = static_cast<int>(kTurnEnd_s);
  EXPECT_LT(mean_mu[onset - 1], 0.5);  // straight flight: CV dominates
  int first_above = -1;
  for (int k = onset; k < end; ++k) {
    if (mean_mu[k] > 0.5) {
      first_above = k;
      break;
    }
  }
  ASSERT_GE(first_above, onset) << "CA mode never dominant during the turn";
  EXPECT_LE(first_above - onset, 5) << "scans to detect the turn";
  EXPECT_LT(mean_mu[end + 15], 0.5);
  EXPECT_LT(mean_mu[kScans - 1], 0.5);
  const double rmse_imm = std::sqrt(se_imm / (runs * kScans));
  const double rmse_cv = std::sqrt(se_cv / (runs * kScans));
  const double rmse_ca = std::sqrt(se_ca / (runs * kScans));
  EXPECT_LT(rmse_imm, rmse_cv);
  EXPECT_LT(rmse_imm, rmse_ca);
  RecordProperty("rmse_imm_m", std::to_string(rmse_imm));
  RecordProperty("rmse_cv_m", std::to_string(rmse_cv));
  RecordProperty("rmse_ca_m", std::to_string(rmse_ca));
  std::printf(
      "RMSE position: IMM %.1f m, CV %.1f m, CA %.1f m; mean mu_CA at onset-1 %.3f, "
      "onset+%d %.3f, end+15 %.3f\n",
      rmse_imm, rmse_cv, rmse_ca, mean_mu[onset - 1], first_above - onset, mean_mu[first_above],
      mean_mu[end + 15]);
}

}  // namespace
}  // namespace hyperdef::tracking
