#include "tracking/measurement_models.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

#include "core/constants.h"
#include "core/random.h"
#include "earth/wgs84.h"

namespace hyperdef::tracking {
namespace {

using core::kDegToRad;

// Central-difference Jacobian of m's model at x (steps scaled to the state: 1 m / 0.01 m/s).
MeasJacobian NumericJacobian(const StateVector& x, const Measurement& m) {
  const MeasurementModel& model = ModelFor(m.kind);
  const MeasVector z0 = model.Predict(x, m);
  MeasJacobian J = MeasJacobian::Zero(z0.size(), x.size());
  for (int j = 0; j < x.size(); ++j) {
    const double step = j < 3 ? 1.0 : 1e-2;
    StateVector xp = x, xm = x;
    xp(j) += step;
    xm(j) -= step;
    J.col(j) = model.Residual(model.Predict(xp, m), model.Predict(xm, m)) / (2.0 * step);
  }
  return J;
}

// A 9-state vector (extra states must get zero columns) for a target at r, v.
StateVector State9(const Vec3& r, const Vec3& v) {
  StateVector x(9);
  x << r, v, 1.0, 2.0, 3.0;
  return x;
}

// Radar site and a target ~ 800 km away at ~ 200 km altitude, expressed in the tracking frame at
// t = 100 s with a non-zero era0 (so ECI and ECEF really differ).
struct RadarCase {
  TrackingFrame frame{0.7};
  double t_s = 100.0;
  earth::Geodetic site{40.0 * kDegToRad, 140.0 * kDegToRad, 30.0};
  Vec3 v_Site_Ecef{3.0, -5.0, 0.0};  // a ship
  Vec3 r_Tgt_Ecef;
  Vec3 v_Tgt_Ecef{-1500.0, 2500.0, -800.0};
  RadarCase() {
    r_Tgt_Ecef = earth::EcefFromGeodetic({46.0 * kDegToRad, 146.0 * kDegToRad, 200e3});
  }
};

sensors::RadarMeasurement NoiseFreeReport(const RadarCase& c, bool range_rate) {
  const sensors::RadarGeometry g = sensors::RadarGeometryTo(c.site, c.r_Tgt_Ecef);
  sensors::RadarMeasurement r;
  r.t_s = c.t_s;
  r.range_m = g.range_m;
  r.az_rad = g.az_rad;
  r.el_rad = g.el_rad;
  r.has_range_rate = range_rate;
  const Vec3 u = (c.r_Tgt_Ecef - earth::EcefFromGeodetic(c.site)) / g.range_m;
  r.range_rate_mps = range_rate ? u.dot(c.v_Tgt_Ecef - c.v_Site_Ecef) : 0.0;
  r.covariance.diagonal() << 25.0, 1e-8, 1e-8, range_rate ? 1.0 : 0.0;
  r.snr_dB = 20.0;
  r.truth_id = "tgt";
  return r;
}

TEST(RadarMeasurementModel, AgreesWithSensorsGeometryThroughTrackingFrame) {
  const RadarCase c;
  for (bool rr : {false, true}) {
    const sensors::RadarMeasurement report = NoiseFreeReport(c, rr);
    const Measurement m = FromRadar(report, c.site, c.v_Site_Ecef, c.frame);
    ASSERT_EQ(m.kind, MeasKind::kRadar);
    ASSERT_EQ(m.z.size(), rr ? 4 : 3);
    ASSERT_EQ(m.R.rows(), rr ? 4 : 3);
    EXPECT_DOUBLE_EQ(m.R(0, 0), 25.0);
    EXPECT_NEAR(m.snr, 100.0, 1e-9);
    EXPECT_EQ(m.truth_id, "tgt");
    const StateVector x = State9(c.frame.PositionEci(c.r_Tgt_Ecef, c.t_s),
                                 c.frame.VelocityEci(c.r_Tgt_Ecef, c.v_Tgt_Ecef, c.t_s));
    const MeasVector z = ModelFor(MeasKind::kRadar).Predict(x, m);
    // Tolerances: double round-off on ~ 7e6 m coordinates through two rotations (~ 1e-8 m, 1e-15
    // rad), kept loose enough for any correct implementation and far below any sensor error.
    EXPECT_NEAR(z(0), report.range_m, 1e-6);
    EXPECT_NEAR(z(1), report.az_rad, 1e-12);
    EXPECT_NEAR(z(2), report.el_rad, 1e-12);
    if (rr) {
      EXPECT_NEAR(z(3), report.range_rate_mps, 1e-8);
    }
  }
}

TEST(RadarMeasurementModel, AzimuthInZeroTwoPiAndResidualWraps) {
  // A target just west of north: azimuth close to 2 pi, not negative.
  Measurement m;
  m.kind = MeasKind::kRadar;
  m.z = MeasVector::Zero(3);
  m.sensor_r_Eci = Vec3::Zero();
  m.R_EnuFromEci = Mat3::Identity();  // tracking axes = (E, N, U)
  const StateVector x = State9(Vec3(-1.0, 1000.0, 100.0), Vec3::Zero());
  const MeasVector z = ModelFor(MeasKind::kRadar).Predict(x, m);
  EXPECT_GT(z(1), 1.5 * core::kPi);
  EXPECT_LT(z(1), core::kTwoPi);
  MeasVector zm(3);
  zm << z(0), 0.0005, z(2);  // measured just east of north
  const MeasVector nu = ModelFor(MeasKind::kRadar).Residual(zm, z);
  // Wrapped: about 0.0005 + 0.001 rad, not ~ -2 pi.
  EXPECT_NEAR(nu(1), 0.0005 + 1.0 / std::hypot(1000.0, 0.0), 1e-6);
}

TEST(RadarMeasurementModel, JacobianMatchesCentralDifference) {
  const RadarCase c;
  for (bool rr : {false, true}) {
    const Measurement m = FromRadar(NoiseFreeReport(c, rr), c.site, c.v_Site_Ecef, c.frame);
    // Also a point displaced from the measured one, so the Jacobian is not only tested at z = h.
    for (const Vec3& dr : {Vec3(0, 0, 0), Vec3(3e4, -2e4, 5e4)}) {
      const StateVector x = State9(c.frame.PositionEci(c.r_Tgt_Ecef, c.t_s) + dr,
                                   c.frame.VelocityEci(c.r_Tgt_Ecef, c.v_Tgt_Ecef, c.t_s));
      const MeasJacobian H = ModelFor(MeasKind::kRadar).Jacobian(x, m);
      const MeasJacobian N = NumericJacobian(x, m);
      ASSERT_EQ(H.rows(), m.z.size());
      ASSERT_EQ(H.cols(), 9);
      EXPECT_TRUE(H.rightCols(3).isZero(0.0));
      // Central differences with 1 m steps at ~ 1e6 m range: truncation ~ step^2 / range^3 ~ 1e-18
      // per m; round-off ~ 1e-16 x 1e6 / 1 m ~ 1e-10 (range row) and ~ 1e-16 (angle rows); the
      // tolerance is 1e-6 of each row's scale.
      for (int i = 0; i < H.rows(); ++i) {
        const double scale = H.row(i).cwiseAbs().maxCoeff();
        for (int j = 0; j < 9; ++j) {
          EXPECT_NEAR(H(i, j), N(i, j), 1e-6 * scale) << "row " << i << " col " << j;
        }
      }
    }
  }
}

TEST(RadarMeasurementModel, ReportsFromRadarLookAreConsistentAtTruth) {
  // End to end with the sensors layer: NIS of noisy RadarLook reports against the true state is
  // chi-square(4); its sample mean over N draws lies in the 99% band of chi2(4 N) / N.
  const RadarCase c;
  sensors::RadarSpec spec;
  spec.id = "r";
  spec.faces = {{0.0, 30.0 * kDegToRad, core::kPi, 60.0 * kDegToRad}};
  spec.instrumented_range_m = 5e6;
  spec.peak_power_W = 1e7;
  spec.gain_dB = 50.0;
  spec.pulse_width_s = 1e-3;
  spec.range_rate_sigma_mps0 = 1.0;
  sensors::TargetTruth truth;
  truth.id = "tgt";
  truth.t_s = c.t_s;
  truth.r_Ecef = c.r_Tgt_Ecef;
  truth.v_Ecef = c.v_Tgt_Ecef;
  truth.rcs_m2 = 10.0;
  const StateVector x = State9(c.frame.PositionEci(c.r_Tgt_Ecef, c.t_s),
                               c.frame.VelocityEci(c.r_Tgt_Ecef, c.v_Tgt_Ecef, c.t_s));
  core::RandomStream rng(1, 0, "radar", "meas-test");
  const int kDraws = 2000;
  int n = 0;
  double nis_sum = 0.0;
  for (int k = 0; k < kDraws; ++k) {
    const auto report = sensors::RadarLook(spec, c.site, truth, rng, c.v_Site_Ecef);
    if (!report) continue;
    const Measurement m = FromRadar(*report, c.site, c.v_Site_Ecef, c.frame);
    ASSERT_EQ(m.z.size(), 4);
    const MeasurementModel& model = ModelFor(m.kind);
    const MeasVector nu = model.Residual(m.z, model.Predict(x, m));
    nis_sum += nu.dot(m.R.ldlt().solve(nu));
    ++n;
  }
  ASSERT_GT(n, kDraws / 2);  // Pd is ~ 1 at this SNR
  const boost::math::chi_squared chi2(4.0 * n);
  EXPECT_GT(nis_sum / n, boost::math::quantile(chi2, 0.005) / n);
  EXPECT_LT(nis_sum / n, boost::math::quantile(chi2, 0.995) / n);
}

// A LEO satellite and a target ~ 1,500 km away.
struct LosCase {
  TrackingFrame frame{1.3};
  double t_s = 42.0;
  Vec3 sat_r_Ecef{7.0e6, 0.5e6, 1.0e6};
  Vec3 tgt_r_Ecef;
  LosCase() { tgt_r_Ecef = earth::EcefFromGeodetic({10.0 * kDegToRad, 10.0 * kDegToRad, 80e3}); }
};

TEST(LosMeasurementModel, NoiseFreeReportPredictsZeroAndBasisIsOrthonormal) {
  const LosCase c;
  sensors::LosMeasurement los;
  los.t_s = c.t_s;
  los.sat_r_Ecef = c.sat_r_Ecef;
  los.sat_position_sigma_m = 5.0;
  los.u_Ecef = (c.tgt_r_Ecef - c.sat_r_Ecef).normalized();
  const double s = 20e-6;
  los.u_covariance = s * s * (Mat3::Identity() - los.u_Ecef * los.u_Ecef.transpose());
  los.snr = 12.0;
  los.truth_id = "t";
  const double range = (c.tgt_r_Ecef - c.sat_r_Ecef).norm();
  const Measurement m = FromLos(los, c.frame, range);
  ASSERT_EQ(m.kind, MeasKind::kLos);
  ASSERT_EQ(m.z.size(), 2);
  EXPECT_TRUE(m.z.isZero(0.0));
  // Basis: unit, orthogonal, right-handed (round-off 1e-15).
  EXPECT_NEAR(m.los_Eci.norm(), 1.0, 1e-14);
  EXPECT_NEAR(m.e1_Eci.dot(m.los_Eci), 0.0, 1e-14);
  EXPECT_NEAR(m.e2_Eci.dot(m.los_Eci), 0.0, 1e-14);
  EXPECT_NEAR(m.e1_Eci.dot(m.e2_Eci), 0.0, 1e-14);
  EXPECT_NEAR((m.e1_Eci.cross(m.e2_Eci) - m.los_Eci).norm(), 0.0, 1e-14);
  // R = s^2 I + (5 / range)^2 I: the rank-2 u_covariance is isotropic on the tangent plane.
  const double var = s * s + std::pow(5.0 / range, 2);
  EXPECT_NEAR(m.R(0, 0), var, 1e-9 * var);
  EXPECT_NEAR(m.R(1, 1), var, 1e-9 * var);
  EXPECT_NEAR(m.R(0, 1), 0.0, 1e-9 * var);
  EXPECT_EQ(m.snr, 12.0);
  EXPECT_EQ(m.truth_id, "t");
  EXPECT_EQ(m.sensor_position_sigma_m, 5.0);
  // Default prior range when none is given.
  const Measurement m0 = FromLos(los, c.frame, 0.0);
  EXPECT_NEAR(m0.R(0, 0), s * s + std::pow(5.0 / kDefaultLosPriorRange_m, 2), 1e-9 * var);

  const Vec3 r_Eci = c.frame.PositionEci(c.tgt_r_Ecef, c.t_s);
  const MeasVector z = ModelFor(MeasKind::kLos).Predict(State9(r_Eci, Vec3::Zero()), m);
  // Round-off of a unit vector built from 7e6 m coordinates: ~ 1e-15.
  EXPECT_NEAR(z(0), 0.0, 1e-12);
  EXPECT_NEAR(z(1), 0.0, 1e-12);
}

TEST(LosMeasurementModel, JacobianMatchesCentralDifference) {
  const LosCase c;
  sensors::LosMeasurement los;
  los.t_s = c.t_s;
  los.sat_r_Ecef = c.sat_r_Ecef;
  los.u_Ecef = (c.tgt_r_Ecef - c.sat_r_Ecef).normalized();
  const Measurement m = FromLos(los, c.frame, 0.0);
  const Vec3 r_Eci = c.frame.PositionEci(c.tgt_r_Ecef, c.t_s);
  for (const Vec3& dr : {Vec3(0, 0, 0), Vec3(4e4, 6e4, -3e4)}) {
    const StateVector x = State9(r_Eci + dr, Vec3(100.0, 200.0, 300.0));
    const MeasJacobian H = ModelFor(MeasKind::kLos).Jacobian(x, m);
    const MeasJacobian N = NumericJacobian(x, m);
    ASSERT_EQ(H.rows(), 2);
    ASSERT_EQ(H.cols(), 9);
    EXPECT_TRUE(H.rightCols(6).isZero(0.0));  // no velocity or extra-state dependence
    // Rows have scale 1 / range ~ 7e-7 per m; round-off in the difference ~ 1e-16 / 1 m, and
    // truncation ~ step^2 / range^3 ~ 3e-19: 1e-6 relative is ample and still catches any wrong
    // term (which would be of the row's own scale).
    const double scale = 1.0 / (r_Eci + dr - m.sensor_r_Eci).norm();
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 9; ++j) EXPECT_NEAR(H(i, j), N(i, j), 1e-6 * scale);
    }
  }
}

