// Small, self-contained motion and measurement models for the filter tests and the filter
// benchmark (bench/tracking_filters_bench.cc). They implement the tracking interfaces of
// types.h independently of motion_models.h / measurement_models.h, so a filter test fails only
// for the filter's own faults; the production models have their own tests.
//
//   CvModel   6-state constant velocity; white-noise acceleration either continuous (CWNA,
//             spectral density q m^2/s^3) or piecewise constant (DWNA, variance q m^2/s^4)
//             (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2 and §6.3.2).
//   CaModel   9-state constant acceleration, continuous white-noise jerk q m^2/s^5 (Wiener-process
//             acceleration, Bar-Shalom et al. 2001 §6.2.3).
//   RadarModel  (range, azimuth cw from north, elevation) from m.sensor_r_Eci with ENU axes
//             m.R_EnuFromEci; residual wraps both angles.
//   PositionModel  z = r.
// TestModelFor(kind) is the MeasurementModelFor hook the tests inject.
#pragma once

#include <Eigen/Cholesky>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/random.h"
#include "tracking/filter.h"
#include "tracking/types.h"

namespace hyperdef::tracking::testing {

enum class AccelNoise { kContinuous, kPiecewiseConstant };

class CvModel final : public MotionModel {
 public:
  explicit CvModel(double q, AccelNoise noise = AccelNoise::kContinuous, std::string name = "cv")
      : q_(q), noise_(noise), name_(std::move(name)) {}
  std::string_view Name() const override { return name_; }
  int Dim() const override { return 6; }
  StateVector Predict(const StateVector& x, double, double dt) const override {
    StateVector y = x;
    y.head<3>() += dt * x.segment<3>(3);
    return y;
  }
  StateMatrix Jacobian(const StateVector&, double, double dt) const override {
    StateMatrix F = StateMatrix::Identity(6, 6);
    F.topRightCorner(3, 3).diagonal().setConstant(dt);
    return F;
  }
  StateMatrix ProcessNoise(const StateVector&, double, double dt) const override {
    double a, b, c;  // per-axis [[a, b], [b, c]]
    if (noise_ == AccelNoise::kContinuous) {
      a = q_ * dt * dt * dt / 3.0;
      b = q_ * dt * dt / 2.0;
      c = q_ * dt;
    } else {
      a = q_ * dt * dt * dt * dt / 4.0;
      b = q_ * dt * dt * dt / 2.0;
      c = q_ * dt * dt;
    }
    StateMatrix Q = StateMatrix::Zero(6, 6);
    for (int k = 0; k < 3; ++k) {
      Q(k, k) = a;
      Q(k, k + 3) = Q(k + 3, k) = b;
      Q(k + 3, k + 3) = c;
    }
    return Q;
  }
  Gaussian Initialise(const Gaussian& rv) const override { return rv; }

 private:
  double q_;
  AccelNoise noise_;
  std::string name_;
};

class CaModel final : public MotionModel {
 public:
  CaModel(double q_jerk, double sigma_a0, std::string name = "ca")
      : q_(q_jerk), sigma_a0_(sigma_a0), name_(std::move(name)) {}
  std::string_view Name() const override { return name_; }
  int Dim() const override { return 9; }
  StateVector Predict(const StateVector& x, double t, double dt) const override {
    return Jacobian(x, t, dt) * x;
  }
  StateMatrix Jacobian(const StateVector&, double, double dt) const override {
    StateMatrix F = StateMatrix::Identity(9, 9);
    for (int k = 0; k < 3; ++k) {
      F(k, k + 3) = dt;
      F(k, k + 6) = 0.5 * dt * dt;
      F(k + 3, k + 6) = dt;
    }
    return F;
  }
  StateMatrix ProcessNoise(const StateVector&, double, double dt) const override {
    const double t2 = dt * dt, t3 = t2 * dt, t4 = t3 * dt, t5 = t4 * dt;
    const double blk[3][3] = {
        {t5 / 20.0, t4 / 8.0, t3 / 6.0}, {t4 / 8.0, t3 / 3.0, t2 / 2.0}, {t3 / 6.0, t2 / 2.0, dt}};
    StateMatrix Q = StateMatrix::Zero(9, 9);
    for (int k = 0; k < 3; ++k) {
      for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) Q(k + 3 * i, k + 3 * j) = q_ * blk[i][j];
      }
    }
    return Q;
  }
  Gaussian Initialise(const Gaussian& rv) const override {
    Gaussian g;
    g.t_s = rv.t_s;
    g.x = StateVector::Zero(9);
    g.x.head(6) = rv.x;
    g.P = StateMatrix::Zero(9, 9);
    g.P.topLeftCorner(6, 6) = rv.P;
    g.P.bottomRightCorner(3, 3).diagonal().setConstant(sigma_a0_ * sigma_a0_);
    return g;
  }

 private:
  double q_;
  double sigma_a0_;
  std::string name_;
};

inline double WrapPi(double a) { return std::remainder(a, 2.0 * core::kPi); }

