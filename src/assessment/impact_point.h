// Predicted impact point of a ballistic track, with its covariance ellipse and CEP.
//
// Model. The track's 6-state Gaussian (r, v in the tracking frame, i.e. ECI at time t) is pushed
// through the unscented transform (Julier & Uhlmann 1997/2004; Bar-Shalom, Li & Kirubarajan
// 2001, sec. 10.4): the 2n + 1 = 13 symmetric sigma points
//   X_0 = x,  X_{+-i} = x +- (sqrt((n + kappa) P))_i,   W_0 = kappa/(n + kappa), W_i = 1/(2(n +
//   kappa))
// are each flown to the ground with point-mass 3-DOF dynamics in ECI:
//   dr/dt = v,   dv/dt = g_J2(r) - rho(h) |v_a| v_a / (2 beta),   v_a = v - omega x r
// (the air co-rotates with the Earth; drag only below 100 km, US-76 density, beta = m/(CD A) in
// kg/m^2; beta = 0 means vacuum). The impact is the first descending crossing of height 0 above
// the WGS-84 ellipsoid, located by the flight layer's event finder. The impact points, taken in
// ECEF at each sigma point's own impact time (the Earth turns while the warhead falls), are
// expressed as East/North offsets in the tangent plane at their weighted mean; the weighted mean
// and covariance of those offsets give the predicted impact point and its 1-sigma ellipse.
//
// Integrator: flight/integrator.h IntegrateDp54 (adaptive Dormand-Prince 5(4), rel. tol 1e-10)
// with a terminal Event on the height. The dense output locates the crossing to 1e-6 s, i.e.
// < 1 cm on the ground at 7 km/s; an adaptive step is cheap in the exo-atmospheric arc (steps of
// tens of seconds) and still accurate through the drag pulse of re-entry, where a fixed-step RK4
// would need a small step everywhere. The step is capped (max_step_s) so that the height, which
// has one minimum on a ballistic arc, cannot cross zero twice inside one step.
//
// Height: the geocentric radius minus the WGS-84 ellipsoid radius at the geocentric latitude
// (EllipsoidHeight_m). It is exactly 0 on the ellipsoid, and differs from the geodetic height by
// less than 1 m below 100 km (the two directions differ by < 0.2 deg), which matters neither for
// the density nor for the ground crossing.
//
// CEP: the radius of the circle about the mean impact point holding probability 0.5 under the
// 2-D Gaussian, computed from the ellipse by GaussianMassInCircle and bisection (relative
// accuracy 1e-6). The classical approximation CEP ~ 0.5887 (sigma_1 + sigma_2) (e.g. Blackman &
// Popoli 1999) is exact for a circular ellipse and 13 % low for a degenerate (line) ellipse, where
// the exact value is 0.6745 sigma_1; we use the exact value.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "earth/gravity.h"
#include "tracking/types.h"

