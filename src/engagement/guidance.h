// Interceptor guidance laws: pure functions of the relative state, for the 3-DOF fly-out.
//
// Relative state. p_IntTgt = r_Tgt - r_Int (m) and v_IntTgt = v_Tgt - v_Int (m/s), both in one
// common frame that is inertial over the homing time (ECI; ECEF is fine for guidance too, the
// frame terms being far below the commands). Nothing here knows which frame it is: the caller
// keeps the suffix. Derived quantities (Zarchan, Tactical and Strategic Missile Guidance, 6th ed.
// 2012, ch. 2 "Fundamentals of Tactical Missile Guidance"; Palumbo, Blauwkamp & Lloyd, "Basic
// Principles of Homing Guidance", Johns Hopkins APL Tech. Digest 29(1), 2010):
//   R = |p|,  u_los = p / R,  Vc = -(p . v) / R   (closing speed, > 0 when closing)
//   Omega = (p x v) / R^2                         (LOS angular rate vector, rad/s)
//   tgo = R / Vc                                  (time to go; +inf when not closing)
//
// Laws (accelerations in m/s^2, same frame):
//   TruePn:      a = N' Vc (Omega x u_los)
//                perpendicular to the LOS, magnitude N' Vc |Omega| (Zarchan ch. 2: nc = N' Vc
//                lambda_dot; the same vector form as threats/guidance_laws.h, cf. Palumbo et al.
//                2010 for the 3-D statement). Since (u x v) x u = v_perp, this equals
//                N' Vc v_perp / R: the relative velocity across the LOS is driven to zero.
//   PurePn:      a = N' (Omega x v_Int)
//                perpendicular to the interceptor's own velocity (what an aerodynamic airframe can
//                produce), magnitude N' V_Int |Omega| when Omega is perpendicular to v_Int.
//                Shneydor, Missile Guidance and Pursuit (1998), ch. 5; Shukla & Mahapatra, "The
//                proportional navigation dilemma - pure or true?", IEEE TAES 26(2), 1990. Its
//                effective navigation ratio in Zarchan's sense is N' V_Int / Vc.
//   AugmentedPn: a = TruePn + (N'/2) a_Tgt_perp,  a_Tgt_perp = a_Tgt - (a_Tgt . u_los) u_los
//                with a_Tgt the estimated target acceleration (from the track's manoeuvre state
//                or the seeker filter). Zarchan ch. 8 "Advanced Guidance Laws": nc = N' Vc
//                lambda_dot + N' nT / 2. Against a constant target acceleration and with no lag it
//                gives zero miss with a command that falls to zero (see linear_engagement.h).
//   Zero-effort-miss form (Zarchan ch. 8; Palumbo et al. 2010):
//                ZEM = p + v tgo + a_rel tgo^2 / 2      (miss if nobody manoeuvres from now on)
//                a   = N' ZEM_perp / tgo^2,  ZEM_perp = ZEM - (ZEM . u) u
//                With a_rel = 0, u = u_los and tgo = R / Vc this IS TruePn (ZEM_perp = v_perp tgo);
//                with a_rel = a_Tgt it is AugmentedPn. For midcourse toward a predicted intercept
//                point (PIP) refreshed by uplink, the "target" is the PIP (a point, v_Tgt = 0) and
//                tgo is the planned time to the PIP from the fire-control solution, so the law
//                steers the interceptor to arrive at the PIP on time (PipMidcourseAccel). Gravity
//                is not in any of these: the caller adds the gravity bias (the component of -g
//                across the velocity) when the interceptor's and target's gravity differ.
//
// Limits and lag (the airframe between the guidance computer and the trajectory):
//   AeroAccelLimit:  a_max = min(a_struct, q S CL_max / m): aerodynamic control can produce no
//                    more lift than at CL_max, so the limit falls with dynamic pressure q as the
//                    interceptor climbs (Fleeman, Tactical Missile Design, 2nd ed. 2006, ch. 2;
//                    cf. Zarchan's "Tactical Zones" chapter for its effect on the envelope).
//   DivertPropulsion: a kill vehicle's divert thrusters give a_max = T / m while divert
//                    propellant lasts; Delta-v is booked with the rocket equation
//                    Delta-v = Isp g0 ln(m0 / m1) (e.g. Sutton & Biblarz, Rocket Propulsion
//                    Elements, ch. 4). A throttled divert of constant acceleration a for dt burns
//                    m1 = m0 exp(-a dt / (Isp g0)), which keeps the bookkeeping exact.
//   Autopilot lag:   first-order, a_ach' = (a_c - a_ach) / T (Zarchan ch. 3 "Method of Adjoints and
//                    the Homing Loop": the single-time-constant guidance system). The step helper
//                    uses the exact discretisation for a command held over the step: a_ach += (a_c
//                    - a_ach)(1 - exp(-dt / T)).
//
// All functions are pure, allocate nothing and are cheap enough for every derivative call.
#pragma once

#include <Eigen/Core>

#include "core/frames.h"