TEST(LosMeasurementModel, ReportsFromIrLookAreConsistentAtTruth) {
  // End to end with the sensors layer: IrLook draws (angle noise + ephemeris error), converted with
  // the true range as prior; NIS against the true position is chi-square(2) to first order. The
  // sample mean over N draws must lie in the 99% band of chi2(2 N) / N.
  const LosCase c;
  sensors::SpaceIrSpec spec;
  spec.position_knowledge_sigma_m = 30.0;  // large, so the ephemeris term of R is tested too
  spec.sun_exclusion_half_angle_rad = 0.0;
  sensors::TargetTruth truth;
  truth.id = "t";
  truth.t_s = c.t_s;
  truth.r_Ecef = c.tgt_r_Ecef;
  truth.thrust_N = 1e7;  // bright: detected every time
  const double range = (c.tgt_r_Ecef - c.sat_r_Ecef).norm();
  const Vec3 r_Eci = c.frame.PositionEci(c.tgt_r_Ecef, c.t_s);
  const Vec3 sun_Ecef(0.0, 0.0, 1.0);
  core::RandomStream rng(2, 0, "sat", "meas-test");
  const int kDraws = 4000;
  int n = 0;
  double nis_sum = 0.0;
  for (int k = 0; k < kDraws; ++k) {
    // Each draw stands for another frame: a new ephemeris error of the satellite.
    const Vec3 eph = sensors::EphemerisError(spec, rng);
    const auto los = sensors::IrLook(spec, c.sat_r_Ecef, eph, truth, sun_Ecef, false, rng);
    if (!los) continue;
    const Measurement m = FromLos(*los, c.frame, range);
    const MeasurementModel& model = ModelFor(m.kind);
    const MeasVector nu = model.Residual(m.z, model.Predict(State9(r_Eci, Vec3::Zero()), m));
    nis_sum += nu.dot(m.R.ldlt().solve(nu));
    ++n;
  }
  ASSERT_GT(n, kDraws / 2);
  const boost::math::chi_squared chi2(2.0 * n);
  EXPECT_GT(nis_sum / n, boost::math::quantile(chi2, 0.005) / n);
  EXPECT_LT(nis_sum / n, boost::math::quantile(chi2, 0.995) / n);
}

