// The interceptor vehicle and its fly-out: a 3-DOF point mass over the rotating Earth, closed
// around the guidance laws of guidance.h, for the engagement loop of the simulation.
//
// Dynamics (same state convention as flight/dynamics.h: r_Ecef, v_Ecef relative to the rotating
// Earth, mass):
//   dr/dt = v
//   dv/dt = g_J2(r) - 2 w x v - w x (w x r) + (T_axial - D) v/|v| / m + a_lat,   dm/dt = -mdot
// with J2 gravity (earth/gravity.h), drag D = q S CD (US-76 density, spec.reference_area_m2 or,
// once the KV has separated, spec.kill_vehicle_reference_area_m2 if set; spec.drag_coefficient),
// thrust T = Isp g0 mdot of the burning stage (flight/propulsion.h). The altitude inside the
// derivative is the cheap spheroid approximation h = |r| - a (1 - f sin^2 phi_gc) (error < 20 m
// below 1000 km, far below what matters for drag), so the derivative costs one US-76 lookup and no
// GeographicLib call.
//
// Phases. boost: thrust along the local vertical for spec.vertical_rise_s, then along the velocity
// while the guidance steers (stages burn in order with their coasts; at each burnout the stage's
// dry mass drops). After the last burnout, if spec.kill_vehicle_separates, the kill vehicle (KV)
// flies alone with mass kill_vehicle_mass_kg (containing divert_propellant_kg). midcourse: steering
// toward the predicted intercept point (PIP) refreshed by Uplink(). terminal: from seeker
// acquisition (handover) to the end. ended: closest approach passed, ground impact, or flight time
// (spec.max_flight_time_s) exhausted.
//
// Lateral acceleration (what guidance can get):
//   - stack (KV attached), during a burn: max(a_aero, (T/m) sin(thrust_vector_max_rad)), the part
//     beyond a_aero coming from thrust vectoring, which reduces the axial thrust to
//     sqrt((T/m)^2 - a_tvc^2) (per unit mass);
//   - stack, coasting: a_aero = MaxLateralAccel(spec.aero_limit, q, m) (guidance.h);
//   - separated KV: the divert limit MaxDivertAccel (guidance.h), burning divert propellant through
//     BurnDivert at the applied acceleration magnitude (propellant never negative; a burnout in the
//     middle of a step scales that step's lateral acceleration by the achieved burn fraction).
//   Aerodynamic and thrust-vector commands act across the velocity (the command's component along
//   v is dropped); divert thrust acts in any direction across the LOS. The command is limited to
//   the maximum, then passed through the first-order autopilot lag (time constant T_a): over a
//   step of length h the applied lateral acceleration is the mean of the exact lag response to a
//   held command, a_app = a_c + (a_0 - a_c) (T_a/h)(1 - exp(-h/T_a)), and a_0 advances with
//   AutopilotLagStep. a_app is clamped again to the current limit (which falls as the interceptor
//   climbs), so |a_app| never exceeds the limit of the step.
//
// Guidance (guidance.h laws, all in ECEF; the Earth-rate terms enter as part of the accelerations
// so the ECEF relative motion is modelled consistently):
//   midcourse: zero-effort miss to the PIP, ZEM = p + v tgo + a_rel tgo^2/2 with p = r_Pip - r,
//     v = -v_eff, a_rel = -(g + frame terms of the interceptor) (gravity bias), a = ZemAccel(ZEM,
//     p, tgo, N'). v_eff is the velocity direction with the predicted burnout speed |v| + 0.6 x
//     (the stack's remaining ideal Delta-v): during the boost the slow early flight would otherwise
//     show almost no heading error and the gravity bias (computed with the current, low speed)
//     would over-loft the trajectory. tgo = R / max(v_eff . u_Pip, v_floor), v_floor = half the
//     stack's ideal Delta-v. The planned PIP time is not used (the interceptor may be early or late
//     on it): the seeker's terminal homing takes care of the timing.
//   terminal: (augmented) PN on the seeker: a = AugmentedPnAccel (or TruePnAccel) evaluated on the
//     relative state synthesised from the seeker's LOS direction u and LOS rate Omega and the
//     track: p = R u, v = -Vc u + R (Omega x u), with R and Vc from the uplinked target state
//     propagated to now and the interceptor's own state. The target acceleration for augmented PN
//     is the track's: a_Tgt = g(r_Tgt) + frame terms + a_aero_est, where a_aero_est is the finite
//     difference of the last two uplinked velocities minus the gravity and frame terms (0 with a
//     single uplink, i.e. a ballistic target in vacuum), and the interceptor's own non-commanded
//     acceleration (gravity, frame terms, thrust and drag, known to it from its IMU) is subtracted:
//     a_rel = a_Tgt - a_Int. Target-state estimates are propagated between uplinks with constant
//     acceleration.
//
// Seeker. Only the seeker sees the truth, through truth(t, &r, &v). It acquires when the true
//   range is inside seeker.acquisition_range_m and the LOS is within field_of_view_half_angle_rad
//   of the boresight, which is cued at the track-predicted target position (the interceptor's
//   velocity before any uplink): the FOV test checks the track's cueing error; gimbal limits are
//   not modelled. Each terminal step (one seeker frame) it measures the LOS unit vector with an
//   angular error of angle_sigma_rad per axis (two orthogonal axes across the LOS; draws from
//   core::RandomStream(seed, 0, entity, "seeker")) and an alpha-beta filter on the LOS unit vector
//   components (Kalata 1984 steady-state gains, Bar-Shalom, Li & Kirubarajan 2001 sec. 6.5;
//   tracking index lambda = sigma_w h^2 / sigma_v with a LOS acceleration plant noise sigma_w =
//   0.05 rad/s^2) estimates u and du/dt; Omega = u x du/dt. With zero angle noise the gains are
//   alpha = beta = 1, i.e. exact differencing. The filter is initialised at handover from the
//   measurement and the track-derived LOS rate. The seeker is not called at all until the
//   track-estimated range falls below 1.5 acquisition ranges (cheap midcourse).
//
// Integration: classical RK4, fixed steps, lateral acceleration held over a step: 0.02 s during
//   burns, 0.1 s in midcourse below 80 km and 0.5 s above, 20 ms while the seeker is polled before
//   acquisition, one seeker frame (1/seeker.rate_hz clamped to [1, 10] ms) in terminal. Steps are
//   shortened to land on stage ignitions and burnouts, the end of the vertical rise and the
//   Advance target time. No heap allocation per step.
//
// Time to go (TimeToGo_s, for the uplink's PIP): the midcourse law nulls the miss across the line
//   of sight to the PIP but cannot change the along-track speed, so the interceptor reaches the
//   PIP when its own kinematics bring it there, not at a planned time. The uplink therefore needs
//   the interceptor's own time to go to a point: with R the range to the point and u its
//   direction, the remaining burn (T_b = last burnout - now, 0 once the stack is spent) is flown
//   at the mean of the current speed and the predicted burnout speed v_bo = |v| + 0.6 x (the
//   stack's remaining ideal Delta-v), then the coast from R_c = R - d_b (d_b the burn's distance)
//   at a closing speed c = v_bo (v . u once coasting) with the constant along-LOS acceleration
//   a_u = g_mean . u (gravity and frame terms, Simpson mean over the chord, as the midcourse law):
//   R_c = c tau + a_u tau^2 / 2, tau = 2 R_c / (c + sqrt(c^2 + 2 a_u R_c)). The estimate is
//   crude while the boost has a long way to go and exact in the limit of a short coast in vacuum;
//   the uplink repeats it every period, so its error shrinks as the interceptor closes.
//
// Closest approach: whenever the true relative state (p, v) = target - interceptor is known at both
//   ends of a step, the relative position over the step is the cubic Hermite interpolant of (p0,
//   v0, p1, v1) (exact for a constant relative acceleration); if d|p|^2/ds = 2 p . p' goes from
//   negative to positive inside the step, its root is found by the Illinois method to 1e-12 of
//   the step and the miss distance and intercept time recorded there, and the fly-out ends.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "core/random.h"
#include "earth/wgs84.h"
#include "engagement/flyout_table.h"
#include "engagement/interceptor_spec.h"

