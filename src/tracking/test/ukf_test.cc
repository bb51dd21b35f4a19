#include "tracking/ukf.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <memory>
#include <string>

#include "core/error.h"
#include "tracking/ekf.h"
#include "tracking/test/filter_test_models.h"

namespace hyperdef::tracking {
namespace {

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
  g.P(0, 3) = g.P(3, 0) = 0.5 * sigma_p * sigma_v;  // some correlation
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

// The unscented transform is exact for linear maps, so on a linear model with position
// measurements the UKF must reproduce the Kalman filter (the EKF) to round-off, for the 6-state
// CV and the 9-state CA model alike.
TEST(UkfTest, EqualsKalmanFilterOnLinearModels) {
  std::vector<std::shared_ptr<const MotionModel>> models = {std::make_shared<CvModel>(2.0),
                                                            std::make_shared<CaModel>(5.0, 3.0)};
  for (const auto& model : models) {
    const Gaussian g0 = model->Initialise(Prior6(200.0, 20.0));
    UkfFilter u(model, g0, &TestModelFor);
    EkfFilter e(model, g0, &TestModelFor);
    for (int k = 1; k <= 10; ++k) {
      const Measurement m = Position(k, Vec3(1000.0 + 90.0 * k, -2000.0 + 60.0 * k, 500.0), 30.0);
      u.Predict(k);
      e.Predict(k);
      const Innovation iu = u.Innovate(m), ie = e.Innovate(m);
      EXPECT_NEAR((iu.S - ie.S).norm() / ie.S.norm(), 0.0, 1e-10);
      EXPECT_NEAR(iu.nis, ie.nis, 1e-9 * ie.nis);
      u.Update(m);
      e.Update(m);
    }
    // Relative round-off after ten cycles (sigma-point sums of terms up to 4e4 m^2).
    EXPECT_NEAR((u.State().x - e.State().x).norm(), 0.0, 1e-6) << model->Name();
    EXPECT_NEAR((u.State().P - e.State().P).norm() / e.State().P.norm(), 0.0, 1e-9)
        << model->Name();
  }
}

// A target due north of the radar: the sigma points straddle azimuth 0 / 2 pi. The predicted
// azimuth must average the wrapped residuals (near 0), not the raw angles (near pi).
TEST(UkfTest, AzimuthWrapsAcrossNorth) {
  auto model = std::make_shared<CvModel>(1.0);
  Gaussian g;
  g.x = StateVector::Zero(6);
  g.x << 0.0, 10000.0, 1000.0, 0.0, -100.0, 0.0;
  g.P = StateMatrix::Identity(6, 6) * 100.0 * 100.0;  // +-100 m east at 10 km: +-10 mrad
  UkfFilter u(model, g, &TestModelFor);
  EkfFilter e(model, g, &TestModelFor);
  // Measured 1 mrad west of north, reported in [0, 2 pi) as the sensors do.
  const Measurement m = Radar(0.0, 10050.0, 2.0 * core::kPi - 1e-3, 0.0995);
  const Innovation iu = u.Innovate(m), ie = e.Innovate(m);
  // The two differ only by the UT's second-order terms, ~ (sigma / range)^2 ~ 1e-4 of the angle
  // spread: far below the 1 mrad innovation itself.
  EXPECT_NEAR(iu.nu(1), -1e-3, 1e-5);
  EXPECT_NEAR(iu.nu(1), ie.nu(1), 1e-5);
  EXPECT_NEAR(iu.S(1, 1), ie.S(1, 1), 1e-3 * ie.S(1, 1));
  u.Update(m);
  EXPECT_LT(u.State().x(0), 0.0);  // pulled west
  EXPECT_GT(u.State().x(0), -15.0);
}

// Average NEES and NIS over 500 Monte Carlo runs of the radar pass (see ekf_test.cc) inside the
// two-sided 95% chi-square band for 500 x dof degrees of freedom divided by 500 (Bar-Shalom et al.
// 2001 §5.4.2).
TEST(UkfTest, RadarPassNeesAndNisAreConsistent) {
  const int runs = 500;
  const testing::RadarPassScenario sc;
  const testing::ConsistencyStats st =
      testing::RadarPassConsistency(sc, runs, [](const Gaussian& g0) {
        return MakeUkf(std::make_shared<CvModel>(testing::RadarPassScenario{}.q), g0,
                       &TestModelFor);
      });
  const boost::math::chi_squared nees_dist(runs * 6.0), nis_dist(runs * 3.0);
  const double nees_lo = boost::math::quantile(nees_dist, 0.025) / runs;
  const double nees_hi = boost::math::quantile(nees_dist, 0.975) / runs;
  const double nis_lo = boost::math::quantile(nis_dist, 0.025) / runs;
  const double nis_hi = boost::math::quantile(nis_dist, 0.975) / runs;
  for (const int k : {0, 20, 60, 83, 115}) {
    EXPECT_GT(st.mean_nees[k], nees_lo) << "step " << k;
    EXPECT_LT(st.mean_nees[k], nees_hi) << "step " << k;
    EXPECT_GT(st.mean_nis[k], nis_lo) << "step " << k;
    EXPECT_LT(st.mean_nis[k], nis_hi) << "step " << k;
  }
}

TEST(UkfTest, PdaWithBeta0ZeroAndOneMeasurementIsUpdate) {
  auto model = std::make_shared<CvModel>(1.0);
  UkfFilter a(model, Prior6(300.0, 30.0), &TestModelFor);
  a.Predict(2.0);
  UkfFilter b = a;
  const Measurement m = Radar(2.0, 2500.0, 2.7, 0.2);
  a.Update(m);
  b.UpdatePda({&m}, {1.0}, 0.0);
  // Same conditional update; the mixture adds and subtracts dx dx' (round-off ~1e-16 |dx|^2).
  EXPECT_NEAR((a.State().x - b.State().x).norm(), 0.0, 1e-8);
  EXPECT_NEAR((a.State().P - b.State().P).norm() / a.State().P.norm(), 0.0, 1e-9);
}

TEST(UkfTest, PdaWithBeta0OneLeavesTheState) {
  auto model = std::make_shared<CvModel>(1.0);
  UkfFilter f(model, Prior6(300.0, 30.0), &TestModelFor);
  f.Predict(2.0);
  const Gaussian before = f.State();
  const Measurement m = Radar(2.0, 2500.0, 2.7, 0.2);
  f.UpdatePda({&m}, {0.0}, 1.0);
  EXPECT_EQ(f.State().x, before.x);
  EXPECT_EQ(f.State().P, before.P);
}

TEST(UkfTest, NonPositiveDefiniteCovarianceIsReported) {
  auto model = std::make_shared<CvModel>(1.0);
  Gaussian g = Prior6(10.0, 1.0);
  g.P(0, 0) = -1.0;  // corrupted
  UkfFilter f(model, g, &TestModelFor);
  const Measurement m = Position(0.0, Vec3(1000.0, -2000.0, 500.0), 1.0);
  EXPECT_TRUE(std::isinf(f.Innovate(m).nis));
  try {
    f.Update(m);
    FAIL() << "Update accepted a non positive definite P";
  } catch (const core::InvariantError& e) {
    EXPECT_NE(std::string(e.what()).find("UKF: position measurement update: state covariance is "
                                         "not positive definite"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(f.Predict(1.0), core::InvariantError);
}

TEST(UkfTest, FactoryExtendsTheInitialState) {
  auto model = std::make_shared<CaModel>(1.0, 4.0, "ca_test");
  std::unique_ptr<TrackFilter> f = MakeUkf(model, Prior6(100.0, 10.0), &TestModelFor);
  const auto* u = dynamic_cast<const UkfFilter*>(f.get());
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->State().x.size(), 9);
  EXPECT_EQ(u->State().P(8, 8), 16.0);
  EXPECT_EQ(f->Estimate().x.size(), 6);
  EXPECT_EQ(f->ModeNames(), std::vector<std::string>{"ca_test"});
}

}  // namespace
}  // namespace hyperdef::tracking
