#include "threats/glider.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/constants.h"
#include "earth/atmosphere.h"
#include "earth/wgs84.h"
#include "flight/aero_table.h"
#include "threats/ballistic.h"
#include "threats/guidance_laws.h"

namespace hyperdef::threats {

using flight::State;
using flight::Vec3;

namespace {

// Parabolic polar with the published maximum L/D at the trim ballistic coefficient (see header).
class ConstantLiftToDragAero : public GliderAero {
 public:
  ConstantLiftToDragAero(double mass_kg, double lift_to_drag, double beta, double max_over_trim)
      : drag_area_trim_(mass_kg / beta),
        best_(lift_to_drag * mass_kg / beta),
        max_(max_over_trim * lift_to_drag * mass_kg / beta) {}
  double BestLiftArea_m2(double) const override { return best_; }
  double MaxLiftArea_m2(double) const override { return max_; }
  double MinLiftArea_m2(double) const override { return 0.0; }
  double DragArea_m2(double, double lift_area) const override {
    const double c = std::min(std::abs(lift_area), max_) / best_;
    return 0.5 * drag_area_trim_ * (1.0 + c * c);  // CD = CD0 (1 + (CL/CL*)^2), CD0 = CD*/2
  }

 private:
  double drag_area_trim_, best_, max_;
};

// CAV-H exponential fit (Phillips 2003 via flight::CavhFit): CL is linear in alpha and CD
// quadratic, so the best-L/D alpha has a closed form; the coefficients are read off the fit
// itself (values at 0 and 1 deg) rather than copied.
class CavHFitAero : public GliderAero {
 public:
  explicit CavHFitAero(double area_m2) : s_(area_m2) {}
  static constexpr double kAlphaMaxDeg = 20.0;  // the table's upper edge
  struct Coefficients {
    double cl0, cl_a, cd0, cd_a2;  // CL = cl0 + cl_a a; CD = cd0 + cd_a2 a^2 (a in deg)
  };
  static Coefficients At(double m) {
    const flight::LiftDragCoefficients c0 = flight::CavhFit(m, 0.0);
    const flight::LiftDragCoefficients c1 = flight::CavhFit(m, core::kDegToRad);
    return {c0.cl, c1.cl - c0.cl, c0.cd, c1.cd - c0.cd};
  }
  // d(CL/CD)/da = 0  <=>  cl_a cd_a2 a^2 + 2 cd_a2 cl0 a - cl_a cd0 = 0.
  static double BestAlphaDeg(const Coefficients& k) {
    const double a = k.cl_a * k.cd_a2, b = 2.0 * k.cd_a2 * k.cl0, c = -k.cl_a * k.cd0;
    return (-b + std::sqrt(b * b - 4.0 * a * c)) / (2.0 * a);
  }
  double BestLiftArea_m2(double m) const override {
    const Coefficients k = At(m);
    return s_ * (k.cl0 + k.cl_a * BestAlphaDeg(k));
  }
  double MaxLiftArea_m2(double m) const override {
    const Coefficients k = At(m);
    return s_ * (k.cl0 + k.cl_a * kAlphaMaxDeg);
  }
  double MinLiftArea_m2(double) const override { return 0.0; }
  double DragArea_m2(double m, double lift_area) const override {
    const Coefficients k = At(m);
    const double cl = std::clamp(std::abs(lift_area) / s_, 0.0, k.cl0 + k.cl_a * kAlphaMaxDeg);
    const double a = std::max(0.0, (cl - k.cl0) / k.cl_a);
    return s_ * (k.cd0 + k.cd_a2 * a * a);
  }

