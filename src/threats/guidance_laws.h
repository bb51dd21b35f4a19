// Guidance laws shared by the threat vehicles (terminal dive of gliders and cruise missiles).
#pragma once

#include "flight/dynamics.h"

namespace hyperdef::threats {

// Lift acceleration (m/s^2, ECEF, perpendicular to v) that makes the vehicle fly 3-D true
// proportional navigation onto a point fixed on the Earth: a = N Vc (Omega x u_los), with
// Omega = (rho x rho_dot)/|rho|^2 the line-of-sight rate (Zarchan, Tactical and Strategic Missile
// Guidance, ch. 2), plus compensation of the gravity and rotating-frame accelerations normal to v.
flight::Vec3 ProportionalNavigationLiftAccel(const flight::Environment& env,
                                             const flight::Vec3& r_Ecef, const flight::Vec3& v_Ecef,
                                             const flight::Vec3& target_Ecef,
                                             double navigation_constant);

// Heading error (rad, wrapped to [-pi, pi]) from the velocity's heading to the great-circle
// bearing of `target`: > 0 means the target is to the right (bank right to turn to it).
double HeadingError(const flight::Vec3& r_Ecef, const flight::Vec3& v_Ecef,
                    const flight::Vec3& target_Ecef);

// Lift vector (N) whose vertical-plane component is `vertical_lift_N` and which is banked by
// `bank_rad`: the lateral part is vertical_lift tan(bank), so banking keeps the vertical support.
flight::Vec3 BankedLift(const flight::Vec3& r_Ecef, const flight::Vec3& v_Ecef,
                        double vertical_lift_N, double bank_rad);

// Part of `a` perpendicular to `v`.
flight::Vec3 PerpendicularTo(const flight::Vec3& a, const flight::Vec3& v);

}  // namespace hyperdef::threats