namespace hyperdef::engagement {

enum class InterceptorPhase { kBoost, kMidcourse, kTerminal, kEnded };
const char* InterceptorPhaseName(InterceptorPhase phase);  // "boost", "midcourse", ...

// Why a fly-out ended.
enum class InterceptorEnd { kNotEnded, kClosestApproach, kGroundImpact, kFlightTime };

// Target's true ECEF state at time t (s): returns false if the target does not exist then.
using TruthFunction = std::function<bool(double t_s, core::Vec3* r_Ecef, core::Vec3* v_Ecef)>;

class Interceptor {
 public:
  // Launched from `site` (geodetic, height above the ellipsoid) at launch_time_s toward the PIP
  // pip_Ecef planned for pip_time_s. The seeker's noise comes from
  // core::RandomStream(seed, replication, seed_entity, HashName("seeker")): give each shot its own
  // seed_entity (e.g. a hash of battery, track and salvo index).
  Interceptor(const InterceptorSpec& spec, const earth::Geodetic& site, double launch_time_s,
              const core::Vec3& pip_Ecef, double pip_time_s, std::uint64_t seed_entity,
              std::uint64_t seed = 0, std::uint64_t replication = 0);

  // Midcourse uplink from the track: a new PIP and the track's target state (ECEF) valid at
  // estimate_time_s (NaN: at the interceptor's current time, i.e. the last Advance's t_s). The
  // target's aerodynamic acceleration used by augmented PN is a_TgtEst_Ecef (the track filter's
  // acceleration estimate, ECEF, frame terms included) less gravity and the frame terms at the
  // estimate; without it (null), the finite difference of two uplinked velocities more than
  // 0.05 s apart less what gravity and the frame explain.
  void Uplink(const core::Vec3& pip_Ecef, double pip_time_s, const core::Vec3& r_TgtEst_Ecef,
              const core::Vec3& v_TgtEst_Ecef,
              double estimate_time_s = std::numeric_limits<double>::quiet_NaN(),
              const core::Vec3* a_TgtEst_Ecef = nullptr);

