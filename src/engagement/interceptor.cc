#include "engagement/interceptor.h"

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "core/error.h"
#include "earth/atmosphere.h"
#include "earth/gravity.h"
#include "flight/propulsion.h"

namespace hyperdef::engagement {

using core::Vec3;

namespace {

const Vec3 kOmega(0.0, 0.0, core::kEarthOmega_radps);

// LOS angular acceleration plant noise of the seeker's alpha-beta filter (rad/s^2): see header.
constexpr double kLosPlantNoise = 0.05;
// Fraction of the stack's remaining ideal Delta-v expected as speed gain (gravity and drag losses
// take the rest): only shapes the midcourse's predicted speed.
constexpr double kBoostEfficiency = 0.6;
// Floor on the burn time left in the boost steering's gain (s): bounds the gain at burnout.
constexpr double kMinBurnGain_s = 1.0;
// Break times closer than this are treated as reached.
constexpr double kTimeEps = 1e-9;

// Cheap geodetic-height approximation (see header): h = |r| - a (1 - f sin^2 phi_gc).
double CheapAltitude(const Vec3& r) {
  const double rn = r.norm();
  const double s = r.z() / rn;
  return rn - core::kWgs84A_m * (1.0 - core::kWgs84F * s * s);
}

double Thrust(const flight::Stage& s) { return s.isp_s * core::kG0_mps2 * s.MassFlow_kgps(); }

Vec3 UnitOr(const Vec3& v, const Vec3& fallback) {
  const double n = v.norm();
  return n > 1e-6 ? Vec3(v / n) : fallback;
}

// Cubic Hermite relative position at s in [0, 1] over a step of length h, and its time derivative.
void Hermite(const Vec3& p0, const Vec3& v0, const Vec3& p1, const Vec3& v1, double h, double s,
             Vec3* p, Vec3* pd) {
  const double s2 = s * s, s3 = s2 * s;
  const double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2,
               h11 = s3 - s2;
  const double d00 = 6 * s2 - 6 * s, d10 = 3 * s2 - 4 * s + 1, d01 = -6 * s2 + 6 * s,
               d11 = 3 * s2 - 2 * s;
  *p = h00 * p0 + (h10 * h) * v0 + h01 * p1 + (h11 * h) * v1;
  *pd = (d00 / h) * p0 + d10 * v0 + (d01 / h) * p1 + d11 * v1;
}

}  // namespace

double ClosestApproachInStep(const Vec3& p0, const Vec3& v0, const Vec3& p1, const Vec3& v1,
                             double h, double* frac) {
  HYPERDEF_ASSERT(h > 0.0);
  double f0 = p0.dot(v0), f1 = p1.dot(v1);
  double best_s = p0.norm() <= p1.norm() ? 0.0 : 1.0;
  double best = std::min(p0.norm(), p1.norm());
  if (f0 < 0.0 && f1 >= 0.0) {
    // Illinois on f(s) = p(s) . p'(s), f(0) < 0 <= f(1).
    double a = 0.0, b = 1.0;
    int side = 0;
    Vec3 ps, pd;
    for (int it = 0; it < 200 && b - a > 1e-12; ++it) {
      const double s = (a * f1 - b * f0) / (f1 - f0);
      Hermite(p0, v0, p1, v1, h, s, &ps, &pd);
      const double fs = ps.dot(pd);
      if (fs < 0.0) {
        a = s;
        f0 = fs;
        if (side == -1) f1 *= 0.5;
        side = -1;
      } else {
        b = s;
        f1 = fs;
        if (side == 1) f0 *= 0.5;
        side = 1;
      }
    }
    const double s = 0.5 * (a + b);
    Hermite(p0, v0, p1, v1, h, s, &ps, &pd);
    if (ps.norm() < best) {
      best = ps.norm();
      best_s = s;
    }
  }
  if (frac != nullptr) *frac = best_s;
  return best;
}

const char* InterceptorPhaseName(InterceptorPhase phase) {
  switch (phase) {
    case InterceptorPhase::kBoost:
      return "boost";
    case InterceptorPhase::kMidcourse:
      return "midcourse";
    case InterceptorPhase::kTerminal:
      return "terminal";
    case InterceptorPhase::kEnded:
      return "ended";
  }
  return "?";
}

Vec3 GravityAndFrameAccel_Ecef(const Vec3& r, const Vec3& v) {
  return earth::GravityAcceleration(r, earth::GravityModel::kJ2) - 2.0 * kOmega.cross(v) -
         kOmega.cross(kOmega.cross(r));
}

Vec3 PredictInterceptPoint(const Vec3& r_Int, double avg_speed_mps, const Vec3& r_Tgt,
                           const Vec3& v_Tgt, const Vec3& a_Tgt, double t_now_s,
                           double* pip_time_s) {
  HYPERDEF_ASSERT(avg_speed_mps > 0.0);
  double tau = (r_Tgt - r_Int).norm() / avg_speed_mps;
  Vec3 pip = r_Tgt;
  for (int i = 0; i < 20; ++i) {
    pip = r_Tgt + v_Tgt * tau + 0.5 * tau * tau * a_Tgt;
    const double next = (pip - r_Int).norm() / avg_speed_mps;
    const bool converged = std::abs(next - tau) < 1e-6;
    tau = next;
    if (converged) break;
  }
  pip = r_Tgt + v_Tgt * tau + 0.5 * tau * tau * a_Tgt;
  if (pip_time_s != nullptr) *pip_time_s = t_now_s + tau;
  return pip;
}

Interceptor::Interceptor(const InterceptorSpec& spec, const earth::Geodetic& site,
                         double launch_time_s, const Vec3& pip_Ecef, double pip_time_s,
                         std::uint64_t seed_entity, std::uint64_t seed, std::uint64_t replication)
    : spec_(spec),
      launch_time_s_(launch_time_s),
      t_(launch_time_s),
      r_(earth::EcefFromGeodetic(site)),
      v_(Vec3::Zero()),
      m_(flight::LiftoffMass_kg(spec.stages, spec.kill_vehicle_mass_kg)),
      pip_(pip_Ecef),
      pip_time_s_(pip_time_s),
      seeker_rng_(seed, replication, seed_entity, core::HashName("seeker")),
      handover_time_s_(std::numeric_limits<double>::quiet_NaN()),
      miss_m_(std::numeric_limits<double>::infinity()),
      intercept_time_s_(std::numeric_limits<double>::quiet_NaN()) {
  HYPERDEF_ASSERT(!spec.stages.empty());
  up0_ = earth::R_EnuFromEcef(site.lat_rad, site.lon_rad).transpose() * Vec3::UnitZ();
  const flight::StageSchedule sched = flight::MakeSchedule(spec.stages);
  for (std::size_t k = 0; k < spec.stages.size(); ++k) {
    ignition_s_.push_back(launch_time_s + sched.ignition_s[k]);
    burnout_s_.push_back(launch_time_s + sched.burnout_s[k]);
  }
  burning_ = ignition_s_[0] <= t_ + kTimeEps;
  rise_end_s_ = launch_time_s + spec.vertical_rise_s;
  v_floor_mps_ =
      std::max(100.0, 0.5 * flight::IdealDeltaV_mps(spec.stages, spec.kill_vehicle_mass_kg));
  seeker_step_s_ = std::clamp(1.0 / spec.seeker.rate_hz, 1e-3, 10e-3);
  // Alpha-beta gains (Kalata 1984): tracking index lambda = sigma_w h^2 / sigma_v,
  // r = (4 + lambda - sqrt(8 lambda + lambda^2)) / 4, alpha = 1 - r^2,
  // beta = 2 (2 - alpha) - 4 sqrt(1 - alpha). Zero noise: exact differencing.
  if (spec.seeker.angle_sigma_rad > 0.0) {
    const double lam =
        kLosPlantNoise * seeker_step_s_ * seeker_step_s_ / spec.seeker.angle_sigma_rad;
    const double rr = (4.0 + lam - std::sqrt(8.0 * lam + lam * lam)) / 4.0;
    alpha_ = 1.0 - rr * rr;
    beta_ = 2.0 * (2.0 - alpha_) - 4.0 * std::sqrt(1.0 - alpha_);
  }
  divert_.mass_kg = spec.kill_vehicle_mass_kg;
  divert_.propellant_kg = spec.divert_propellant_kg;
}

void Interceptor::Uplink(const Vec3& pip_Ecef, double pip_time_s, const Vec3& r_TgtEst_Ecef,
                         const Vec3& v_TgtEst_Ecef, double estimate_time_s,
                         const Vec3* a_TgtEst_Ecef) {
  if (Done()) return;
  const double te = std::isnan(estimate_time_s) ? t_ : estimate_time_s;
  pip_ = pip_Ecef;
  pip_time_s_ = pip_time_s;
  if (a_TgtEst_Ecef != nullptr) {
    a_tgt_aero_est_ = *a_TgtEst_Ecef - GravityAndFrameAccel_Ecef(r_TgtEst_Ecef, v_TgtEst_Ecef);
  } else if (has_track_ && std::abs(te - tgt_est_time_s_) > 0.05) {
    // Finite difference of the track velocity, minus what gravity and the frame explain.
    const Vec3 a_total = (v_TgtEst_Ecef - v_tgt_est_) / (te - tgt_est_time_s_);
    const Vec3 r_mid = 0.5 * (r_TgtEst_Ecef + r_tgt_est_),
               v_mid = 0.5 * (v_TgtEst_Ecef + v_tgt_est_);
    a_tgt_aero_est_ = a_total - GravityAndFrameAccel_Ecef(r_mid, v_mid);
  }
  has_track_ = true;
  r_tgt_est_ = r_TgtEst_Ecef;
  v_tgt_est_ = v_TgtEst_Ecef;
  tgt_est_time_s_ = te;
}

void Interceptor::TargetEstimate(double t, Vec3* r, Vec3* v, Vec3* a) const {
  const double dt = t - tgt_est_time_s_;
  *a = GravityAndFrameAccel_Ecef(r_tgt_est_, v_tgt_est_) + a_tgt_aero_est_;
  *r = r_tgt_est_ + v_tgt_est_ * dt + (0.5 * dt * dt) * *a;
  *v = v_tgt_est_ + *a * dt;
}

double InterceptorSpec::KillProbability(double miss_m) const {
  if (pk_curve_miss_m.empty()) return miss_m <= lethal_radius_m ? 1.0 : 0.0;
  const std::vector<double>& x = pk_curve_miss_m;
  const std::vector<double>& y = pk_curve_pk;
  if (miss_m <= x.front()) return y.front();
  if (miss_m >= x.back()) return y.back();
  const size_t k = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), miss_m) - x.begin());
  const double f = (miss_m - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + f * (y[k] - y[k - 1]);
}

