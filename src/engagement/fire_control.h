// Fire control: for one battery and one track, the engagement window (earliest and latest launch
// that reach an intercept point inside the interceptor's envelope before the threat lands) and
// the predicted single-shot kill probability; and the WTA problem built from all such windows.
//
// Threat prediction. Engagement sees tracks, never truth: the simulation turns a track into a
// ThreatPrediction, a sampled path p(t) (ECEF, with velocity) from the track time to the ground
// plus the track's (r, v) covariance, by one of
//   PredictBallisticPath  the track mean flown with the impact-point model of
//                         assessment/impact_point.h (J2 gravity, US-76 drag with ballistic
//                         coefficient beta below the drag ceiling, dr/dt = v, dv/dt = g_J2(r) -
//                         rho |v_a| v_a / (2 beta), v_a = v - omega x r) and the same
//                         ImpactOptions, sampled every sample_s on the integrator's dense output
//                         (assessment::FlyBallisticPath: the very flight of FlyToGround);
//   PredictGliderPath     the straight (bank 0, maximum-range) ray of assessment/footprint.h's
//                         equilibrium glide at best L/D with the same FootprintOptions
//                         (assessment::FlyGlideRay: the very rays of ReachableFootprint), continued
//                         after the glide's terminal condition by a ballistic dive (beta of the
//                         footprint model) to the ground; the two extreme-bank rays (+-max_bank)
//                         are flown alongside, and at each sample the half-chord of the fan,
//                         w(tau) = |p_+(tau) - p_-(tau)| / 2 (tau = time since the track), is kept
//                         as the glider's manoeuvre half-width (held at its last value once an
//                         extreme ray has ended).
//
// Window. For each candidate intercept time t on the path (the samples, refined by bisection at
// every change of validity to refine_tol_s), t is valid when, with g = geodetic(p(t)) and the
// ground range d = geodesic(site, g):
//   min_intercept_altitude <= h <= max_intercept_altitude, h > 0, d <= max_ground_range,
//   T = flyout.TimeOfFlight_s(d, h) exists, T <= max_flight_time,
//   t_L = t - T >= now + reaction_time      (the launch the intercept needs is still possible),
//   and for a glider (glider_worst_case_envelope) the two worst-case points p(t) +- w n (n the
//   horizontal unit vector across the velocity, w the manoeuvre half-width below) are also inside
//   the altitude band, the ground range and the fly-out table.
// The window is [min t_L, max t_L] over valid t (the latest launch is the last chance before the
// threat leaves the envelope or lands). With min_pk > 0, Pk(t) >= min_pk is one more validity
// condition. The recommended launch is the earliest one, t_L = earliest_launch_s;
// intercept_time_s, pip_Ecef and predicted_pk belong to it. t_L(t) is
// monotone for any realistic fly-out (dT/dt > -1), so the valid launches form one interval; if
// the valid intercept times are disjoint the window still reports the outer bounds.
//
// Predicted Pk (planning value, ASSUMED model). The interceptor flies midcourse to the PIP and
// must find the target in its seeker's acquisition basket at handover: the disc, across the
// line of sight, of radius R_b = acquisition_range tan(field_of_view_half_angle). If
// limit_cover_by_divert, the disc is cut to the lateral distance the end game can still remove
// in the time to go t_go = acquisition_range / V_c (V_c = |v_T - v_I| the closing speed, v_I =
// Speed_mps(d, h) along the site-to-PIP chord): with lateral acceleration a (divert T / m_KV
// limited by its Delta-v = Isp g0 ln(m / (m - m_prop)), or aerodynamic min(a_struct, q S CL / m)
// at the PIP's dynamic pressure), reach = a t_go^2 / 2 if Delta-v >= a t_go, else Delta-v t_go -
// Delta-v^2 / (2 a). Then
//   Pk = single_shot_pk * P(|e_perp| <= R),  e ~ N(0, P_pos(t)),
// e_perp the projection of the position error on the plane across the closing direction, the
// probability computed by assessment::GaussianMassInCircle. P_pos(t) is the track covariance
// propagated open loop to the intercept (constant-velocity transition, Phi = [I tau I; 0 I],
// tau = min(t - t_track, covariance_horizon_s)), rotated to ECEF. Without the cap this bounds
// the error from above (no measurement after now); the uplink refreshes the PIP, so the default
// cap (30 s: a few uplink periods plus the handover lead) models a track kept up to date by its
// sensors until intercept. Set +inf where no sensor will see the threat again (Bar-Shalom, Li &
// Kirubarajan 2001, ch. 6 for the transition).
// Glider rule ("taking the reachable footprint into account"): the interceptor can follow by
// uplink any manoeuvre begun earlier than glider_manoeuvre_horizon_s before the intercept (its
// midcourse re-plan time); the manoeuvre it cannot follow is the one flown in that last horizon,
// whose spread is the fan's half-width w(tau_m), tau_m = min(t - t_track, horizon) (turn
// capability changes slowly, so the fan flown from the track state measures a manoeuvre begun
// tau_m before any intercept). The threat's choice of bank is unknown: it is taken uniform over
// the fan, i.e. a displacement s w n with s ~ U(-1, 1), moment-matched to a Gaussian of variance
// w^2 / 3 along n and added to P_pos. For w >> R the Pk then falls like the fraction R / w of the
// fan the end game covers, which is the footprint-coverage rule the issue asks for.
//
// WTA. BuildWtaProblem fills engagement::WtaProblem from battery x threat windows: feasible if
// the window exists and fits at least one engagement; pk = the recommended launch's Pk;
// max_engagements = engagements that fit in the window at the battery's launch interval dt with
// salvo k: shoot-shoot, a salvo occupies (k - 1) dt and salvos start k dt apart,
//   m = floor((D - (k - 1) dt) / (k dt)) + 1  (0 if D < (k - 1) dt),  D = latest - earliest;
// shoot-look-shoot, an engagement is a salvo, the flight to intercept (the recommended time of
// flight T), a look (look_delay_s) and a second salvo: S = 2 (k - 1) dt + T + look, engagements
// start S + dt apart, m = floor((D - S) / (S + dt)) + 1 (0 if D < S).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "assessment/footprint.h"
#include "assessment/impact_point.h"
#include "earth/wgs84.h"
#include "engagement/flyout_table.h"
#include "engagement/interceptor.h"
#include "engagement/interceptor_spec.h"
#include "engagement/wta.h"
#include "tracking/types.h"