 private:
  double s_;
};

// CAV-H table (flight::CavhBuiltinTables, Phillips 2003): bilinear in (Mach, alpha) over the
// published nodes, alpha 10-20 deg. At a fixed Mach CL is piecewise linear in alpha, so the
// alpha for a lift is found segment by segment. Below the 10 deg floor the vehicle cannot
// unload further: lift is then modulated by bank (RealiseLift).
class CavHTableAero : public GliderAero {
 public:
  explicit CavHTableAero(double area_m2) : s_(area_m2), t_(flight::CavhBuiltinTables()) {}
  double BestLiftArea_m2(double m) const override {
    double best_a = Alphas().front(), best = 0.0;  // CL/CD on a fine alpha grid
    for (double a = Alphas().front(); a <= Alphas().back() + 1e-12; a += 0.25 * core::kDegToRad) {
      const flight::LiftDragCoefficients c = t_(m, a);
      if (c.cl / c.cd > best) {
        best = c.cl / c.cd;
        best_a = a;
      }
    }
    return s_ * t_.cl(m, best_a);
  }
  double MaxLiftArea_m2(double m) const override { return s_ * t_.cl(m, Alphas().back()); }
  double MinLiftArea_m2(double m) const override { return s_ * t_.cl(m, Alphas().front()); }
  double DragArea_m2(double m, double lift_area) const override {
    return s_ * t_.cd(m, AlphaForLift(m, std::abs(lift_area) / s_));
  }