  // Advances to t_s (no-op when t_s <= Time_s() or Done()). `truth` is used only by the seeker
  // model and the closest-approach bookkeeping, never by the guidance directly. A target that
  // does not exist at the call's start (truth false) is not polled for in this call: the flight
  // takes its midcourse steps (a trajectory only ever ends, so nothing is missed).
  void Advance(double t_s, const TruthFunction& truth);

  bool Done() const { return phase_ == InterceptorPhase::kEnded; }
  InterceptorEnd EndReason() const { return end_; }
  // Smallest true distance found (m), located between steps (see header); +inf before the target
  // was ever sampled. Final once Done().
  double MissDistance_m() const { return miss_m_; }
  double InterceptTime_s() const { return intercept_time_s_; }  // time of that closest approach

  // State.
  double Time_s() const { return t_; }
  const core::Vec3& Position_Ecef() const { return r_; }
  const core::Vec3& Velocity_Ecef() const { return v_; }
  double Mass_kg() const { return m_; }
  InterceptorPhase Phase() const { return phase_; }
  const char* PhaseName() const { return InterceptorPhaseName(phase_); }
  const core::Vec3& Pip_Ecef() const { return pip_; }
  double HandoverTime_s() const { return handover_time_s_; }  // NaN before acquisition
  bool KillVehicleSeparated() const { return kv_separated_; }
  const DivertState& Divert() const { return divert_; }  // meaningful once separated
  // Diagnostics for tests: the largest ratio |applied lateral accel| / limit over the flight
  // (<= 1 + 1e-12), the lateral acceleration applied over the last step (m/s^2, ECEF) and the
  // number of integration steps taken.
  double MaxLateralAccelRatio() const { return max_lat_ratio_; }
  // What guidance believes of the target at t (ECEF): the last uplinked state propagated with
  // constant acceleration a = gravity and frame terms at that state plus the aerodynamic part.
  void TargetEstimate(double t, core::Vec3* r, core::Vec3* v, core::Vec3* a) const;
  const core::Vec3& LateralAccel_Ecef() const { return a_app_; }
  long Steps() const { return steps_; }

  // Lateral acceleration limit at the current state (m/s^2), per the header's rules.
  double LateralAccelLimit() const;

  // Predicted time (s) from now to reach `point_Ecef` (see "Time to go" in the header): what the
  // uplink needs to put the PIP where the target will be when the interceptor gets there.
  double TimeToGo_s(const core::Vec3& point_Ecef) const;

 private:
  double NextBreak() const;
  double EstimatedRange_m() const;
  core::Vec3 Boresight() const;
  double RemainingStackDeltaV() const;
  double PollRange_m() const;
  void Step(double h);
  void OnBreak();
  core::Vec3 Command(double* limit) const;
  double DragArea() const;
  double AeroLimit(const core::Vec3& r, const core::Vec3& v, double m) const;
  void Sample(const TruthFunction& truth);
  void End(InterceptorEnd reason);