double Interceptor::DragArea() const {
  return kv_separated_ && spec_.kill_vehicle_reference_area_m2 > 0.0
             ? spec_.kill_vehicle_reference_area_m2
             : spec_.reference_area_m2;
}

double Interceptor::AeroLimit(const Vec3& r, const Vec3& v, double m) const {
  if (spec_.aero_limit.structural_limit_mps2 <= 0.0 || spec_.aero_limit.cl_max <= 0.0) return 0.0;
  const double q = 0.5 * earth::Us76Density(CheapAltitude(r)) * v.squaredNorm();
  return MaxLateralAccel(spec_.aero_limit, q, m);
}

double Interceptor::LateralAccelLimit() const {
  if (t_ < rise_end_s_) return 0.0;
  if (kv_separated_) return MaxDivertAccel(spec_.divert, divert_);
  double lim = AeroLimit(r_, v_, m_);
  if (burning_) {
    const double tm = Thrust(spec_.stages[static_cast<std::size_t>(stage_)]) / m_;
    lim = std::max(lim, tm * std::sin(spec_.thrust_vector_max_rad));
  }
  return lim;
}

double Interceptor::RemainingStackDeltaV() const {
  if (stack_done_) return 0.0;
  const std::size_t n = spec_.stages.size();
  const std::size_t k0 = static_cast<std::size_t>(stage_);
  double m = m_, dv = 0.0;
  for (std::size_t k = k0; k < n; ++k) {
    const flight::Stage& st = spec_.stages[k];
    // Propellant left in stage k: all of it unless it is the one burning now.
    double above = spec_.kill_vehicle_mass_kg;
    for (std::size_t j = k + 1; j < n; ++j) above += spec_.stages[j].wet_mass_kg;
    const double m_end = above + st.DryMass_kg();
    if (k > k0) m = above + st.wet_mass_kg;
    if (m > m_end) dv += st.isp_s * core::kG0_mps2 * std::log(m / m_end);
  }
  return dv;
}

