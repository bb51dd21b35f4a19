// Motion models of the tracking layer: x(t + dt) = f(x, t, dt) + w, w ~ N(0, Q).
//
// Every model works in the tracking frame (ECI, types.h), SI units, and its state begins with
// position r (m) and velocity v (m/s); the extra states follow at index 6.
//
//   name       dim  extra state  deterministic part                      noise
//   "cv"        6   -            a = 0                                   white acceleration
//   "ca"        9   a            da/dt = 0                               white jerk
//   "singer"    9   a            da/dt = -a / tau                        white, 2 sigma^2 / tau
//   "ct"        9   Omega        a = Omega x v, dOmega/dt = 0            white accel. + RW
//   "ballistic" 7   kappa        a = g_J2(r) - rho kappa |u| u / 2       white accel. + RW
//   "glide"     9   a_aero       a = g_J2(r) + a_aero, da/dt = -a / tau  white, 2 sigma^2 / tau
//
// Sources: Bar-Shalom, Li & Kirubarajan, "Estimation with Applications to Tracking and
// Navigation", Wiley 2001 (BLK), sec. 6.2.2 (CV, continuous white-noise acceleration) and 6.2.3
// (CA, Wiener-process acceleration); Singer, "Estimating optimal tracking filter performance for
// manned maneuvering targets", IEEE TAES 6(4), 1970; Li & Jilkov, "Survey of maneuvering target
// tracking. Part I: dynamic models", IEEE TAES 39(4), 2003 (LJ-I), sec. 4.1 (Singer), 5.3 (3-D
// turn models; the kinematic CT of Tahk & Speyer, IEEE TAC 35(3), 1990); Li & Jilkov, "Part II:
// motion models of ballistic and space targets", IEEE TAES 46(1), 2010 (LJ-II) for the ballistic
// coefficient state.
//
// Conventions common to all models:
//  * dt may be zero (Predict and Jacobian are the identity, Q is zero) or negative (retrodiction:
//    f runs backwards and Q is the covariance of the backward noise, -Q(dt) of the forward
//    formula, which is again positive semidefinite).
//  * Predict/Jacobian/ProcessNoise allocate nothing (fixed-capacity types of types.h).
//  * The Jacobian is the exact derivative of Predict as implemented (closed forms, or the RK4
//    map differentiated by integrating the variational equations with the same stages), so an
//    EKF sees a consistent linearisation; test/motion_models_test.cc checks each one against a
//    central difference.
//  * Parameters are plain structs with defaults; Validate() throws std::invalid_argument naming
//    the field and the bad value. Models validate their parameters on construction.
#pragma once

#include <memory>
#include <string_view>

#include "tracking/types.h"

