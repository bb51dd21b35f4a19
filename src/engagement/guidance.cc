#include "engagement/guidance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::engagement {

namespace {

void Require(bool ok, const std::string& prefix, const std::string& key, const std::string& what,
             double got) {
  if (!ok) {
    throw core::InputError({}, prefix + "." + key, what + " (got " + std::to_string(got) + ")");
  }
}

}  // namespace

Vec3 LosRate(const Vec3& p_IntTgt, const Vec3& v_IntTgt) {
  const double r2 = p_IntTgt.squaredNorm();
  HYPERDEF_ASSERT(r2 > 0.0);
  return p_IntTgt.cross(v_IntTgt) / r2;
}

double ClosingSpeed(const Vec3& p_IntTgt, const Vec3& v_IntTgt) {
  const double r = p_IntTgt.norm();
  HYPERDEF_ASSERT(r > 0.0);
  return -p_IntTgt.dot(v_IntTgt) / r;
}

double TimeToGo(const Vec3& p_IntTgt, const Vec3& v_IntTgt) {
  const double vc = ClosingSpeed(p_IntTgt, v_IntTgt);
  if (!(vc > 0.0)) return std::numeric_limits<double>::infinity();
  return p_IntTgt.norm() / vc;
}

Vec3 ZeroEffortMiss(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& a_IntTgt,
                    double tgo_s) {
  return p_IntTgt + tgo_s * v_IntTgt + (0.5 * tgo_s * tgo_s) * a_IntTgt;
}

Vec3 PerpendicularPart(const Vec3& a, const Vec3& direction) {
  const double n2 = direction.squaredNorm();
  HYPERDEF_ASSERT(n2 > 0.0);
  return a - (a.dot(direction) / n2) * direction;
}

Vec3 TruePnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, double navigation_ratio) {
  // N' Vc (Omega x u) with Omega = (p x v)/R^2, u = p/R, Vc = -(p.v)/R. Using
  // (p x v) x p = R^2 v_perp: N' Vc v_perp / R, i.e. -N' (p.v) v_perp / R^2 (one norm less).
  const double r2 = p_IntTgt.squaredNorm();
  HYPERDEF_ASSERT(r2 > 0.0);
  const double pv = p_IntTgt.dot(v_IntTgt);
  const Vec3 v_perp = v_IntTgt - (pv / r2) * p_IntTgt;
  return (-navigation_ratio * pv / r2) * v_perp;
}

Vec3 PurePnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& v_Int,
                 double navigation_ratio) {
  return navigation_ratio * LosRate(p_IntTgt, v_IntTgt).cross(v_Int);
}

Vec3 AugmentedPnAccel(const Vec3& p_IntTgt, const Vec3& v_IntTgt, const Vec3& a_Tgt,
                      double navigation_ratio) {
  return TruePnAccel(p_IntTgt, v_IntTgt, navigation_ratio) +
         (0.5 * navigation_ratio) * PerpendicularPart(a_Tgt, p_IntTgt);
}

Vec3 ZemAccel(const Vec3& zem_m, const Vec3& perp_to, double tgo_s, double navigation_ratio) {
  HYPERDEF_ASSERT(tgo_s > 0.0);
  return (navigation_ratio / (tgo_s * tgo_s)) * PerpendicularPart(zem_m, perp_to);
}

Vec3 PipMidcourseAccel(const Vec3& r_Int, const Vec3& v_Int, const Vec3& r_Pip, double tgo_s,
                       double navigation_ratio) {
  const Vec3 p_IntPip = r_Pip - r_Int;
  const Vec3 zem = ZeroEffortMiss(p_IntPip, -v_Int, Vec3::Zero(), tgo_s);
  return ZemAccel(zem, p_IntPip, tgo_s, navigation_ratio);
}

void AeroAccelLimit::Validate() const {
  Require(structural_limit_mps2 > 0.0, "aero_limit", "structural_limit", "must be > 0",
          structural_limit_mps2);
  Require(reference_area_m2 > 0.0, "aero_limit", "reference_area", "must be > 0",
          reference_area_m2);
  Require(cl_max > 0.0, "aero_limit", "cl_max", "must be > 0", cl_max);
}