Vec3 Interceptor::Boresight() const {
  if (has_track_) {
    Vec3 r, v, a;
    TargetEstimate(t_, &r, &v, &a);
    if ((r - r_).norm() > 1.0) return (r - r_).normalized();
  }
  return UnitOr(v_, up0_);
}

double Interceptor::EstimatedRange_m() const {
  if (!has_track_) return (pip_ - r_).norm();
  Vec3 r, v, a;
  TargetEstimate(t_, &r, &v, &a);
  return (r - r_).norm();
}

double Interceptor::PollRange_m() const {
  return std::max(1.5 * spec_.seeker.acquisition_range_m, 5e3);
}

double Interceptor::TimeToGo_s(const Vec3& point_Ecef) const {
  const Vec3 p = point_Ecef - r_;
  const double range = p.norm();
  if (!(range > 0.0)) return 0.0;
  const Vec3 u = p / range;
  const double speed = v_.norm();
  // Remaining burn: flown at the mean of the current and the predicted burnout speed.
  double t_burn = 0.0, d_burn = 0.0, c = std::max(v_.dot(u), 0.0);
  if (!stack_done_) {
    t_burn = std::max(burnout_s_.back() - t_, 0.0);
    const double v_bo = speed + kBoostEfficiency * RemainingStackDeltaV();
    d_burn = 0.5 * (speed + v_bo) * t_burn;
    if (d_burn >= range && t_burn > 0.0) {
      // The point comes before burnout: R = |v| tau + (v_bo - |v|) tau^2 / (2 T_b).
      const double acc = (v_bo - speed) / t_burn;
      return acc > 0.0 ? (std::sqrt(speed * speed + 2.0 * acc * range) - speed) / acc
                       : range / std::max(speed, 1.0);
    }
    c = v_bo;
  }
  const double rc = range - d_burn;
  c = std::max({c, 0.5 * speed, 100.0});  // not yet turned toward the point: its speed counts
  const Vec3 v_dir = speed > 1e-3 ? Vec3(v_ / speed) : up0_;
  const Vec3 g_mean = (GravityAndFrameAccel_Ecef(r_, v_) +
                       4.0 * GravityAndFrameAccel_Ecef(0.5 * (r_ + point_Ecef), c * v_dir) +
                       GravityAndFrameAccel_Ecef(point_Ecef, c * v_dir)) /
                      6.0;
  const double a_u = g_mean.dot(u);
  const double disc = c * c + 2.0 * a_u * rc;
  const double tau = disc > 0.0 ? 2.0 * rc / (c + std::sqrt(disc)) : rc / c;
  return t_burn + tau;
}

