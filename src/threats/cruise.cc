#include "threats/cruise.h"

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "earth/atmosphere.h"
#include "earth/wgs84.h"
#include "threats/booster.h"
#include "threats/glider.h"
#include "threats/guidance_laws.h"

namespace hyperdef::threats {

using flight::State;
using flight::Vec3;

namespace {

constexpr double kAltitudeCaptureDistance_m = 20e3;  // gamma_cmd = (h_c - h) / this, limited
constexpr double kMaxClimbAngle_rad = 15.0 * core::kDegToRad;
constexpr double kPathGain_per_s = 0.1;   // flight-path tracking bandwidth
constexpr double kSpeedGain_per_s = 0.1;  // speed-hold bandwidth
constexpr double kHeadingGain = 3.0;
constexpr double kMaxBank_rad = 60.0 * core::kDegToRad;
constexpr double kMaxLoadFactor = 8.0;

class CruisePhase : public PhaseModel {
 public:
  CruisePhase(const CruiseSpec& spec, const GliderAero& aero, const flight::Environment& env,
              const GeoPoint& aim, bool diving)
      : spec_(spec),
        aero_(aero),
        env_(env),
        aim_Ecef_(earth::EcefFromGeodetic({aim.lat_rad, aim.lon_rad, aim.alt_m})),
        dry_mass_kg_(spec.vehicle_mass_kg - spec.fuel_mass_kg),
        speed_cmd_mps_(spec.cruise_mach * earth::Us76(spec.cruise_altitude_m).speed_of_sound_mps),
        diving_(diving) {}

  flight::Forces ForcesAt(double, const State& x, const flight::AirData& air) const override {
    const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
    const double m = flight::MassOf(x), speed = air.speed_mps;
    const double gamma = flight::FlightPathAngle(r, v);
    Vec3 lift_desired;
    if (diving_) {
      lift_desired =
          m * ProportionalNavigationLiftAccel(env_, r, v, aim_Ecef_, spec_.navigation_constant);
    } else {
      const double rn = r.norm();
      const double g_eff = core::kEarthMu_m3ps2 / (rn * rn) - speed * speed / rn;
      const double gamma_cmd =
          std::clamp((spec_.cruise_altitude_m - air.altitude_m) / kAltitudeCaptureDistance_m,
                     -kMaxClimbAngle_rad, kMaxClimbAngle_rad);
      const double lv =
          m * (g_eff * std::cos(gamma) + speed * kPathGain_per_s * (gamma_cmd - gamma));
      const double bank =
          std::clamp(kHeadingGain * HeadingError(r, v, aim_Ecef_), -kMaxBank_rad, kMaxBank_rad);
      lift_desired = BankedLift(r, v, lv, bank);
    }
    const LiftCommand c =
        RealiseLift(aero_, air, m, r, v, lift_desired, kMaxLoadFactor * m * core::kG0_mps2);
    flight::Forces f;
    f.lift_N = c.lift_N;
    f.bank_rad = c.bank_rad;
    f.drag_N = c.drag_N;
    if (!diving_ && m > dry_mass_kg_ && speed > 1.0) {
      const double g = core::kEarthMu_m3ps2 / r.squaredNorm();
      const double thrust = std::clamp(
          c.drag_N + m * g * std::sin(gamma) + m * kSpeedGain_per_s * (speed_cmd_mps_ - speed), 0.0,
          spec_.max_thrust_N);
      f.thrust_Ecef_N = thrust * v / speed;
      f.mass_flow_kgps = thrust / (spec_.isp_s * core::kG0_mps2);
    }
    return f;
  }

  Phase PhaseAt(double, const State&, const flight::AirData&) const override {
    return diving_ ? Phase::kDive : Phase::kCruise;
  }

  double StopFunction(double, const State& x) const override {
    if (diving_) return 1.0;
    return DiveMarginAt(aero_, x, aim_Ecef_, kMaxLoadFactor, spec_.dive_lift_fraction);
  }
  double nose_radius_m() const override { return spec_.nose_radius_m; }
  double emissivity() const override { return spec_.emissivity; }

 private:
  const CruiseSpec& spec_;
  const GliderAero& aero_;
  flight::Environment env_;
  Vec3 aim_Ecef_;
  double dry_mass_kg_, speed_cmd_mps_;
  bool diving_;
};

}  // namespace

Trajectory SimulateCruise(const flight::Environment& env, const ThreatSpec& spec,
                          const SegmentOptions& options) {
  const CruiseSpec& cs = spec.cruise;
  Trajectory tr;
  tr.threat_id = spec.id;
  tr.threat_class = ThreatClass::kCruise;
  double azimuth;
  earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad, spec.aim.lat_rad,
                            spec.aim.lon_rad, &azimuth);
  const double t_full =
      spec.launch_time_s + flight::MakeSchedule(cs.booster.stages).burnout_s.back();
  double kick;
  if (cs.booster.pitch_kick_rad) {
    kick = *cs.booster.pitch_kick_rad;
  } else {  // bisection: the booster's ballistic apex h + (v sin gamma)^2 / 2g at the cruise
            // altitude
    SegmentOptions o = options;
    o.record_step_s = 0.0;
    double lo = 1.0 * core::kDegToRad, hi = 80.0 * core::kDegToRad;
    for (int i = 0; i < 40; ++i) {
      const double mid = 0.5 * (lo + hi);
      const BoostResult b = FlyBooster(env, cs.booster, cs.vehicle_mass_kg, spec.launch,
                                       spec.launch_time_s, azimuth, mid, t_full, o, nullptr);
      const Vec3 r = flight::PositionOf(b.x), v = flight::VelocityOf(b.x);
      const double vz = v.dot(r.normalized());
      const double apex =
          earth::GeodeticFromEcef(r).h_m + std::max(0.0, vz) * vz / (2 * core::kG0_mps2);
      (apex > cs.cruise_altitude_m ? lo : hi) = mid;
    }
    kick = 0.5 * (lo + hi);
  }
  const BoostResult b = FlyBooster(env, cs.booster, cs.vehicle_mass_kg, spec.launch,
                                   spec.launch_time_s, azimuth, kick, t_full, options, &tr);
  State x = b.x;
  x[6] = cs.vehicle_mass_kg;
  tr.events.push_back({b.t_s, "booster-separation"});
  GliderSpec airframe;
  airframe.mass_kg = cs.vehicle_mass_kg;
  airframe.lift_to_drag = cs.lift_to_drag;
  airframe.ballistic_coefficient_kgpm2 = cs.ballistic_coefficient_kgpm2;
  airframe.max_lift_over_trim = cs.max_lift_over_trim;
  const std::unique_ptr<GliderAero> aero = MakeGliderAero(airframe);
  SegmentOptions o = options;
  o.t_end_s = b.t_s + 20000.0;
  CruisePhase cruise(cs, *aero, env, spec.aim, false);
  SegmentResult r{b.t_s, x, SegmentEnd::kTimeLimit};
  if (cruise.StopFunction(r.t_s, r.x) > 0.0) r = FlySegment(env, cruise, r.t_s, r.x, o, &tr);
  if (r.end != SegmentEnd::kImpact && r.t_s < o.t_end_s) {
    tr.events.push_back({r.t_s, "dive"});
    CruisePhase dive(cs, *aero, env, spec.aim, true);
    r = FlySegment(env, dive, r.t_s, r.x, o, &tr);
  }
  tr.impacted = r.end == SegmentEnd::kImpact;
  tr.Summarise(spec.launch, spec.aim);
  return tr;
}

}  // namespace hyperdef::threats