namespace hyperdef::engagement {

using core::Vec3;

// ---- Relative kinematics -------------------------------------------------------------------

// LOS angular rate vector Omega = (p x v) / |p|^2 (rad/s). p must be non-zero.
Vec3 LosRate(const Vec3& p_IntTgt, const Vec3& v_IntTgt);

// Closing speed Vc = -(p . v) / |p| (m/s), positive when the range decreases.
double ClosingSpeed(const Vec3& p_IntTgt, const Vec3& v_IntTgt);

// Time to go tgo = R / Vc (s); +infinity when Vc <= 0 (opening or tangential).
double TimeToGo(const Vec3& p_IntTgt, const Vec3& v_IntTgt);

// Zero-effort miss ZEM = p + v tgo + a_rel tgo^2 / 2 (m): where the target would be relative to the
// interceptor at tgo if neither changed its acceleration (a_rel = a_Tgt - a_Int from now on, often
// just the estimated target acceleration).
Vec3 ZeroEffortMiss(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& a_IntTgt, double tgo_s);

// Part of `a` perpendicular to the unit vector along `direction` (non-zero).
Vec3 PerpendicularPart(const Vec3& a, const Vec3& direction);

// ---- Laws ----------------------------------------------------------------------------------

// True PN: a = N' Vc (Omega x u_los), perpendicular to the LOS (m/s^2). Vc is used with its sign
// (an opening geometry yields a command that turns away: the caller decides what to do there).
Vec3 TruePnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, double navigation_ratio);

// Pure PN: a = N' (Omega x v_Int), perpendicular to the interceptor velocity v_Int (m/s^2).
Vec3 PurePnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& v_Int,
                 double navigation_ratio);

// Augmented PN: TruePn + (N'/2) (a_Tgt perpendicular to the LOS). a_Tgt is the estimated target
// acceleration (m/s^2, same frame; gravity excluded if the interceptor's gravity is also left out
// of the relative motion).
Vec3 AugmentedPnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& a_Tgt,
                      double navigation_ratio);

// ZEM law: a = N' ZEM_perp / tgo^2, ZEM_perp = ZEM minus its component along `perp_to` (usually
// the LOS p_IntTgt). tgo_s must be > 0.
Vec3 ZemAccel(const Vec3& zem_m, const Vec3& perp_to, double tgo_s, double navigation_ratio);

// Midcourse to a predicted intercept point: the interceptor at (r_Int, v_Int) should reach the
// fixed point r_Pip in tgo_s seconds (the planned intercept time minus now). ZEM = r_Pip - r_Int -
// v_Int tgo; the command is N' ZEM_perp / tgo^2 with ZEM_perp across the LOS to the PIP. Same frame
// for all vectors. tgo_s must be > 0.
Vec3 PipMidcourseAccel(const Vec3& r_Int, const Vec3& v_Int, const Vec3& r_Pip, double tgo_s,
                       double navigation_ratio);

// ---- Acceleration limits -------------------------------------------------------------------

// Aerodynamically controlled airframe: a_max = min(a_struct, q S CL_max / m).
struct AeroAccelLimit {
  double structural_limit_mps2 = 0.0;  // load-factor limit times g0 (> 0)
  double reference_area_m2 = 0.0;      // S (> 0)
  double cl_max = 0.0;                 // maximum trimmed lift coefficient (> 0)
  // Throws core::InputError naming the first bad field (key "aero_limit.<field>").
  void Validate() const;
};

// Maximum lateral acceleration (m/s^2) at dynamic pressure q (Pa, >= 0) and mass m (kg, > 0).
double MaxLateralAccel(const AeroAccelLimit& limit, double dynamic_pressure_Pa, double mass_kg);

// Kill-vehicle divert propulsion: thrust T (N) from propellant of specific impulse Isp (s).
struct DivertPropulsion {
  double thrust_N = 0.0;  // maximum divert thrust (> 0)
  double isp_s = 0.0;     // (> 0)
  // Throws core::InputError naming the first bad field (key "divert.<field>").
  void Validate() const;
};

// What changes during the flight: the simulation owns it.
struct DivertState {
  double mass_kg = 0.0;           // current kill-vehicle mass (> 0)
  double propellant_kg = 0.0;     // divert propellant left (>= 0, part of mass_kg)
  double delta_v_used_mps = 0.0;  // accumulated divert Delta-v
};

// a_max = T / m while propellant remains, else 0 (m/s^2).
double MaxDivertAccel(const DivertPropulsion& divert, const DivertState& state);

// Delta-v still available: Isp g0 ln(m / (m - propellant)) (m/s).
double RemainingDeltaV(const DivertPropulsion& divert, const DivertState& state);

// Burns the divert for dt_s at constant acceleration magnitude accel_mps2 (clamped to [0, T/m0] at
// the start of the step: the throttle setting cannot exceed full thrust). If the propellant runs
// out during the step the burn stops there. Returns the new state; *achieved_dt_s (optional)
// receives how long the burn lasted (dt_s, or less at burnout), so the caller can apply
// accel * achieved_dt as the velocity change.
DivertState BurnDivert(const DivertPropulsion& divert, const DivertState& state, double accel_mps2,
                       double dt_s, double* achieved_dt_s = nullptr);

// Scales `a` down to magnitude max_mps2 if it is larger (direction kept).
Vec3 LimitMagnitude(const Vec3& a, double max_mps2);

// ---- Autopilot lag -------------------------------------------------------------------------

// First-order lag derivative (a_c - a_ach) / T for use inside an integrated state; T > 0.
Vec3 AutopilotLagRate(const Vec3& a_achieved, const Vec3& a_command, double time_constant_s);

// Exact update over dt for a command held constant over the step. T = 0 means no lag (returns
// a_command).
Vec3 AutopilotLagStep(const Vec3& a_achieved, const Vec3& a_command, double time_constant_s,
                      double dt_s);

}  // namespace hyperdef::engagement