double Interceptor::NextBreak() const {
  double b = std::numeric_limits<double>::infinity();
  if (t_ < rise_end_s_ - kTimeEps) b = rise_end_s_;
  const std::size_t k = static_cast<std::size_t>(stage_);
  if (!stack_done_) b = std::min(b, burning_ ? burnout_s_[k] : ignition_s_[k]);
  return b;
}

Vec3 Interceptor::Command(double* limit) const {
  *limit = LateralAccelLimit();
  if (*limit <= 0.0) return Vec3::Zero();
  Vec3 a_c = Vec3::Zero();
  if (phase_ == InterceptorPhase::kTerminal) {
    // PN on the seeker's LOS estimate; range and closing speed from the track (see header).
    Vec3 r_T, v_T, a_T;
    TargetEstimate(t_, &r_T, &v_T, &a_T);
    const Vec3 p_est = r_T - r_, v_est = v_T - v_;
    const double range = std::max(p_est.norm(), 1.0);
    const double vc = -p_est.dot(v_est) / range;
    const Vec3 u = UnitOr(u_est_, p_est / range);
    const Vec3 omega = u.cross(udot_est_);
    const Vec3 p_syn = range * u;
    const Vec3 v_syn = -vc * u + range * omega.cross(u);
    if (spec_.augmented_pn) {
      // The interceptor's own non-commanded acceleration (IMU): gravity, frame, thrust, drag.
      Vec3 a_I = GravityAndFrameAccel_Ecef(r_, v_);
      const double speed = v_.norm();
      if (speed > 1.0) {
        const double rho = earth::Us76Density(CheapAltitude(r_));
        double axial = -0.5 * rho * speed * speed * DragArea() * spec_.drag_coefficient / m_;
        if (burning_) axial += Thrust(spec_.stages[static_cast<std::size_t>(stage_)]) / m_;
        a_I += (axial / speed) * v_;
      }
      a_c = AugmentedPnAccel(p_syn, v_syn, a_T - a_I, spec_.navigation_ratio);
    } else {
      a_c = TruePnAccel(p_syn, v_syn, spec_.navigation_ratio);
    }
  } else {
    // Zero-effort miss to the PIP with the gravity bias.
    const Vec3 p = pip_ - r_;
    const double range = p.norm();
    if (range < 1.0) return Vec3::Zero();
    // The velocity counts with its predicted burnout speed (see header): the slow early boost
    // would otherwise show almost no heading error, and the gravity bias would over-loft.
    const double speed = v_.norm();
    const double v_pred = std::max(speed + kBoostEfficiency * RemainingStackDeltaV(), 100.0);
    const Vec3 v_eff = speed > 1e-3 ? Vec3(v_ * (v_pred / speed)) : Vec3(up0_ * v_pred);
    const double closing = v_eff.dot(p) / range;
    const double tgo = range / std::max(closing, v_floor_mps_);
    // Gravity over the coast: Simpson mean of the field at here, the chord's midpoint and the PIP
    // (the field turns by the range over the Earth's radius: a constant g over-lofts long shots).
    const Vec3 g_mean = (GravityAndFrameAccel_Ecef(r_, v_) +
                         4.0 * GravityAndFrameAccel_Ecef(0.5 * (r_ + pip_), v_eff) +
                         GravityAndFrameAccel_Ecef(pip_, v_eff)) /
                        6.0;
    const Vec3 zem = ZeroEffortMiss(p, -v_eff, -g_mean, tgo);
    // Boost steering (see header): once above the turn-over altitude, the heading error is nulled
    // by the last burnout, N' ZEM_perp / (tgo T_b) with T_b the burn left, instead of being spread
    // over the whole flight (N' ZEM_perp / tgo^2) as if the lateral acceleration of the burn were
    // still there in the coast. Below it the boost keeps climbing out of the dense air.
    double tgo_gain = tgo;
    if (!stack_done_ && CheapAltitude(r_) > spec_.boost_turn_altitude_m) {
      const double t_burn = std::max(burnout_s_.back() - t_, kMinBurnGain_s);
      tgo_gain = std::sqrt(tgo * std::min(t_burn, tgo));
    }
    a_c = ZemAccel(zem, p, tgo_gain, spec_.navigation_ratio);
  }
  if (!kv_separated_ && v_.norm() > 1.0) a_c = PerpendicularPart(a_c, v_);
  return LimitMagnitude(a_c, *limit);
}

