// The tracking layer's vocabulary: fixed-capacity Eigen types (no heap allocation in a filter
// step), Gaussian track states, measurements as the tracker sees them, and the two small
// interfaces every model implements. Everything here is in the tracking frame:
//
//   ECI (core/frames.h) at the scenario time t: ECEF rotated about z by era0 + omega_E t, where
//   era0 is the Earth rotation angle at the scenario epoch. A model of the rotating Earth (drag on
//   the air-relative velocity, a site moving with the ground) takes that rotation from the
//   TrackingFrame below, so no model needs the calendar.
//
// State vectors always begin with position (m) and velocity (m/s) in that frame; models append
// their own states after index 6 (acceleration, ballistic coefficient, turn rate...).
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>

#include "core/constants.h"
#include "core/frames.h"

namespace hyperdef::tracking {

using core::Mat3;
using core::Vec3;

inline constexpr int kMaxState = 9;  // largest model state (position, velocity, 3 more)
inline constexpr int kMaxMeas = 4;   // largest measurement (range, az, el, range rate)

// Dynamic size with a fixed upper bound: stored inline, never allocated.
using StateVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxState, 1>;
using StateMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxState, kMaxState>;
using MeasVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxMeas, 1>;
using MeasMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxMeas, kMaxMeas>;
using MeasJacobian = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxMeas, kMaxState>;
using GainMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxState, kMaxMeas>;

// The tracking frame's orientation against the Earth: ECI = Rz(era0 + omega t) ECEF.
struct TrackingFrame {
  double era0_rad = 0.0;  // Earth rotation angle at the scenario epoch (t = 0)
  double EraAt(double t_s) const { return era0_rad + core::kEarthOmega_radps * t_s; }
  Vec3 PositionEci(const Vec3& r_Ecef, double t_s) const;
  Vec3 VelocityEci(const Vec3& r_Ecef, const Vec3& v_Ecef, double t_s) const;
  Vec3 PositionEcef(const Vec3& r_Eci, double t_s) const;
  Vec3 VelocityEcef(const Vec3& r_Eci, const Vec3& v_Eci, double t_s) const;
  // The acceleration seen in ECEF of a body with tracking-frame state (r, v, a)
  // (core::AccelerationEcefFromEci: R a less the Coriolis and centripetal terms).
  Vec3 AccelerationEcef(const Vec3& r_Eci, const Vec3& v_Eci, const Vec3& a_Eci, double t_s) const;
};

// A Gaussian estimate at time t_s.
struct Gaussian {
  StateVector x;
  StateMatrix P;
  double t_s = 0.0;
};

// Which measurement function a Measurement uses.
enum class MeasKind {
  kRadar,     // z = (range m, azimuth rad cw from north, elevation rad[, range rate m/s])
  kLos,       // angles only from a satellite, tangent-plane form (see measurement_models.h)
  kPosition,  // z = 3-D position (m), e.g. a triangulated fix
};

// A measurement as the tracker sees it: already in the tracking frame, no truth in it. The
// scoring id rides along for metrics only (`truth_id`); no tracking code may read it.
struct Measurement {
  MeasKind kind = MeasKind::kPosition;
  double t_s = 0.0;
  int sensor_index = 0;    // index of the sensor in the scenario (radars after space layers)
  int platform_index = 0;  // satellite index within its layer, 0 for a radar
  MeasVector z;            // kRadar: (range, az, el[, rr]); kLos: (0, 0); kPosition: r (m)
  MeasMatrix R;            // measurement noise covariance, same order as z
  // kRadar: the site in the tracking frame and its local East-North-Up axes (rows of
  // R_EnuFromEci), and its velocity (Earth rotation, plus a ship's own motion).
  // kLos: the satellite's reported position (with its knowledge error); R already includes
  // that error projected on the tangent plane at the prior range; `los_Eci` is the measured unit
  // line of sight and `e1_Eci`, `e2_Eci` complete it to a right-handed orthonormal basis; z = 0
  // and the model predicts (e1.u_pred, e2.u_pred) for the predicted unit vector u_pred.
  Vec3 sensor_r_Eci = Vec3::Zero();
  Vec3 sensor_v_Eci = Vec3::Zero();
  Mat3 R_EnuFromEci = Mat3::Identity();
  Vec3 los_Eci = Vec3::UnitX();
  Vec3 e1_Eci = Vec3::UnitY();
  Vec3 e2_Eci = Vec3::UnitZ();
  double sensor_position_sigma_m = 0.0;  // kLos: ephemeris knowledge error, per axis
  double snr = 0.0;
  int detection_index = -1;  // row in the run's detection list (for scoring and output)
  std::string truth_id;      // scoring only
};

// x(t + dt) = f(x, t, dt) + w, w ~ N(0, Q(x, t, dt)).
class MotionModel {
 public:
  virtual ~MotionModel() = default;
  virtual std::string_view Name() const = 0;
  virtual int Dim() const = 0;
  // Propagated state; dt may be zero or negative (a negative dt only for retrodiction tests).
  virtual StateVector Predict(const StateVector& x, double t_s, double dt_s) const = 0;
  // d f / d x at (x, t, dt): the state transition matrix of the linearisation.
  virtual StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const = 0;
  // Predict and Jacobian together: *F = Jacobian(x, t, dt), returns Predict(x, t, dt) (the same
  // values). A model that integrates numerically overrides it to integrate once; the EKF calls
  // this.
  virtual StateVector PredictWithJacobian(const StateVector& x, double t_s, double dt_s,
                                          StateMatrix* F) const {
    *F = Jacobian(x, t_s, dt_s);
    return Predict(x, t_s, dt_s);
  }
  // Discrete process noise over dt (symmetric positive semidefinite).
  virtual StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const = 0;
  // Extends a 6-state (r, v) Gaussian to this model's state with the model's prior on its extra
  // states (mean and variance, uncorrelated with r and v). Identity for a 6-state model.
  virtual Gaussian Initialise(const Gaussian& rv) const = 0;
  // The acceleration dv/dt (tracking frame, m/s^2) the model assigns to state x at t_s: its
  // dynamics' velocity rows (e.g. CA: the acceleration state; ballistic: gravity plus drag; glide:
  // gravity plus the aerodynamic state). Guidance reads it through
  // TrackFilter::AccelerationEstimate (augmented PN). The default is a forward difference of
  // Predict's velocity over 1 ms, for models that do not give it in closed form.
  virtual Vec3 Acceleration(const StateVector& x, double t_s) const {
    constexpr double h = 1e-3;
    return (Predict(x, t_s, h).segment<3>(3) - x.segment<3>(3)) / h;
  }
};

// z = h(x) + v, v ~ N(0, m.R). Works for any state whose first six entries are (r, v).
class MeasurementModel {
 public:
  virtual ~MeasurementModel() = default;
  // Predicted measurement for state x (of any dimension >= 6) and measurement geometry m.
  virtual MeasVector Predict(const StateVector& x, const Measurement& m) const = 0;
  // d h / d x, rows = m.z.size(), columns = x.size() (zero beyond the first six).
  virtual MeasJacobian Jacobian(const StateVector& x, const Measurement& m) const = 0;
  // z - h with angles wrapped to (-pi, pi].
  virtual MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const = 0;
};

// The measurement model for a measurement kind (stateless singletons).
const MeasurementModel& ModelFor(MeasKind kind);

}  // namespace hyperdef::tracking