  InterceptorSpec spec_;
  double launch_time_s_;
  double t_;
  core::Vec3 r_, v_;
  double m_;
  core::Vec3 up0_;  // launch vertical (geodetic)
  InterceptorPhase phase_ = InterceptorPhase::kBoost;
  InterceptorEnd end_ = InterceptorEnd::kNotEnded;
  int stage_ = 0;            // index of the current (burning or next) stage
  bool burning_ = false;     // stage_ is burning
  bool stack_done_ = false;  // every stage burned out
  bool kv_separated_ = false;
  DivertState divert_;
  std::vector<double> ignition_s_, burnout_s_;  // absolute times
  double rise_end_s_;
  double seeker_step_s_;
  double v_floor_mps_;
  // Guidance inputs.
  core::Vec3 pip_;
  double pip_time_s_;
  bool has_track_ = false;
  core::Vec3 r_tgt_est_, v_tgt_est_, a_tgt_aero_est_ = core::Vec3::Zero();
  double tgt_est_time_s_ = 0.0;
  // Autopilot.
  core::Vec3 a_ach_ = core::Vec3::Zero();
  core::Vec3 a_app_ = core::Vec3::Zero();
  double max_lat_ratio_ = 0.0;
  // Seeker.
  core::RandomStream seeker_rng_;
  double handover_time_s_;
  core::Vec3 u_est_ = core::Vec3::Zero(), udot_est_ = core::Vec3::Zero();
  double alpha_ = 1.0, beta_ = 1.0;
  // Closest approach.
  bool have_prev_rel_ = false;
  bool closing_seen_ = false;
  core::Vec3 p_prev_, vrel_prev_;
  double t_prev_rel_ = 0.0;
  double miss_m_;
  double intercept_time_s_;
  long steps_ = 0;
};

// ---- Fly-out to a fixed point (fire control) ------------------------------------------------

struct FlyoutPoint {
  bool reachable = false;
  double time_of_flight_s = 0.0;  // launch to closest approach to the point
  double speed_mps = 0.0;         // ECEF speed there
  double miss_m = 0.0;            // closest approach distance to the point
};

// Predicted intercept point from a target state (r, v, a: ECEF, at t_now_s; a constant over the
// prediction, e.g. gravity plus frame terms for a ballistic target) and an interceptor at r_Int
// moving at speed avg_speed_mps on average from now on: the fixed point of tau = |r_Tgt(tau) -
// r_Int| / avg_speed with r_Tgt(tau) = r + v tau + a tau^2 / 2 (at most 20 iterations).
// *pip_time_s (optional) receives t_now_s + tau. For in-flight uplinks; fire control at launch uses
// the fly-out table instead.
core::Vec3 PredictInterceptPoint(const core::Vec3& r_Int, double avg_speed_mps,
                                 const core::Vec3& r_Tgt, const core::Vec3& v_Tgt,
                                 const core::Vec3& a_Tgt, double t_now_s, double* pip_time_s);

// Closest approach between two samples of the relative state (p = target - interceptor, v its
// rate) a step h apart: minimum of |p(s)| over the cubic Hermite interpolant (header), by the
// Illinois method on p . p' when it changes sign from - to + inside the step, else the nearer end.
// Returns the distance (m); *frac (optional) receives where, as a fraction of the step.
double ClosestApproachInStep(const core::Vec3& p0, const core::Vec3& v0, const core::Vec3& p1,
                             const core::Vec3& v1, double h, double* frac);

// Gravity (J2) plus the rotating-frame terms -2 w x v - w x (w x r) at an ECEF state (m/s^2): the
// ECEF acceleration of a body under gravity alone.
core::Vec3 GravityAndFrameAccel_Ecef(const core::Vec3& r_Ecef, const core::Vec3& v_Ecef);

// Flies the interceptor from `site` (launch at t = 0) with midcourse guidance toward the fixed
// point (a target at rest at the point: no seeker handover). Reachable when the point lies in the
// spec's envelope (altitude within [min, max]_intercept_altitude_m, ground range <=
// max_ground_range_m), the closest approach is within tolerance_m of it, before
// max_flight_time_s, with speed >= spec.min_intercept_speed_mps.
FlyoutPoint FlyToPoint(const InterceptorSpec& spec, const earth::Geodetic& site,
                       const core::Vec3& point_Ecef, double tolerance_m = 100.0);

}  // namespace hyperdef::engagement