void Interceptor::Step(double h) {
  double limit = 0.0;
  const Vec3 a_c = Command(&limit);
  // Mean of the exact first-order lag response over the step (see header).
  const double tau = spec_.autopilot_time_constant_s;
  Vec3 a_app = a_c;
  if (tau > 0.0) a_app = a_c + (a_ach_ - a_c) * (tau / h) * (-std::expm1(-h / tau));
  if (!kv_separated_ && v_.norm() > 1.0) a_app = PerpendicularPart(a_app, v_);
  a_app = LimitMagnitude(a_app, limit);
  if (kv_separated_) {
    double burn_s = 0.0;
    const double mag = a_app.norm();
    divert_ = BurnDivert(spec_.divert, divert_, mag, h, &burn_s);
    if (mag > 0.0) a_app *= burn_s / h;
  }
  a_ach_ = LimitMagnitude(AutopilotLagStep(a_ach_, a_c, tau, h), limit);
  a_app_ = a_app;
  if (limit > 0.0)
    max_lat_ratio_ = std::max(max_lat_ratio_, a_app.norm() / limit);
  else if (a_app.norm() > 0.0)
    max_lat_ratio_ = std::numeric_limits<double>::infinity();

  // Thrust of this step (constant mass flow: the step never crosses a stage event).
  const bool rising = t_ < rise_end_s_ - kTimeEps;
  double thrust = 0.0, mdot = 0.0;
  if (burning_) {
    const flight::Stage& st = spec_.stages[static_cast<std::size_t>(stage_)];
    thrust = Thrust(st);
    mdot = st.MassFlow_kgps();
  }
  const double aero_lim = burning_ && !rising ? AeroLimit(r_, v_, m_) : 0.0;
  const double a_tvc = burning_ ? std::max(0.0, a_app.norm() - aero_lim) : 0.0;
  const double k_drag = 0.5 * DragArea() * spec_.drag_coefficient;
  const Vec3 up = up0_;
  const auto deriv = [&](const Vec3& r, const Vec3& v, double m, Vec3* dr, Vec3* dv) {
    *dr = v;
    Vec3 acc = GravityAndFrameAccel_Ecef(r, v) + a_app;
    const double speed = v.norm();
    if (speed > 1e-3) {
      const double rho = earth::Us76Density(CheapAltitude(r));
      acc -= (k_drag * rho * speed / m) * v;
    }
    if (thrust > 0.0) {
      const double tm = thrust / m;
      if (rising || speed < 1e-3) {
        acc += tm * up;
      } else {
        acc += (std::sqrt(std::max(0.0, tm * tm - a_tvc * a_tvc)) / speed) * v;
      }
    }
    *dv = acc;
  };
  Vec3 k1r, k1v, k2r, k2v, k3r, k3v, k4r, k4v;
  const double m0 = m_;
  deriv(r_, v_, m0, &k1r, &k1v);
  deriv(r_ + 0.5 * h * k1r, v_ + 0.5 * h * k1v, m0 - 0.5 * h * mdot, &k2r, &k2v);
  deriv(r_ + 0.5 * h * k2r, v_ + 0.5 * h * k2v, m0 - 0.5 * h * mdot, &k3r, &k3v);
  deriv(r_ + h * k3r, v_ + h * k3v, m0 - h * mdot, &k4r, &k4v);
  r_ += (h / 6.0) * (k1r + 2.0 * k2r + 2.0 * k3r + k4r);
  v_ += (h / 6.0) * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
  m_ = kv_separated_ ? divert_.mass_kg : m0 - h * mdot;
  t_ += h;
  ++steps_;
}

