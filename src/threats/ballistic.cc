#include "threats/ballistic.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/constants.h"
#include "earth/wgs84.h"

namespace hyperdef::threats {

using flight::State;
using flight::Vec3;

namespace {

constexpr double kMaxFlight_s = 20000.0;

double FullBurnout_s(const ThreatSpec& spec) {
  const flight::StageSchedule s = flight::MakeSchedule(spec.ballistic.booster.stages);
  return spec.launch_time_s + s.burnout_s.back();
}

// Flies RV from its separation state to impact.
SegmentResult FlyRv(const flight::Environment& env, const ReentryVehicleSpec& rv, double t0,
                    State x0, const SegmentOptions& options, Trajectory* record) {
  x0[6] = rv.mass_kg;
  BallisticBodyPhase body(rv.ballistic_coefficient_kgpm2, rv.nose_radius_m, rv.emissivity);
  SegmentOptions o = options;
  o.t_end_s = t0 + kMaxFlight_s;
  return FlySegment(env, body, t0, x0, o, record);
}

// Down-range and cross-range (m) of the impact of a trial steering, relative to the aimpoint's
// great circle from the launch point.
struct Miss {
  double down_m = 0.0;
  double cross_m = 0.0;
  bool landed = false;
};

Miss TrialMiss(const flight::Environment& env, const ThreatSpec& spec, double azimuth, double kick,
               double cutoff, const SegmentOptions& options) {
  SegmentOptions o = options;
  o.record_step_s = 0.0;
  Miss m;
  try {
    const BoostResult b =
        FlyBooster(env, spec.ballistic.booster, spec.ballistic.rv.mass_kg, spec.launch,
                   spec.launch_time_s, azimuth, kick, cutoff, o, nullptr);
    const SegmentResult r = FlyRv(env, spec.ballistic.rv, b.t_s, b.x, o, nullptr);
    m.landed = r.end == SegmentEnd::kImpact;
    const earth::Geodetic gi = earth::GeodeticFromEcef(flight::PositionOf(r.x));
    double az_t, az_i;
    const double d_t = earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad,
                                                 spec.aim.lat_rad, spec.aim.lon_rad, &az_t);
    const double d_i = earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad,
                                                 gi.lat_rad, gi.lon_rad, &az_i);
    m.down_m = d_i * std::cos(az_i - az_t) - d_t;
    m.cross_m = d_i * std::sin(az_i - az_t);
  } catch (const std::runtime_error&) {
    // A pathological trial (e.g. a near-vertical shot) counts as landing at the launch point.
    m.down_m = -earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad,
                                          spec.aim.lat_rad, spec.aim.lon_rad);
  }
  return m;
}

// Illinois (modified regula falsi) root of f on [a, b] with f(a), f(b) of opposite signs.
template <class F>
double SolveRoot(F&& f, double a, double fa, double b, double fb, double x_tol, double f_tol) {
  int side = 0;
  for (int it = 0; it < 60; ++it) {
    const double c = (a * fb - b * fa) / (fb - fa);
    const double fc = f(c);
    if (std::abs(fc) < f_tol || std::abs(b - a) < x_tol) return c;
    if ((fc > 0) == (fb > 0)) {
      b = c;
      fb = fc;
      if (side == -1) fa *= 0.5;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side == 1) fb *= 0.5;
      side = 1;
    }
  }
  return (a + b) / 2;
}

// Golden-section search (Kiefer 1953) for the minimum of f, unimodal on [a, b]: `iterations`
// shrinkings of the bracket by 0.618. Returns the better interior point and its value.
template <class F>
std::pair<double, double> GoldenSectionMinimum(F&& f, double a, double b, int iterations) {
  const double gr = (std::sqrt(5.0) - 1.0) / 2.0;
  double c = b - gr * (b - a), d = a + gr * (b - a);
  double fc = f(c), fd = f(d);
  for (int it = 0; it < iterations; ++it) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - gr * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + gr * (b - a);
      fd = f(d);
    }
  }
  return fc < fd ? std::make_pair(c, fc) : std::make_pair(d, fd);
}

}  // namespace

State StateFromSpec(const StateSpec& s, double mass_kg, const GeoPoint& aim) {
  const Vec3 r =
      earth::EcefFromGeodetic({s.position.lat_rad, s.position.lon_rad, s.position.alt_m});
  double heading;
  if (s.heading_rad) {
    heading = *s.heading_rad;
  } else {
    earth::GeodesicDistance_m(s.position.lat_rad, s.position.lon_rad, aim.lat_rad, aim.lon_rad,
                              &heading);
  }
  return flight::MakeState(
      r, flight::VelocityFromAngles(r, s.speed_mps, s.flight_path_rad, heading), mass_kg);
}