namespace hyperdef::assessment {

using core::Vec3;

struct ImpactOptions {
  earth::GravityModel gravity = earth::GravityModel::kJ2;
  // Ballistic coefficient m/(CD A) (kg/m^2) for drag below 100 km; 0 = no drag (vacuum).
  double ballistic_coefficient_kgpm2 = 0.0;
  double drag_ceiling_m = 100e3;  // no drag above this height
  double max_time_s = 4000.0;     // give up (ok = false) if no impact within this time
  double max_step_s = 20.0;       // integrator step cap (s)
  double rel_tol = 1e-10;         // integrator relative tolerance
  double kappa = 1.0;             // UT spread; >= 0 keeps every weight positive
  void Validate() const;          // throws std::invalid_argument
};

struct ImpactPrediction {
  bool ok = false;          // false: some sigma point did not reach the ground
  double t_impact_s = 0.0;  // weighted mean impact time (tracking-frame clock)
  double lat_rad = 0.0;     // geodetic latitude of the mean impact point
  double lon_rad = 0.0;     // longitude, (-pi, pi]
  Eigen::Matrix2d covariance_EN_m2 = Eigen::Matrix2d::Zero();  // (east, north) at the mean point
  double semi_major_m = 0.0;                                   // 1-sigma ellipse
  double semi_minor_m = 0.0;
  double orientation_rad = 0.0;   // of the major axis, from north clockwise, in [0, pi)
  double cep_m = 0.0;             // 50 % circle about the mean point
  double sigma_t_impact_s = 0.0;  // spread of the impact time
};

// Predicted impact of the track state `rv_Eci` (first six entries r, v; P's top-left 6x6 used),
// taken at time rv_Eci.t_s of the tracking frame `frame`.
ImpactPrediction PredictImpact(const tracking::Gaussian& rv_Eci,
                               const tracking::TrackingFrame& frame,
                               const ImpactOptions& options = {});

// One trajectory: flies (r, v) from t_s to the ground with the model above. Returns false if it
// does not land within options.max_time_s (or starts at or below the ground). On success fills
// the impact time and the impact position in ECI at that time. Does not validate `options`.
bool FlyToGround(const Vec3& r_Eci, const Vec3& v_Eci, double t_s, const ImpactOptions& options,
                 double* t_impact_s, Vec3* r_impact_Eci);

// One point of a flown ballistic path, in the tracking frame (ECI).
struct BallisticSample {
  double t_s = 0.0;
  Vec3 r_Eci = Vec3::Zero();
  Vec3 v_Eci = Vec3::Zero();
};

// The trajectory FlyToGround flies, sampled.
struct BallisticPath {
  bool flown = false;   // false: the start is at or below the ground, nothing was flown
  bool landed = false;  // stopped at the ground (height 0) within options.max_time_s
  // Where the flight stopped: the impact if landed, else max_time_s (or the point where the
  // integrator gave up); the start itself if !flown.
  BallisticSample end;
  // The dense output at t_s + k sample_s (k = 0, 1, ...) strictly before end.t_s (more than
  // 1e-9 s before it): append `end` for the whole path. Empty if sample_s == 0 or !flown.
  std::vector<BallisticSample> samples;
};

// Flies (r, v) from t_s with exactly the model, integrator and steps of FlyToGround (the sampler
// reads the integrator's dense output and changes no step, so end.t_s and end.r_Eci equal
// FlyToGround's impact bit for bit) and samples it every sample_s (0: no samples). Throws
// std::invalid_argument on invalid options or a sample_s that is negative or not finite.
BallisticPath FlyBallisticPath(const Vec3& r_Eci, const Vec3& v_Eci, double t_s,
                               const ImpactOptions& options, double sample_s);

// Lower-triangular L with L L' = P for a symmetric positive semidefinite 6x6 P (Cholesky that
// zeroes a column whose pivot is <= 0 instead of failing: a rank-deficient P is allowed).
Eigen::Matrix<double, 6, 6> CholeskyPsd(const Eigen::Matrix<double, 6, 6>& P);

// Height (m) above the WGS-84 ellipsoid measured along the geocentric radius (see header).
double EllipsoidHeight_m(const Vec3& r);

// Probability that a 2-D Gaussian N(mean, cov) falls inside the circle (center, radius) (all in
// metres in one plane). Polar coordinates about the circle's centre: the radial integral of the
// Gaussian along each ray is exact (erf/erfc form), the angular one is the trapezoid rule, which
// converges geometrically for this smooth periodic integrand; the number of angles grows with
// (distance to the mean)/(smallest sigma) so that a narrow Gaussian far from the centre still
// gets >= 4 nodes per sigma-width. Absolute accuracy better than 1e-9 (tests compare with the
// Marcum-Q closed form). A Gaussian whose mean is more than 12 sigma_max inside (outside) the
// circle returns exactly 1 (0): the neglected mass is < 1e-32.
double GaussianMassInCircle(const Eigen::Vector2d& mean, const Eigen::Matrix2d& cov,
                            const Eigen::Vector2d& center, double radius);

// CEP of a zero-mean 2-D Gaussian with covariance cov (see header).
double CircularErrorProbable(const Eigen::Matrix2d& cov);

}  // namespace hyperdef::assessment