void Interceptor::OnBreak() {
  const std::size_t n = spec_.stages.size();
  while (!stack_done_) {
    const std::size_t k = static_cast<std::size_t>(stage_);
    if (burning_ && t_ >= burnout_s_[k] - kTimeEps) {
      burning_ = false;
      // Exact mass after the burnout: what sits above stage k (+ the last stage's dry mass when
      // the KV does not separate).
      double above = spec_.kill_vehicle_mass_kg;
      for (std::size_t j = k + 1; j < n; ++j) above += spec_.stages[j].wet_mass_kg;
      if (k + 1 == n) {
        stack_done_ = true;
        if (spec_.kill_vehicle_separates) {
          kv_separated_ = true;
          a_ach_.setZero();  // the KV's divert starts from rest
          m_ = divert_.mass_kg;
        } else {
          m_ = above + spec_.stages[k].DryMass_kg();
        }
        if (phase_ == InterceptorPhase::kBoost) phase_ = InterceptorPhase::kMidcourse;
      } else {
        m_ = above;
        ++stage_;
      }
    } else if (!burning_ && t_ >= ignition_s_[k] - kTimeEps) {
      burning_ = true;
    } else {
      break;
    }
  }
}

void Interceptor::End(InterceptorEnd reason) {
  end_ = reason;
  phase_ = InterceptorPhase::kEnded;
}