class RadarModel final : public MeasurementModel {
 public:
  MeasVector Predict(const StateVector& x, const Measurement& m) const override {
    const Vec3 p = m.R_EnuFromEci * (x.head<3>() - m.sensor_r_Eci);
    const double h = std::hypot(p.x(), p.y());
    MeasVector z(3);
    z << p.norm(), std::atan2(p.x(), p.y()), std::atan2(p.z(), h);
    return z;
  }
  MeasJacobian Jacobian(const StateVector& x, const Measurement& m) const override {
    const Vec3 p = m.R_EnuFromEci * (x.head<3>() - m.sensor_r_Eci);
    const double e = p.x(), n = p.y(), u = p.z();
    const double h2 = e * e + n * n, h = std::sqrt(h2), rho2 = h2 + u * u;
    Eigen::Matrix3d D;  // d(range, az, el) / d(e, n, u)
    D.row(0) = p.transpose() / std::sqrt(rho2);
    D.row(1) << n / h2, -e / h2, 0.0;
    D.row(2) << -e * u / (rho2 * h), -n * u / (rho2 * h), h / rho2;
    MeasJacobian H = MeasJacobian::Zero(3, x.size());
    H.leftCols(3) = D * m.R_EnuFromEci;
    return H;
  }
  MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const override {
    MeasVector d = z - z_pred;
    d(1) = WrapPi(d(1));
    d(2) = WrapPi(d(2));
    return d;
  }
};

class PositionModel final : public MeasurementModel {
 public:
  MeasVector Predict(const StateVector& x, const Measurement&) const override { return x.head(3); }
  MeasJacobian Jacobian(const StateVector& x, const Measurement&) const override {
    MeasJacobian H = MeasJacobian::Zero(3, x.size());
    H.leftCols(3).setIdentity();
    return H;
  }
  MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const override {
    return z - z_pred;
  }
};

inline const MeasurementModel& TestModelFor(MeasKind kind) {
  static const RadarModel radar;
  static const PositionModel position;
  return kind == MeasKind::kRadar ? static_cast<const MeasurementModel&>(radar) : position;
}

// A vector of independent standard normals scaled by a lower Cholesky factor: a N(0, P) draw.
inline StateVector DrawGaussian(const StateMatrix& P, core::RandomStream& rng) {
  const int n = static_cast<int>(P.rows());
  StateVector w(n);
  for (int i = 0; i < n; ++i) w(i) = rng.Normal();
  // LDLT-free: the matrices drawn from here are positive definite or (Q) semidefinite with an
  // exact zero block only when q = 0, which the scenarios below never use.
  const Eigen::LLT<StateMatrix> llt(P);
  return llt.matrixL() * w;
}

// A radar at the origin of the tracking frame with ENU = frame axes, and a CV target passing
// 3.4 km from it (start 25 km west, 3 km north, 1.5 km up, 300 m/s east; closest at t ~ 83 s):
// the range, azimuth and elevation are strongly nonlinear in position near the pass.
struct RadarPassScenario {
  double q = 0.5;  // CWNA spectral density of truth and filter, m^2/s^3
  double dt_s = 1.0;
  int steps = 120;
  double sigma_range_m = 10.0;
  double sigma_angle_rad = 2e-3;
  double sigma_p0_m = 200.0;
  double sigma_v0_mps = 30.0;
};

struct ConsistencyStats {
  std::vector<double> mean_nees;  // per step (after the update), average over runs, 6 dof
  std::vector<double> mean_nis;   // per step (before the update), average over runs, 3 dof
};

// Monte Carlo NEES and NIS of a filter built by `make` from the initial (r, v) Gaussian; truth
// and filter share the CV model, so a consistent filter has E[NEES] = 6 and E[NIS] = 3.
inline ConsistencyStats RadarPassConsistency(
    const RadarPassScenario& sc, int runs,
    const std::function<std::unique_ptr<TrackFilter>(const Gaussian&)>& make) {
  const CvModel truth_model(sc.q);
  const RadarModel radar;
  ConsistencyStats out;
  out.mean_nees.assign(sc.steps, 0.0);
  out.mean_nis.assign(sc.steps, 0.0);
  StateMatrix P0 = StateMatrix::Zero(6, 6);
  P0.diagonal() << Eigen::Vector3d::Constant(sc.sigma_p0_m * sc.sigma_p0_m),
      Eigen::Vector3d::Constant(sc.sigma_v0_mps * sc.sigma_v0_mps);
  for (int run = 0; run < runs; ++run) {
    core::RandomStream rng(20240611, run, "radar_pass", "filters");
    StateVector x(6);
    x << -25000.0, 3000.0, 1500.0, 300.0, 0.0, 0.0;
    Gaussian g0;
    g0.x = x + DrawGaussian(P0, rng);
    g0.P = P0;
    std::unique_ptr<TrackFilter> f = make(g0);
    const StateMatrix Q = truth_model.ProcessNoise(x, 0.0, sc.dt_s);
    for (int k = 0; k < sc.steps; ++k) {
      const double t = (k + 1) * sc.dt_s;
      x = truth_model.Predict(x, t - sc.dt_s, sc.dt_s) + DrawGaussian(Q, rng);
      Measurement m;
      m.kind = MeasKind::kRadar;
      m.t_s = t;
      m.z = radar.Predict(x, m);
      m.z(0) += sc.sigma_range_m * rng.Normal();
      m.z(1) += sc.sigma_angle_rad * rng.Normal();
      m.z(2) += sc.sigma_angle_rad * rng.Normal();
      m.R = MeasMatrix::Zero(3, 3);
      m.R.diagonal() << sc.sigma_range_m * sc.sigma_range_m,
          sc.sigma_angle_rad * sc.sigma_angle_rad, sc.sigma_angle_rad * sc.sigma_angle_rad;
      f->Predict(t);
      out.mean_nis[k] += f->Innovate(m).nis / runs;
      f->Update(m);
      const Gaussian e = f->Estimate();
      const StateVector d = e.x - x;
      out.mean_nees[k] += d.dot(e.P.ldlt().solve(d)) / runs;
    }
  }
  return out;
}

}  // namespace hyperdef::tracking::testing
