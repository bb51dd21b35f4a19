#include "threats/booster.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/constants.h"
#include "earth/wgs84.h"

namespace hyperdef::threats {

using flight::State;
using flight::Vec3;

namespace {
double Interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  if (x <= xs.front()) return ys.front();
  if (x >= xs.back()) return ys.back();
  const auto it = std::upper_bound(xs.begin(), xs.end(), x);
  const size_t i = static_cast<size_t>(it - xs.begin());
  const double w = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + w * (ys[i] - ys[i - 1]);
}
}  // namespace

BoosterPhase::BoosterPhase(const BoosterSpec& spec, int stage, double launch_time_s,
                           const Vec3& up0, const Vec3& azimuth_dir0, double kick_rad,
                           double cutoff_time_s)
    : spec_(spec),
      stage_(stage),
      launch_time_s_(launch_time_s),
      up0_(up0),
      azimuth_dir0_(azimuth_dir0),
      kick_rad_(kick_rad),
      cutoff_time_s_(cutoff_time_s) {
  double d = 0.0;  // the largest remaining diameter sets the drag reference area
  for (size_t k = static_cast<size_t>(stage); k < spec.stages.size(); ++k)
    d = std::max(d, spec.stages[k].diameter_m);
  area_m2_ = 0.25 * core::kPi * d * d;
}

flight::Forces BoosterPhase::ForcesAt(double t, const State& x, const flight::AirData& air) const {
  flight::Forces f;
  const flight::Stage& st = spec_.stages[static_cast<size_t>(stage_)];
  const double t_rel = t - launch_time_s_;
  const double cd = Interpolate(spec_.drag.mach, spec_.drag.cd, air.mach);
  f.drag_N = cd * air.dynamic_pressure_Pa * area_m2_;
  if (t >= cutoff_time_s_) return f;
  const double thrust = st.Thrust_N();
  f.mass_flow_kgps = st.MassFlow_kgps();
  Vec3 dir;
  const double kick_end = spec_.vertical_rise_s + spec_.pitch_over_s;
  if (t_rel < kick_end) {
    // Vertical rise, then rotate the thrust from the launch vertical toward the azimuth at a
    // constant rate until it is `kick` from vertical.
    const double frac = std::clamp((t_rel - spec_.vertical_rise_s) / spec_.pitch_over_s, 0.0, 1.0);
    const double a = frac * kick_rad_;
    dir = std::cos(a) * up0_ + std::sin(a) * azimuth_dir0_;
  } else {
    // Pitch and hold: keep the kicked attitude until the velocity has turned down to it, then
    // a gravity turn (thrust along the air-relative velocity). Without the hold a large kick
    // barely tilts the slow early velocity and no depressed trajectory is reachable.
    const Vec3 hold = std::cos(kick_rad_) * up0_ + std::sin(kick_rad_) * azimuth_dir0_;
    const Vec3 v = flight::VelocityOf(x);
    const double s = v.norm();
    // Hold until the velocity's tilt from the launch vertical reaches 90 % of the kick (it only
    // approaches it asymptotically) or for 30 s at most.
    constexpr double kHoldFraction = 0.9, kMaxHold_s = 30.0;
    const double tilt = s > 1.0 ? std::acos(std::clamp(v.dot(up0_) / s, -1.0, 1.0)) : 0.0;
    if (s <= 1.0 || (tilt < kHoldFraction * kick_rad_ && t_rel < kick_end + kMaxHold_s)) {
      dir = hold;
    } else {
      dir = v / s;
    }
  }
  f.thrust_Ecef_N = thrust * dir;
  return f;
}

flight::Forces BallisticBodyPhase::ForcesAt(double, const State& x,
                                            const flight::AirData& air) const {
  flight::Forces f;
  f.drag_N = air.dynamic_pressure_Pa * flight::MassOf(x) / beta_;  // D = q m / beta
  return f;
}

Phase BallisticBodyPhase::PhaseAt(double, const State& x, const flight::AirData& air) const {
  const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
  const bool descending = r.dot(v) < 0.0;
  return (descending && air.altitude_m < 100e3) ? Phase::kReentry : Phase::kMidcourse;
}

BoostResult FlyBooster(const flight::Environment& env, const BoosterSpec& spec, double payload_kg,
                       const GeoPoint& launch, double launch_time_s, double azimuth_rad,
                       double kick_rad, double cutoff_time_s, const SegmentOptions& options,
                       Trajectory* record) {
  const earth::Geodetic g0{launch.lat_rad, launch.lon_rad, launch.alt_m};
  const Vec3 r0 = earth::EcefFromGeodetic(g0);
  const core::Mat3 r_ecef_from_enu = earth::R_EnuFromEcef(g0.lat_rad, g0.lon_rad).transpose();
  const Vec3 up0 = r_ecef_from_enu * Vec3::UnitZ();  // geodetic vertical
  const Vec3 az0 = r_ecef_from_enu * Vec3(std::sin(azimuth_rad), std::cos(azimuth_rad), 0.0);
  State x = flight::MakeState(r0, Vec3::Zero(), flight::LiftoffMass_kg(spec.stages, payload_kg));
  const flight::StageSchedule sched = flight::MakeSchedule(spec.stages);
  double t = launch_time_s;
  if (record) record->events.push_back({t, "launch"});
  for (size_t k = 0; k < spec.stages.size(); ++k) {
    const double t_ign = launch_time_s + sched.ignition_s[k];
    const double t_bo = std::min(launch_time_s + sched.burnout_s[k], cutoff_time_s);
    // One smooth segment of stage k with thrust until `cutoff` (a coast: cutoff = now).
    const auto fly = [&](double cutoff, double until) {
      const BoosterPhase phase(spec, static_cast<int>(k), launch_time_s, up0, az0, kick_rad,
                               cutoff);
      SegmentOptions o = options;
      o.t_end_s = until;
      const SegmentResult r = FlySegment(env, phase, t, x, o, record);
      t = r.t_s;
      x = r.x;
      return r.end == SegmentEnd::kImpact;
    };
    if (t < t_ign && fly(t, t_ign)) return {t, x};  // coast between stages
    if (t_bo > t && fly(cutoff_time_s, t_bo)) return {t, x};
    // Unburned propellant (after a cutoff) leaves with the stage's dry mass.
    const double burned = spec.stages[k].MassFlow_kgps() * std::max(0.0, t - t_ign);
    const double leftover = std::max(0.0, spec.stages[k].propellant_mass_kg - burned);
    x[6] -= spec.stages[k].DryMass_kg() + leftover;
    const bool last = k + 1 == spec.stages.size() || t >= cutoff_time_s;
    if (record)
      record->events.push_back({t, last ? "burnout" : "staging-" + std::to_string(k + 1)});
    if (last) break;
  }
  return {t, x};
}

}  // namespace hyperdef::threats