 private:
  const std::vector<double>& Alphas() const { return t_.cl.y(); }
  double AlphaForLift(double m, double cl) const {
    const std::vector<double>& a = Alphas();
    double lo_cl = t_.cl(m, a.front());
    if (cl <= lo_cl) return a.front();
    for (size_t j = 1; j < a.size(); ++j) {
      const double hi_cl = t_.cl(m, a[j]);
      if (cl <= hi_cl) return a[j - 1] + (a[j] - a[j - 1]) * (cl - lo_cl) / (hi_cl - lo_cl);
      lo_cl = hi_cl;
    }
    return a.back();
  }
  double s_;
  flight::LiftDragTables t_;
};

constexpr double kDensityScaleHeight_m = 7000.0;  // for the glide descent-rate feed-forward
constexpr double kDiveArmRange_m = 600e3;
constexpr double kDiveArmAltitude_m = 80e3;
constexpr double kDiveArmFlightPath_rad = 3.0 * core::kDegToRad;
// Height above the aimpoint's geocentric radius: cheap, and all the dive arming needs.
double rn_minus_surface(const Vec3& r_Ecef, const Vec3& aim_Ecef) {
  return r_Ecef.norm() - aim_Ecef.norm();
}

}  // namespace

std::unique_ptr<GliderAero> MakeGliderAero(const GliderSpec& spec) {
  switch (spec.aero) {
    case GliderAeroModel::kConstantLiftToDrag:
      return std::make_unique<ConstantLiftToDragAero>(spec.mass_kg, spec.lift_to_drag,
                                                      spec.ballistic_coefficient_kgpm2,
                                                      spec.max_lift_over_trim);
    case GliderAeroModel::kCavHFit:
      return std::make_unique<CavHFitAero>(spec.reference_area_m2);
    case GliderAeroModel::kCavHTable:
      return std::make_unique<CavHTableAero>(spec.reference_area_m2);
  }
  return nullptr;
}

double EquilibriumGlideAltitude_m(double speed_mps, double lift_to_drag, double beta_kgpm2) {
  const auto residual = [&](double h) {
    const double r = core::kEarthMeanRadius_m + h;
    const double g = core::kEarthMu_m3ps2 / (r * r);
    const double need =
        2.0 * beta_kgpm2 * (g - speed_mps * speed_mps / r) / (speed_mps * speed_mps * lift_to_drag);
    return std::log(earth::Us76(h).density_kgpm3) - std::log(need);
  };
  double lo = 0.0, hi = 150e3;
  if (residual(hi) > 0.0 ||
      speed_mps * speed_mps >= core::kEarthMu_m3ps2 / core::kEarthMeanRadius_m) {
    throw std::domain_error("no equilibrium glide at this speed (at or above orbital speed)");
  }
  for (int i = 0; i < 100 && hi - lo > 1e-3; ++i) {  // density falls with altitude: bisection
    const double mid = 0.5 * (lo + hi);
    (residual(mid) > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

LiftCommand RealiseLift(const GliderAero& aero, const flight::AirData& air, double mass_kg,
                        const Vec3& r_Ecef, const Vec3& v_Ecef, const Vec3& lift_desired_N,
                        double max_lift_N) {
  (void)mass_kg;
  LiftCommand c;
  const double q = air.dynamic_pressure_Pa;
  const Vec3 l0 = flight::LiftDirection(r_Ecef, v_Ecef, 0.0);
  const Vec3 right = v_Ecef.normalized().cross(l0);
  const double lv = lift_desired_N.dot(l0), ll = lift_desired_N.dot(right);
  const double l_max = std::min(max_lift_N, aero.MaxLiftArea_m2(air.mach) * q);
  const double l_min = std::min(aero.MinLiftArea_m2(air.mach) * q, l_max);
  double mag = std::hypot(lv, ll);
  c.bank_rad = std::atan2(ll, lv);
  if (mag > l_max) {
    mag = l_max;
  } else if (mag < l_min) {  // cannot unload below the floor: bank so the vertical part matches
    mag = l_min;
    const double cb = std::clamp(lv / l_min, -1.0, 1.0);
    c.bank_rad = std::copysign(std::acos(cb), ll);
  }
  c.lift_N = mag;
  c.drag_N = q > 0.0 ? aero.DragArea_m2(air.mach, mag / q) * q : 0.0;
  return c;
}

GlidePhase::GlidePhase(const GliderSpec& glider, const GlideGuidanceSpec& guidance,
                       const GliderAero& aero, const flight::Environment& env, const GeoPoint& aim,
                       double launch_time_s, bool diving)
    : glider_(glider),
      guidance_(guidance),
      aero_(aero),
      env_(env),
      aim_Ecef_(earth::EcefFromGeodetic({aim.lat_rad, aim.lon_rad, aim.alt_m})),
      dogleg_Ecef_(aim_Ecef_),
      launch_time_s_(launch_time_s),
      diving_(diving),
      dogleg_done_(true) {
  if (guidance.dogleg) {
    dogleg_Ecef_ = earth::EcefFromGeodetic(
        {guidance.dogleg->lat_rad, guidance.dogleg->lon_rad, guidance.dogleg->alt_m});
    dogleg_done_ = false;
  }
}

Vec3 GlidePhase::SteeringPoint() const { return dogleg_done_ ? aim_Ecef_ : dogleg_Ecef_; }

flight::Forces GlidePhase::ForcesAt(double t, const State& x, const flight::AirData& air) const {
  const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
  const double m = flight::MassOf(x), speed = air.speed_mps;
  const double max_lift = glider_.max_load_factor * m * core::kG0_mps2;
  Vec3 lift_desired;
  if (diving_) {
    lift_desired =
        m * ProportionalNavigationLiftAccel(env_, r, v, aim_Ecef_, guidance_.navigation_constant);
  } else {
    const double q = air.dynamic_pressure_Pa;
    const double rn = r.norm();
    const double g_eff = core::kEarthMu_m3ps2 / (rn * rn) - speed * speed / rn;
    const double best = aero_.BestLiftArea_m2(air.mach);
    const double ld_best = best / aero_.DragArea_m2(air.mach, best);
    const double gamma = flight::FlightPathAngle(r, v);
    // Equilibrium-glide descent angle (feed-forward): dh/dt = (dh/dv)(dv/dt) with
    // dh/dv = H (2 v /(r g_eff) + 2/v) from rho(h) ~ (g - v^2/r)/v^2 and dv/dt = -g_eff/(L/D).
    double gamma_eq = 0.0;
    if (g_eff > 0.0 && speed > 1.0) {
      const double dhdv = kDensityScaleHeight_m * (2.0 * speed / (rn * g_eff) + 2.0 / speed);
      gamma_eq = std::asin(std::clamp(-dhdv * g_eff / ld_best / speed, -1.0, 0.0));
    }
    const double lv = best * q + m * speed * guidance_.phugoid_damping_per_s * (gamma_eq - gamma);
    double bank = std::clamp(guidance_.heading_gain * HeadingError(r, v, SteeringPoint()),
                             -glider_.max_bank_rad, glider_.max_bank_rad);
    if (guidance_.weave && guidance_.weave->period_s > 0.0 &&
        t - launch_time_s_ >= guidance_.weave->start_s) {
      const double ph = core::kTwoPi * (t - launch_time_s_ - guidance_.weave->start_s) /
                        guidance_.weave->period_s;
      const double w = guidance_.weave->square ? std::tanh(8.0 * std::sin(ph)) : std::sin(ph);
      bank = std::clamp(bank + guidance_.weave->amplitude_rad * w, -glider_.max_bank_rad,
                        glider_.max_bank_rad);
    }
    lift_desired = BankedLift(r, v, lv, bank);
  }
  const LiftCommand c = RealiseLift(aero_, air, m, r, v, lift_desired, max_lift);
  flight::Forces f;
  f.lift_N = c.lift_N;
  f.bank_rad = c.bank_rad;
  f.drag_N = c.drag_N;
  return f;
}

Phase GlidePhase::PhaseAt(double, const State& x, const flight::AirData& air) const {
  if (diving_) return Phase::kDive;
  if (air.altitude_m > 100e3) return Phase::kMidcourse;
  const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
  // Pull-up: still descending steeply into the atmosphere or climbing out of the pull-up.
  return std::abs(flight::FlightPathAngle(r, v)) > 1.0 * core::kDegToRad ? Phase::kPullUp
                                                                         : Phase::kGlide;
}

double DiveMargin(const Vec3& r_Ecef, const Vec3& v_Ecef, const Vec3& aim_Ecef,
                  double lift_accel_max, double fraction) {
  const Vec3 los = aim_Ecef - r_Ecef;
  const double speed = v_Ecef.norm(), range = los.norm();
  if (speed <= 0.0 || range <= 0.0) return -1.0;
  // Armed only in the sensible atmosphere, after the entry, within regional distance: before
  // that the chord to the aimpoint runs through the Earth and the lift is negligible.
  const double alt = rn_minus_surface(r_Ecef, aim_Ecef);
  if (range > kDiveArmRange_m || alt > kDiveArmAltitude_m ||
      flight::FlightPathAngle(r_Ecef, v_Ecef) < -kDiveArmFlightPath_rad) {
    return 1.0;
  }
  const double sin_eta = v_Ecef.cross(los).norm() / (speed * range);
  const double rn = r_Ecef.norm();
  const double a_down = lift_accel_max + core::kEarthMu_m3ps2 / (rn * rn) - speed * speed / rn;
  return fraction * std::max(a_down, 0.0) - 2.0 * speed * speed * sin_eta / range;
}

double DiveMarginAt(const GliderAero& aero, const State& x, const Vec3& aim_Ecef,
                    double max_load_factor, double fraction) {
  const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
  const flight::AirData air = flight::ComputeAirData(r, v);
  const double m = flight::MassOf(x);
  const double l_max = std::min(max_load_factor * m * core::kG0_mps2,
                                aero.MaxLiftArea_m2(air.mach) * air.dynamic_pressure_Pa);
  return DiveMargin(r, v, aim_Ecef, l_max / m, fraction);
}

double GlidePhase::StopFunction(double, const State& x) const {
  if (diving_) return 1.0;
  const Vec3 r = flight::PositionOf(x);
  if (!dogleg_done_) {
    // The waypoint is passed when it goes abeam (the cosine of the angle between the velocity
    // and the line of sight to it falls through zero): a glider whose turn radius exceeds the
    // geometry then goes on to the aimpoint instead of circling the waypoint.
    const Vec3 los = dogleg_Ecef_ - r;
    const Vec3 v = flight::VelocityOf(x);
    return los.dot(v) / (los.norm() * v.norm() + 1e-9);
  }
  // Dive when a circular arc onto the aimpoint needs more than a fraction of the downward
  // acceleration the vehicle can produce: arc a = 2 v^2 sin(eta) / R_go (eta: angle between v
  // and the line of sight); available = L_max/m + g - v^2/r. Capability, not geometry, decides:
  // an HTV-2-class glider at 45 km has well under 1 g of lift to spare.
  return DiveMarginAt(aero_, x, aim_Ecef_, glider_.max_load_factor, guidance_.dive_lift_fraction);
}

Trajectory SimulateBoostGlide(const flight::Environment& env, const ThreatSpec& spec,
                              const SegmentOptions& options) {
  const BoostGlideSpec& bg = spec.boost_glide;
  Trajectory tr;
  tr.threat_id = spec.id;
  tr.threat_class = ThreatClass::kBoostGlide;
  double t;
  State x;
  GeoPoint origin = spec.launch;
  if (bg.entry) {
    t = bg.entry->time_s;
    // Unless a heading is given, start toward the first steering point (dogleg, else aimpoint).
    x = StateFromSpec(*bg.entry, bg.glider.mass_kg, bg.guidance.dogleg.value_or(spec.aim));
    origin = bg.entry->position;
    tr.events.push_back({t, "entry"});
  } else {
    double azimuth;
    const GeoPoint first = bg.guidance.dogleg.value_or(spec.aim);
    earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad, first.lat_rad,
                              first.lon_rad, &azimuth);
    const double t_full =
        spec.launch_time_s + flight::MakeSchedule(bg.booster.stages).burnout_s.back();
    double kick;
    if (bg.booster.pitch_kick_rad) {
      kick = *bg.booster.pitch_kick_rad;
    } else {  // bisection: the burnout flight-path angle falls as the kick grows
      SegmentOptions o = options;
      o.record_step_s = 0.0;
      double lo = 0.5 * core::kDegToRad, hi = 70.0 * core::kDegToRad;
      for (int i = 0; i < 40; ++i) {
        const double mid = 0.5 * (lo + hi);
        const BoostResult b = FlyBooster(env, bg.booster, bg.glider.mass_kg, spec.launch,
                                         spec.launch_time_s, azimuth, mid, t_full, o, nullptr);
        const double gamma =
            flight::FlightPathAngle(flight::PositionOf(b.x), flight::VelocityOf(b.x));
        (gamma > bg.guidance.release_flight_path_rad ? lo : hi) = mid;
      }
      kick = 0.5 * (lo + hi);
    }
    const BoostResult b = FlyBooster(env, bg.booster, bg.glider.mass_kg, spec.launch,
                                     spec.launch_time_s, azimuth, kick, t_full, options, &tr);
    t = b.t_s;
    x = b.x;
    x[6] = bg.glider.mass_kg;
    tr.events.push_back({t, "release"});
  }
  const std::unique_ptr<GliderAero> aero = MakeGliderAero(bg.glider);
  const double t_limit = t + 20000.0;
  SegmentOptions o = options;
  o.t_end_s = t_limit;
  SegmentResult r{t, x, SegmentEnd::kTimeLimit};
  GlidePhase glide(bg.glider, bg.guidance, *aero, env, spec.aim, spec.launch_time_s, false);
  if (bg.guidance.dogleg) {
    r = FlySegment(env, glide, r.t_s, r.x, o, &tr);
    if (r.end == SegmentEnd::kStopFunction) tr.events.push_back({r.t_s, "dogleg"});
    glide.set_dogleg_done(true);
  }
  if (r.end != SegmentEnd::kImpact && r.t_s < t_limit) {
    if (glide.StopFunction(r.t_s, r.x) > 0.0) r = FlySegment(env, glide, r.t_s, r.x, o, &tr);
    if (r.end != SegmentEnd::kImpact && r.t_s < t_limit) {
      tr.events.push_back({r.t_s, "dive"});
      GlidePhase dive(bg.glider, bg.guidance, *aero, env, spec.aim, spec.launch_time_s, true);
      r = FlySegment(env, dive, r.t_s, r.x, o, &tr);
    }
  }
  tr.impacted = r.end == SegmentEnd::kImpact;
  tr.Summarise(origin, spec.aim);
  return tr;
}

}  // namespace hyperdef::threats