void Interceptor::Sample(const TruthFunction& truth) {
  Vec3 r_T, v_T;
  if (!truth || !truth(t_, &r_T, &v_T)) {
    have_prev_rel_ = false;
    return;
  }
  const Vec3 p = r_T - r_, vr = v_T - v_;
  const double range = p.norm();
  // Closest approach between the previous sample and this one (cubic Hermite, see header).
  if (have_prev_rel_) {
    const double h = t_ - t_prev_rel_;
    const double f0 = p_prev_.dot(vrel_prev_), f1 = p.dot(vr);
    if (f0 < 0.0) closing_seen_ = true;
    miss_m_ = std::min(miss_m_, range);
    if (miss_m_ == range) intercept_time_s_ = t_;
    if (f0 < 0.0 && f1 >= 0.0 && h > 0.0) {
      double frac = 0.0;
      const double d = ClosestApproachInStep(p_prev_, vrel_prev_, p, vr, h, &frac);
      if (d <= miss_m_) {
        miss_m_ = d;
        intercept_time_s_ = t_prev_rel_ + frac * h;
      }
      End(InterceptorEnd::kClosestApproach);
    } else if (f1 >= 0.0 && (closing_seen_ || phase_ == InterceptorPhase::kTerminal)) {
      End(InterceptorEnd::kClosestApproach);  // opening since the last sample
    }
  } else {
    if (range < miss_m_) {
      miss_m_ = range;
      intercept_time_s_ = t_;
    }
  }
  have_prev_rel_ = true;
  p_prev_ = p;
  vrel_prev_ = vr;
  t_prev_rel_ = t_;
  if (Done()) return;

  // Seeker.
  const double sigma = spec_.seeker.angle_sigma_rad;
  const Vec3 u = p / range;
  Vec3 u_m = u;
  if (sigma > 0.0) {
    const Vec3 e1 = UnitOr(u.cross(std::abs(u.z()) < 0.9 ? Vec3::UnitZ() : Vec3::UnitX()), u);
    const Vec3 e2 = u.cross(e1);
    const double n1 = seeker_rng_.Normal(), n2 = seeker_rng_.Normal();
    u_m = (u + sigma * (n1 * e1 + n2 * e2)).normalized();
  }
  if (phase_ == InterceptorPhase::kTerminal) {
    const double h = seeker_step_s_;
    const Vec3 u_pred = u_est_ + h * udot_est_;
    const Vec3 res = u_m - u_pred;
    u_est_ = u_pred + alpha_ * res;
    udot_est_ += (beta_ / h) * res;
  } else if (range <= spec_.seeker.acquisition_range_m && v_.norm() > 1.0 &&
             std::acos(std::clamp(u.dot(Boresight()), -1.0, 1.0)) <=
                 spec_.seeker.field_of_view_half_angle_rad) {
    // Handover: filter initialised from the measurement and the track's LOS rate.
    phase_ = InterceptorPhase::kTerminal;
    handover_time_s_ = t_;
    u_est_ = u_m;
    udot_est_.setZero();
    if (has_track_) {
      Vec3 r_e, v_e, a_e;
      TargetEstimate(t_, &r_e, &v_e, &a_e);
      const Vec3 pe = r_e - r_, ve = v_e - v_;
      if (pe.norm() > 1.0) udot_est_ = LosRate(pe, ve).cross(u_m);
    }
  }
}