namespace hyperdef::engagement {

using core::Mat3;
using core::Vec3;

// A launcher site with its interceptors. A ship's site moves: the simulation passes the current
// one each time it asks for a window.
struct Battery {
  std::string id;
  earth::Geodetic site;  // launcher position (geodetic, WGS-84)
  InterceptorSpec interceptor;
  const FlyoutTable* flyout = nullptr;  // not owned; must outlive every call using the battery
  int inventory = 0;                    // interceptors left (>= 0)
  double reaction_time_s = 0.0;         // decision to first launch (>= 0)
  int salvo_size = 1;                   // interceptors per salvo (>= 1)
  double launch_interval_s = 1.0;       // between two launches of the battery (> 0)
  // Throws std::invalid_argument naming the battery and the field.
  void Validate() const;
};

// One point of a predicted threat path.
struct ThreatSample {
  double t_s = 0.0;                    // scenario time
  Vec3 r_Ecef = Vec3::Zero();          // position (m)
  Vec3 v_Ecef = Vec3::Zero();          // velocity relative to the Earth (m/s)
  double manoeuvre_halfwidth_m = 0.0;  // glider: fan half-width w at tau = t_s - t_track
};

// What fire control knows about a threat: a sampled path from the track time to the ground and
// the track's (r, v) covariance. Filled by PredictBallisticPath / PredictGliderPath, or by hand.
struct ThreatPrediction {
  std::vector<ThreatSample> path;  // strictly increasing t_s; path[0] at the track time
  bool reaches_ground = false;     // the last sample is the impact (height 0)
  bool manoeuvring = false;        // glider: apply the footprint rule (manoeuvre_halfwidth_m)
  double track_time_s = 0.0;       // time of the covariance below
  Eigen::Matrix<double, 6, 6> rv_covariance_Eci = Eigen::Matrix<double, 6, 6>::Zero();
  tracking::TrackingFrame frame;  // ECI <-> ECEF for the covariance