TEST(PositionMeasurementModel, PredictJacobianResidual) {
  Measurement m;
  m.kind = MeasKind::kPosition;
  m.z = MeasVector::Zero(3);
  const StateVector x = State9(Vec3(1.0, 2.0, 3.0), Vec3(4.0, 5.0, 6.0));
  const MeasurementModel& model = ModelFor(MeasKind::kPosition);
  EXPECT_EQ(model.Predict(x, m), Vec3(1.0, 2.0, 3.0));
  const MeasJacobian H = model.Jacobian(x, m);
  const MeasJacobian N = NumericJacobian(x, m);
  ASSERT_EQ(H.rows(), 3);
  ASSERT_EQ(H.cols(), 9);
  EXPECT_TRUE(H.isApprox(N, 1e-12));  // linear: differences are exact but for round-off
  EXPECT_TRUE(H.leftCols(3).isIdentity(0.0));
}

TEST(OrthonormalCompletion, DeterministicAndRightHandedForAxesAndGeneralDirections) {
  core::RandomStream rng(3, 0, "basis", "meas-test");
  for (int k = 0; k < 200; ++k) {
    Vec3 u = k < 3 ? Vec3::Unit(k) : Vec3(rng.Normal(), rng.Normal(), rng.Normal()).normalized();
    if (k % 2 == 1) u = -u;
    Vec3 e1, e2, f1, f2;
    OrthonormalCompletion(u, &e1, &e2);
    OrthonormalCompletion(u, &f1, &f2);
    EXPECT_EQ(e1, f1);
    EXPECT_EQ(e2, f2);
    EXPECT_NEAR(e1.norm(), 1.0, 1e-14);
    EXPECT_NEAR(e2.norm(), 1.0, 1e-14);
    EXPECT_NEAR(e1.dot(u), 0.0, 1e-14);
    EXPECT_NEAR(e1.dot(e2), 0.0, 1e-14);
    EXPECT_NEAR((e1.cross(e2) - u).norm(), 0.0, 1e-14);
  }
}

}  // namespace
}  // namespace hyperdef::tracking