void Interceptor::Advance(double t_s, const TruthFunction& truth) {
  // A target that does not exist when this call starts (killed, landed) does not exist anywhere
  // in it: a threat's trajectory only ever ends. Without it there is nothing for the seeker to
  // acquire or pass, so the flight is not polled at seeker rate but coasts on at its midcourse
  // steps (a second salvo interceptor whose target the first one killed flew 150-300 s at 20 ms
  // steps, 25,000-54,000 steps, for a "no_intercept" that coarser steps report the same).
  Vec3 r_T, v_T;
  const bool target_exists = truth && truth(t_, &r_T, &v_T);
  while (!Done() && t_ < t_s - kTimeEps) {
    const bool rising = t_ < rise_end_s_ - kTimeEps;
    const double est_range = EstimatedRange_m();
    const bool polling = target_exists && (phase_ == InterceptorPhase::kTerminal ||
                                           (!rising && est_range < PollRange_m()));
    double h;
    if (polling) {
      // Seeker frames in terminal; 20 ms while only watching for acquisition (the closest
      // approach is located between steps whatever their length).
      h = phase_ == InterceptorPhase::kTerminal ? seeker_step_s_ : std::max(seeker_step_s_, 0.02);
    } else {
      h = burning_ ? 0.02 : (CheapAltitude(r_) < 80e3 ? 0.1 : 0.5);
      // Do not jump across the polling sphere: close at most at |v| + 10 km/s.
      if (!rising && target_exists)
        h = std::min(h, std::max(0.02, (est_range - PollRange_m()) / (v_.norm() + 1e4)));
    }
    h = std::min({h, NextBreak() - t_, t_s - t_});
    if (h <= 0.0) {
      OnBreak();
      continue;
    }
    Step(h);
    OnBreak();
    if (!rising && CheapAltitude(r_) < 0.0 && t_ > rise_end_s_) {
      End(InterceptorEnd::kGroundImpact);
      break;
    }
    if (target_exists && (polling || phase_ == InterceptorPhase::kTerminal ||
                          (!(t_ < rise_end_s_ - kTimeEps) && EstimatedRange_m() < PollRange_m()))) {
      Sample(truth);
      if (Done()) break;
    } else {
      have_prev_rel_ = false;
    }
    if (t_ - launch_time_s_ >= spec_.max_flight_time_s - kTimeEps) End(InterceptorEnd::kFlightTime);
  }
}

FlyoutPoint FlyToPoint(const InterceptorSpec& spec, const earth::Geodetic& site,
                       const Vec3& point_Ecef, double tolerance_m) {
  FlyoutPoint out;
  const earth::Geodetic g = earth::GeodeticFromEcef(point_Ecef);
  const double ground = earth::GeodesicDistance_m(site.lat_rad, site.lon_rad, g.lat_rad, g.lon_rad);
  if (g.h_m < spec.min_intercept_altitude_m || g.h_m > spec.max_intercept_altitude_m ||
      ground > spec.max_ground_range_m)
    return out;
  InterceptorSpec s = spec;
  s.seeker.acquisition_range_m = 0.0;  // never hands over: midcourse to the point throughout
  s.seeker.angle_sigma_rad = 0.0;
  Interceptor icpt(s, site, 0.0, point_Ecef, spec.max_flight_time_s, 0);
  // No uplink: the polling range is measured to the PIP, the point itself.
  const TruthFunction truth = [&point_Ecef](double, Vec3* r, Vec3* v) {
    *r = point_Ecef;
    *v = Vec3::Zero();
    return true;
  };
  icpt.Advance(spec.max_flight_time_s + 1.0, truth);
  out.miss_m = icpt.MissDistance_m();
  out.time_of_flight_s = icpt.InterceptTime_s();
  out.speed_mps = icpt.Velocity_Ecef().norm();  // one seeker frame after the closest approach
  out.reachable = icpt.EndReason() == InterceptorEnd::kClosestApproach &&
                  out.miss_m <= tolerance_m && out.time_of_flight_s <= spec.max_flight_time_s &&
                  out.speed_mps >= spec.min_intercept_speed_mps;
  return out;
}

}  // namespace hyperdef::engagement