double MaxLateralAccel(const AeroAccelLimit& limit, double dynamic_pressure_Pa, double mass_kg) {
  HYPERDEF_ASSERT(mass_kg > 0.0 && dynamic_pressure_Pa >= 0.0);
  const double aero = dynamic_pressure_Pa * limit.reference_area_m2 * limit.cl_max / mass_kg;
  return std::min(limit.structural_limit_mps2, aero);
}

void DivertPropulsion::Validate() const {
  Require(thrust_N > 0.0, "divert", "thrust", "must be > 0", thrust_N);
  Require(isp_s > 0.0, "divert", "isp", "must be > 0", isp_s);
}

double MaxDivertAccel(const DivertPropulsion& divert, const DivertState& state) {
  HYPERDEF_ASSERT(state.mass_kg > 0.0);
  return state.propellant_kg > 0.0 ? divert.thrust_N / state.mass_kg : 0.0;
}

double RemainingDeltaV(const DivertPropulsion& divert, const DivertState& state) {
  HYPERDEF_ASSERT(state.mass_kg > state.propellant_kg && state.propellant_kg >= 0.0);
  const double ve = divert.isp_s * core::kG0_mps2;
  return ve * std::log(state.mass_kg / (state.mass_kg - state.propellant_kg));
}

DivertState BurnDivert(const DivertPropulsion& divert, const DivertState& state, double accel_mps2,
                       double dt_s, double* achieved_dt_s) {
  HYPERDEF_ASSERT(dt_s >= 0.0);
  const double a = std::clamp(accel_mps2, 0.0, MaxDivertAccel(divert, state));
  DivertState next = state;
  double burn_s = 0.0;
  if (a > 0.0 && dt_s > 0.0) {
    // Constant acceleration a: m' = -m a / ve, so m(t) = m0 exp(-a t / ve) and Delta-v = a t.
    // Burnout when m = m0 - propellant, i.e. after t_b = ve ln(m0 / m_dry) / a = dv_left / a.
    const double ve = divert.isp_s * core::kG0_mps2;
    const double dv_left = RemainingDeltaV(divert, state);
    burn_s = std::min(dt_s, dv_left / a);
    if (burn_s >= dv_left / a) {
      next.mass_kg = state.mass_kg - state.propellant_kg;
      next.propellant_kg = 0.0;
    } else {
      next.mass_kg = state.mass_kg * std::exp(-a * burn_s / ve);
      next.propellant_kg = std::max(0.0, state.propellant_kg - (state.mass_kg - next.mass_kg));
    }
    next.delta_v_used_mps = state.delta_v_used_mps + a * burn_s;
  }
  if (achieved_dt_s != nullptr) *achieved_dt_s = burn_s;
  return next;
}

Vec3 LimitMagnitude(const Vec3& a, double max_mps2) {
  HYPERDEF_ASSERT(max_mps2 >= 0.0);
  const double n = a.norm();
  return n > max_mps2 ? Vec3(a * (max_mps2 / n)) : a;
}

Vec3 AutopilotLagRate(const Vec3& a_achieved, const Vec3& a_command, double time_constant_s) {
  HYPERDEF_ASSERT(time_constant_s > 0.0);
  return (a_command - a_achieved) / time_constant_s;
}

Vec3 AutopilotLagStep(const Vec3& a_achieved, const Vec3& a_command, double time_constant_s,
                      double dt_s) {
  HYPERDEF_ASSERT(time_constant_s >= 0.0 && dt_s >= 0.0);
  if (time_constant_s == 0.0) return a_command;
  // 1 - exp(-x) via expm1 keeps full precision for dt << T.
  const double f = -std::expm1(-dt_s / time_constant_s);
  return a_achieved + f * (a_command - a_achieved);
}

}  // namespace hyperdef::engagement