BallisticSteering AimBallistic(const flight::Environment& env, const ThreatSpec& spec,
                               const SegmentOptions& options) {
  BallisticSteering st;
  const BoosterSpec& booster = spec.ballistic.booster;
  const double t_full = FullBurnout_s(spec);
  earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad, spec.aim.lat_rad,
                            spec.aim.lon_rad, &st.azimuth_rad);
  const double f_tol_m = 20.0;  // in-plane solve tolerance; the 1 km requirement has margin
  const auto down = [&](double kick, double cutoff) {
    return TrialMiss(env, spec, st.azimuth_rad, kick, cutoff, options).down_m;
  };

  for (int outer = 0; outer < 5; ++outer) {
    if (booster.pitch_kick_rad) {
      st.kick_rad = *booster.pitch_kick_rad;
      st.cutoff_time_s = t_full;
    } else {
      // Scan the full-burn range over the kick angle (log-spaced: the maximum-range kick of a
      // gravity turn is a few degrees), then refine the maximum by golden section.
      constexpr int kN = 32;
      const double k_lo = 0.1 * core::kDegToRad, k_hi = 85.0 * core::kDegToRad;
      double ks[kN], ds[kN];
      int best = 0;
      for (int i = 0; i < kN; ++i) {
        ks[i] = k_lo * std::pow(k_hi / k_lo, static_cast<double>(i) / (kN - 1));
        ds[i] = down(ks[i], t_full);
        if (ds[i] > ds[best]) best = i;
      }
      {
        const auto [k_best, neg_d] =
            GoldenSectionMinimum([&](double k) { return -down(k, t_full); },
                                 ks[std::max(best - 1, 0)], ks[std::min(best + 1, kN - 1)], 20);
        if (-neg_d > ds[best]) {
          ks[best] = k_best;
          ds[best] = -neg_d;
        }
      }
      const double d_t = earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad,
                                                   spec.aim.lat_rad, spec.aim.lon_rad);
      st.max_range_m = ds[best] + d_t;
      if (ds[best] < 0.0) {
        throw std::runtime_error(fmt::format(
            "aimpoint {:.0f} km away is out of reach: this missile's maximum range is {:.0f} km",
            d_t / 1e3, st.max_range_m / 1e3));
      }
      const TrajectoryShape shape = spec.ballistic.shape;
      if (shape == TrajectoryShape::kLofted || shape == TrajectoryShape::kDepressed) {
        const bool lofted = shape == TrajectoryShape::kLofted;
        const int end = lofted ? 0 : kN - 1;
        if (ds[end] > 0.0) {
          throw std::runtime_error(fmt::format(
              "aimpoint {:.0f} km away is too close for a full-burn {} trajectory (shortest {:.0f} "
              "km); use minimum_energy (thrust cutoff)",
              d_t / 1e3, TrajectoryShapeName(shape), (ds[end] + d_t) / 1e3));
        }
        int i = best;  // walk from the maximum toward the chosen side to bracket the root
        const int step = lofted ? -1 : 1;
        while (ds[i + step] > 0.0) i += step;
        const auto f = [&](double k) { return down(k, t_full); };
        st.kick_rad = SolveRoot(f, ks[i], ds[i], ks[i + step], ds[i + step], 1e-9, f_tol_m);
        st.cutoff_time_s = t_full;
      } else {
        // Minimum energy: for a kick, the cutoff that reaches the aimpoint; minimise it over kick.
        const double t_min =
            spec.launch_time_s + booster.vertical_rise_s + booster.pitch_over_s + 1.0;
        const auto cutoff_for = [&](double k) {
          const double d_full = down(k, t_full);
          if (d_full < 0.0) return t_full + (-d_full) * 1e-3;  // infeasible: penalise smoothly
          const double d_min = down(k, t_min);
          if (d_min > 0.0) return t_min;
          return SolveRoot([&](double tc) { return down(k, tc); }, t_min, d_min, t_full, d_full,
                           1e-6, f_tol_m);
        };
        // Golden-section search over the feasible kicks around the maximum-range kick.
        int lo = best, hi = best;
        while (lo > 0 && ds[lo - 1] >= 0.0) --lo;
        while (hi < kN - 1 && ds[hi + 1] >= 0.0) ++hi;
        double a = lo > 0 ? ks[lo - 1] : ks[0], b = hi < kN - 1 ? ks[hi + 1] : ks[kN - 1];
        st.kick_rad = GoldenSectionMinimum(cutoff_for, a, b, 18).first;
        // Final in-plane polish on the cutoff for the chosen kick.
        st.cutoff_time_s = cutoff_for(st.kick_rad);
      }
    }
    const Miss m = TrialMiss(env, spec, st.azimuth_rad, st.kick_rad, st.cutoff_time_s, options);
    if (std::hypot(m.down_m, m.cross_m) < 100.0 || booster.pitch_kick_rad) break;
    const double d_t = earth::GeodesicDistance_m(spec.launch.lat_rad, spec.launch.lon_rad,
                                                 spec.aim.lat_rad, spec.aim.lon_rad);
    st.azimuth_rad -= m.cross_m / d_t;  // small-angle correction of the launch azimuth
  }
  return st;
}

Trajectory FlyBallistic(const flight::Environment& env, const ThreatSpec& spec,
                        const BallisticSteering& steering, const SegmentOptions& options) {
  Trajectory tr;
  tr.threat_id = spec.id;
  tr.threat_class = ThreatClass::kBallistic;
  double t;
  State x;
  if (spec.ballistic.burnout) {
    t = spec.ballistic.burnout->time_s;
    x = StateFromSpec(*spec.ballistic.burnout, spec.ballistic.rv.mass_kg, spec.aim);
    tr.events.push_back({t, "burnout"});
  } else {
    const BoostResult b = FlyBooster(env, spec.ballistic.booster, spec.ballistic.rv.mass_kg,
                                     spec.launch, spec.launch_time_s, steering.azimuth_rad,
                                     steering.kick_rad, steering.cutoff_time_s, options, &tr);
    t = b.t_s;
    x = b.x;
  }
  tr.events.push_back({t, "rv-separation"});
  const SegmentResult r = FlyRv(env, spec.ballistic.rv, t, x, options, &tr);
  tr.impacted = r.end == SegmentEnd::kImpact;
  GeoPoint launch = spec.launch;
  if (spec.ballistic.burnout) launch = spec.ballistic.burnout->position;
  tr.Summarise(launch, spec.aim);
  return tr;
}

Trajectory SimulateBallistic(const flight::Environment& env, const ThreatSpec& spec,
                             const SegmentOptions& options) {
  BallisticSteering st;
  if (!spec.ballistic.burnout) st = AimBallistic(env, spec, options);
  return FlyBallistic(env, spec, st, options);
}

}  // namespace hyperdef::threats