namespace hyperdef::tracking {

// ---------------------------------------------------------------------------------------------
// CV: constant velocity, continuous white-noise acceleration (BLK 6.2.2). Per axis (p, v):
//   F = [1 T; 0 1],   Q = q [T^3/3 T^2/2; T^2/2 T]
// with q the acceleration's power spectral density (m^2/s^3). BLK's rule of thumb: the velocity
// changes over an interval T by about sqrt(q T). The default q = 100 m^2/s^3 absorbs an unmodelled
// 1 g (gravity: this model has none) over a 1 s revisit.
struct ConstantVelocityParams {
  double q_m2ps3 = 100.0;
  void Validate() const;
};

class ConstantVelocity final : public MotionModel {
 public:
  explicit ConstantVelocity(const ConstantVelocityParams& p = {});
  std::string_view Name() const override { return "cv"; }
  int Dim() const override { return 6; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;  // identity on (r, v)
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const ConstantVelocityParams& params() const { return p_; }

 private:
  ConstantVelocityParams p_;
};

// ---------------------------------------------------------------------------------------------
// CA: constant acceleration, Wiener-process acceleration (BLK 6.2.3). Per axis (p, v, a):
//   F = [1 T T^2/2; 0 1 T; 0 0 1]
//   Q = q [T^5/20 T^4/8 T^3/6; T^4/8 T^3/3 T^2/2; T^3/6 T^2/2 T]
// with q the jerk's power spectral density (m^2/s^5); the acceleration changes over T by about
// sqrt(q T). Default q = 10 m^2/s^5: a glider's bank reversal moves its lift acceleration by
// ~ 20 m/s^2 in ~ 5 s (4 m/s^3). Prior on a: zero mean, accel_prior_sigma_mps2 per axis (30 m/s^2
// ~ 3 g covers the whole manoeuvre envelope of the targets modelled here).
struct ConstantAccelerationParams {
  double q_m2ps5 = 10.0;
  double accel_prior_sigma_mps2 = 30.0;
  void Validate() const;
};

class ConstantAcceleration final : public MotionModel {
 public:
  explicit ConstantAcceleration(const ConstantAccelerationParams& p = {});
  std::string_view Name() const override { return "ca"; }
  int Dim() const override { return 9; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const ConstantAccelerationParams& params() const { return p_; }

 private:
  ConstantAccelerationParams p_;
};

// ---------------------------------------------------------------------------------------------
// Singer (1970; LJ-I sec. 4.1): the acceleration is a zero-mean first-order Gauss-Markov process
//   da/dt = -alpha a + w,  alpha = 1/tau,  E[w(t) w(s)] = q delta(t - s),  q = 2 alpha sigma_a^2
// so that its stationary standard deviation is sigma_a. Exact discretisation, x = alpha T:
//   F = [1  T  (x - 1 + e^-x)/alpha^2 ;  0  1  (1 - e^-x)/alpha ;  0  0  e^-x]
//   Q = q/(2 alpha^5) [1 - e^-2x + 2x + 2x^3/3 - 2x^2 - 4x e^-x]          (p, p)
//       q/(2 alpha^4) [e^-2x + 1 - 2e^-x + 2x e^-x - 2x + x^2]              (p, v)
//       q/(2 alpha^3) [1 - e^-2x - 2x e^-x]                                 (p, a)
//       q/(2 alpha^3) [4e^-x - 3 - e^-2x + 2x]                              (v, v)
//       q/(2 alpha^2) [e^-2x + 1 - 2e^-x]                                   (v, a)
//       q/(2 alpha)   [1 - e^-2x]                                           (a, a)
// (checked symbolically against the integral of e^{As} B B' e^{A's}). For |x| < 0.5 each bracket
// is summed as its Taylor series from its first non-vanishing term (the closed forms lose up to
// all digits to cancellation as x -> 0). Limits: tau -> infinity with q fixed gives CA; tau -> 0
// with q tau^2 fixed gives CV (with a decaying, decorrelated acceleration).
// Defaults: tau = 10 s, sigma_a = 30 m/s^2 (Singer's "evasive manoeuvre" range of tau is 10-20 s;
// 3 g for sigma_a); prior on a: zero mean, accel_prior_sigma_mps2 per axis.
struct SingerParams {
  double tau_s = 10.0;
  double sigma_a_mps2 = 30.0;
  double accel_prior_sigma_mps2 = 30.0;
  void Validate() const;
};

class Singer final : public MotionModel {
 public:
  explicit Singer(const SingerParams& p = {});
  std::string_view Name() const override { return "singer"; }
  int Dim() const override { return 9; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const SingerParams& params() const { return p_; }

 private:
  SingerParams p_;
};

// ---------------------------------------------------------------------------------------------
// CT3D: kinematic 3-D coordinated turn (LJ-I sec. 5.3, Tahk & Speyer, IEEE TAC 35(3), 1990). State
// (r, v, Omega):
//   dr/dt = v,  dv/dt = Omega x v,  dOmega/dt = w_Omega (random walk)
// plus white acceleration noise on v. With Omega constant over the step the flow is exact
// (Rodrigues): with K = [Omega]x, w = |Omega|, x = w T,
//   v(T) = v + s1 K v + s2 K^2 v,   r(T) = r + T v + s2 K v + s3 K^2 v
//   s1 = sin(x)/w = T g1,  s2 = (1 - cos x)/w^2 = T^2 g2,  s3 = (T - sin(x)/w)/w^2 = T^3 g3
// so |v| is kept and v turns by w T about Omega. The Jacobian is analytic (d s_k / d Omega =
// T^{k+2} h_k(x) Omega with h_k = g_k'(x)/x); g_k and h_k use their Taylor series for |x| < 1.
// Q (the exact integral of Phi G Qc G' Phi' for the flow linearised with Omega ~ 0 over the
// step, i.e. v held fixed: relative error O(|Omega| T)), with V = [v]x and P_v = V V' =
// |v|^2 I - v v':
//   (r,r) qa T^3/3 I + qw T^5/20 P_v   (r,v) qa T^2/2 I + qw T^4/8 P_v   (r,O) -qw T^3/6 V
//   (v,v) qa T I + qw T^3/3 P_v        (v,O) -qw T^2/2 V                 (O,O) qw T I
// Only the part of Omega normal to v affects the motion; the component along v is unobservable
// and its variance simply follows the random walk.
// Defaults: q_accel = 10 m^2/s^3 (along-track gravity and drag are not in this model), q_omega =
// 1e-4 rad^2/s^3 (turn rate wanders by 0.01 rad/s in 1 s); prior on Omega: zero mean,
// omega_prior_sigma_radps = 0.05 rad/s per axis (a 3 g turn at 600 m/s).
struct CoordinatedTurnParams {
  double q_accel_m2ps3 = 10.0;
  double q_omega_rad2ps3 = 1e-4;
  double omega_prior_sigma_radps = 0.05;
  void Validate() const;
};

class CoordinatedTurn3D final : public MotionModel {
 public:
  explicit CoordinatedTurn3D(const CoordinatedTurnParams& p = {});
  std::string_view Name() const override { return "ct"; }
  int Dim() const override { return 9; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const CoordinatedTurnParams& params() const { return p_; }

 private:
  CoordinatedTurnParams p_;
};

// ---------------------------------------------------------------------------------------------
// Ballistic (LJ-II): state (r, v, kappa), kappa = 1/beta = C_D A / m (m^2/kg), in ECI:
//   dr/dt = v
//   dv/dt = g_J2(r) - 0.5 rho(h) kappa |u| u,   u = v - omega_E z x r (air-relative velocity)
//   dkappa/dt = w_kappa (random walk)
// g_J2 from earth/gravity.h (our ECI shares z with ECEF, so the axisymmetric J2 field has the
// same form; its analytic gradient is in motion_models.cc). rho from US-76 (earth/atmosphere.h)
// at the geocentric-over-ellipsoid altitude h = |r| - R_ell(r), R_ell the WGS-84 ellipsoid radius
// along r (within 0.7 m of the geodetic height below 120 km: 1e-4 in density). Neither h nor u
// depends on the Earth rotation angle (rotation about z), so the TrackingFrame is held only for
// a future non-axisymmetric field. Above drag_ceiling_m drag is skipped (at 120 km, kappa = 5e-4
// m^2/kg and 7.5 km/s the drag would be ~ 3e-4 m/s^2).
// Integration: RK4, substeps <= max_substep_s when the target can reach the ceiling during the
// step (h - |v| |dt| - 5 dt^2 < ceiling), else <= max_exo_substep_s. The transition matrix comes
// from the variational equations dPhi/dt = A(x) Phi integrated with the same RK4 stages (which
// makes it the exact derivative of the RK4 map): A holds the analytic J2 gravity gradient and
// analytic drag partials, except d rho / d h, a central difference of US-76 over +-5 m.
// Q: white acceleration q_accel on (r, v) as in CV (gravity-model and drag-model error: J2
// against the true field is ~ 1e-4 m/s^2, drag varies with Mach and attitude), plus the kappa
// random walk q_kappa T.
// Defaults: kappa prior for re-entry vehicles with beta = 2,000-13,000 kg/m^2, i.e. kappa =
// 7.7e-5 to 5e-4 m^2/kg (Zarchan, "Tactical and Strategic Missile Guidance", AIAA, works its
// re-entry examples at 500 and 1,000 lb/ft^2 = 2,440 and 4,880 kg/m^2; Farina, Ristic &
// Benvenuti, IEEE TAES 38(3) 2002, at about 4,000 kg/m^2; LJ-II sec. III discusses the range):
// mean 2.5e-4 m^2/kg, sigma 1.5e-4 m^2/kg (the range lies within ~ 1.6 sigma; a Gaussian prior
// may go negative: the filter then sees a small "thrust", harmless above the atmosphere where
// kappa is unobservable). q_kappa = 1e-12 m^4/kg^2/s (kappa drifts by 1e-5, 4 %, in 100 s), q_accel
// = 0.1 m^2/s^3.
struct BallisticParams {
  double q_accel_m2ps3 = 0.1;
  double q_kappa_m4pkg2ps = 1e-12;
  double kappa_prior_mean_m2pkg = 2.5e-4;
  double kappa_prior_sigma_m2pkg = 1.5e-4;
  double drag_ceiling_m = 120e3;
  double max_substep_s = 1.0;
  double max_exo_substep_s = 5.0;
  void Validate() const;
};

class Ballistic final : public MotionModel {
 public:
  explicit Ballistic(const BallisticParams& p = {}, const TrackingFrame& frame = {});
  std::string_view Name() const override { return "ballistic"; }
  int Dim() const override { return 7; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateVector PredictWithJacobian(const StateVector& x, double t_s, double dt_s,
                                  StateMatrix* F) const override;  // one RK4 pass for both
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const BallisticParams& params() const { return p_; }
  const TrackingFrame& frame() const { return frame_; }

  // The continuous dynamics dx/dt at x (7-state); fills A = d(dx/dt)/dx when A is non-null.
  // Public for tests and for the assessment layer's impact-point prediction.
  Eigen::Matrix<double, 7, 1> Derivative(const Eigen::Matrix<double, 7, 1>& x,
                                         Eigen::Matrix<double, 7, 7>* A) const;

 private:
  int Substeps(const StateVector& x, double dt_s) const;
  BallisticParams p_;
  TrackingFrame frame_;
};

// ---------------------------------------------------------------------------------------------
// Glide: gravity plus an aerodynamic acceleration state (r, v, a_aero), tracking-frame axes:
//   dr/dt = v,  dv/dt = g_J2(r) + a_aero,  da_aero/dt = -a_aero / tau + w,  q = 2 sigma^2 / tau
// The sum of lift and drag of a glider changes slowly except during bank reversals, which a
// first-order Gauss-Markov process with a time constant of tens of seconds captures (Singer's
// model on top of known gravity). Predict and the Jacobian: RK4 with substeps <= max_substep_s
// and the variational equations (analytic J2 gradient), as for Ballistic. Q: Singer's exact
// per-axis blocks with (tau, sigma) (the gravity gradient's effect on Q, ~ (T/806 s)^2, is
// neglected).
// Defaults, for an HTV-2-class glider (L/D ~ 2.6, Mach 15-20 at 40-60 km): in equilibrium glide
// lift is g - v^2/r ~ 4 m/s^2 and drag ~ 2 m/s^2, but a pull-up to 2-3 g commands 20-30 m/s^2 of
// lift (and 8-12 m/s^2 of drag at L/D 2.6): sigma = 20 m/s^2. A bank reversal or pull-up takes
// 10-30 s: tau = 20 s. Prior on a_aero: zero mean, aero_prior_sigma_mps2 = 30 m/s^2 per axis.
struct GlideParams {
  double tau_s = 20.0;
  double sigma_a_mps2 = 20.0;
  double aero_prior_sigma_mps2 = 30.0;
  double max_substep_s = 1.0;
  void Validate() const;
};

class Glide final : public MotionModel {
 public:
  explicit Glide(const GlideParams& p = {});
  std::string_view Name() const override { return "glide"; }
  int Dim() const override { return 9; }
  StateVector Predict(const StateVector& x, double t_s, double dt_s) const override;
  StateMatrix Jacobian(const StateVector& x, double t_s, double dt_s) const override;
  StateVector PredictWithJacobian(const StateVector& x, double t_s, double dt_s,
                                  StateMatrix* F) const override;  // one RK4 pass for both
  StateMatrix ProcessNoise(const StateVector& x, double t_s, double dt_s) const override;
  Gaussian Initialise(const Gaussian& rv) const override;
  Vec3 Acceleration(const StateVector& x, double t_s) const override;
  const GlideParams& params() const { return p_; }

 private:
  GlideParams p_;
};

// ---------------------------------------------------------------------------------------------
// The analytic gradient d g / d r (1/s^2, symmetric) of earth::GravityAcceleration(r, kJ2). With
// c = 3/2 J2 mu R^2, g = alpha r + beta z_hat, alpha = -mu/r^3 + c (5 z^2/r^7 - 1/r^5),
// beta = -2 c z / r^5:  G = alpha I + r grad(alpha)' + z_hat grad(beta)'.
Mat3 GravityGradientJ2(const Vec3& r);

// Every model's parameters, e.g. for a scenario's tracker section.
struct MotionModelParams {
  ConstantVelocityParams cv;
  ConstantAccelerationParams ca;
  SingerParams singer;
  CoordinatedTurnParams ct;
  BallisticParams ballistic;
  GlideParams glide;
  void Validate() const;  // all of them
};

// The model called `name` ("cv", "ca", "singer", "ct", "ballistic", "glide") with its parameters
// from `params` (validated). Throws std::invalid_argument listing the valid names otherwise.
std::shared_ptr<const MotionModel> MakeMotionModel(std::string_view name,
                                                   const MotionModelParams& params,
                                                   const TrackingFrame& frame);

}  // namespace hyperdef::tracking