  // Position and velocity at t_s by cubic Hermite interpolation between the two samples that
  // bracket it (exact at the samples; clamped to the path's ends). Requires a non-empty path.
  ThreatSample StateAt(double t_s) const;
  // Position covariance (m^2, ECEF axes) at t_s: the open-loop constant-velocity propagation of
  // rv_covariance_Eci over min(t_s - track_time_s, max_horizon_s), rotated to ECEF at t_s.
  Mat3 PositionCovarianceEcef(double t_s, double max_horizon_s) const;
};

// Ballistic path of the track mean (first six entries r, v in the tracking frame, taken at t_s)
// with the impact-point model and options of assessment (see header), sampled every sample_s
// from t_s, the impact as the last sample. reaches_ground = false if it does not land within
// model.max_time_s. Throws std::invalid_argument on bad options or a state without (r, v).
ThreatPrediction PredictBallisticPath(const tracking::Gaussian& rv_Eci,
                                      const tracking::TrackingFrame& frame, double t_s,
                                      const assessment::ImpactOptions& model = {},
                                      double sample_s = 1.0);

// Glider path: straight equilibrium glide ray of the footprint model, then a ballistic dive to
// the ground, with the fan's half-width from the extreme-bank rays (see header). manoeuvring =
// true. Throws std::invalid_argument on bad options or a state without (r, v).
ThreatPrediction PredictGliderPath(const tracking::Gaussian& rv_Eci,
                                   const tracking::TrackingFrame& frame, double t_s,
                                   const assessment::FootprintOptions& model = {},
                                   double sample_s = 1.0);

struct FireControlOptions {
  double min_pk = 0.0;         // a launch is recommended only if its Pk >= min_pk
  double refine_tol_s = 1e-3;  // bisection tolerance on the window's edges
  // Open-loop covariance propagation is capped at this horizon (s): the error growth the
  // uplinked track updates cannot remove before handover. +inf = the pure open-loop bound
  // (meaningless for leads of many minutes: a glider engaged 20 min ahead).
  double covariance_horizon_s = 30.0;
  double glider_manoeuvre_horizon_s = 30.0;  // manoeuvre the interceptor cannot follow (s)
  bool glider_worst_case_envelope = true;    // also require p +- w n inside the envelope
  bool limit_cover_by_divert = true;         // cut the seeker basket to the end-game reach
  void Validate() const;                     // throws std::invalid_argument
};

struct EngagementWindow {
  bool exists = false;
  double earliest_launch_s = 0.0;  // scenario time
  double latest_launch_s = 0.0;
  double intercept_time_s = 0.0;  // for the recommended (earliest good) launch
  Vec3 pip_Ecef = Vec3::Zero();   // predicted intercept point of that launch
  double predicted_pk = 0.0;      // its single-shot Pk (see header)
  double intercept_altitude_m = 0.0;
  double intercept_ground_range_m = 0.0;
};

// Engagement window of `battery` against `threat` decided at now_s (see header). No window
// (exists = false) if no valid intercept remains or none reaches min_pk. Throws
// std::invalid_argument on an invalid battery (or no fly-out table) or options.
EngagementWindow ComputeWindow(const Battery& battery, const ThreatPrediction& threat, double now_s,
                               const FireControlOptions& options = {});

// Predicted Pk of one interceptor of `spec` reaching the point `p_Ecef` (threat velocity
// v_threat_Ecef, interceptor velocity v_int_Ecef) with the target's position error
// N(0, P_pos_Ecef) (see header). Exposed for tests and for the simulation's re-planning.
double PredictedPk(const InterceptorSpec& spec, const Vec3& p_Ecef, const Vec3& v_threat_Ecef,
                   const Vec3& v_int_Ecef, const Mat3& P_pos_Ecef, bool limit_cover_by_divert);

// Radius (m) of the disc across the line of sight that the end game covers: the seeker basket,
// cut to the lateral reach if limit_cover_by_divert (see header).
double EndGameCoverRadius_m(const InterceptorSpec& spec, double closing_speed_mps,
                            double interceptor_speed_mps, double altitude_m,
                            bool limit_cover_by_divert);

// Predicted intercept point for an interceptor in flight (the uplink's PIP): the time t on the
// threat's predicted path at which the interceptor, by its own time to go
// (Interceptor::TimeToGo_s), gets to where the threat then is, t = t_I + TimeToGo_s(p(t)) with
// t_I = interceptor.Time_s(). Solved by the secant method from t_guess_s (the last PIP time) to
// 1 ms, at most 12 iterations, t kept on the path and not before t_I. A PIP held at the planned
// intercept time instead leaves the interceptor's arrival-time error (fly-out table, ship motion,
// changed path) as a miss of that error times the threat's speed across the line of sight, which
// the end game must then remove (see docs/engagement.md). Requires a non-empty path.
ThreatSample SolveInFlightPip(const Interceptor& interceptor, const ThreatPrediction& threat,
                              double t_guess_s);

struct WtaBuildOptions {
  FireDoctrine doctrine = FireDoctrine::kShootShoot;
  double look_delay_s = 2.0;  // SLS: kill assessment after the first salvo's intercept
  void Validate() const;      // throws std::invalid_argument
};

// Engagements that fit in `window` for `battery` under the doctrine (see header); 0 if none.
int MaxEngagementsInWindow(const Battery& battery, const EngagementWindow& window,
                           const WtaBuildOptions& options);

// The WTA problem for I = batteries.size() batteries and J = threat_values.size() threats, with
// windows battery-major (windows[i * J + j]). Inventory and salvo size (battery_salvo_size, may
// differ between batteries) from the batteries. Throws std::invalid_argument on mismatched sizes
// or invalid batteries.
WtaProblem BuildWtaProblem(const std::vector<Battery>& batteries,
                           const std::vector<double>& threat_values,
                           const std::vector<EngagementWindow>& windows,
                           const WtaBuildOptions& options = {});

}  // namespace hyperdef::engagement
